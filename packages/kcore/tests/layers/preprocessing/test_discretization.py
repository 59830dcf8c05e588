"""Discretization: bucketing by given or adapted boundaries, its output modes, config, errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

DATA = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], "float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_bucket_indices_with_given_boundaries():
    run_layer_test(
        layers.Discretization,
        init_kwargs={"bin_boundaries": [0.0, 1.0, 2.0]},
        input_data=DATA,
        expected_output_shape=(2, 4),
        expected_output_dtype="int32",
        expected_output=np.array([[0, 2, 3, 1], [1, 3, 2, 1]]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize(
    ("mode", "data", "expected"),
    [
        ("one_hot", [[-1.5], [1.0]], [[1, 0, 0, 0], [0, 0, 1, 0]]),
        ("multi_hot", [[-1.5, 1.0, 1.5], [1.0, 3.0, 3.0]], [[1, 0, 1, 0], [0, 0, 1, 1]]),
        ("count", [[-1.5, 1.0, 1.5], [1.0, 3.0, 3.0]], [[1, 0, 2, 0], [0, 0, 1, 2]]),
    ],
)
def test_vector_output_modes(mode, data, expected):
    run_layer_test(
        layers.Discretization,
        init_kwargs={"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": mode},
        input_data=np.array(data, "float32"),
        expected_output_dtype="float32",
        expected_output=np.array(expected, "float32"),
    )


def test_one_sample_of_rank_1_encodes_to_one_vector():
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="multi_hot")
    np.testing.assert_array_equal(_np(layer(np.array([-1.5, 1.0, 1.5]))), [1, 0, 1, 0])


def test_adapt_learns_keras_quantile_boundaries():
    layer = layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(DATA)
    # Keras 3.15 learns these boundaries from this data.
    np.testing.assert_allclose(layer.bin_boundaries, [0.0, 0.5, 1.2999999523162842])
    np.testing.assert_array_equal(_np(layer(DATA)), [[0, 2, 3, 2], [1, 3, 3, 1]])


def test_adapt_on_batches_and_steps():
    data = np.random.default_rng(0).uniform(size=(200,)).astype("float32")
    layer = layers.Discretization(num_bins=4)
    layer.adapt([data[:100], data[100:]])
    assert len(layer.bin_boundaries) == 3
    np.testing.assert_allclose(
        layer.bin_boundaries, np.quantile(data, [0.25, 0.5, 0.75]), atol=0.05
    )
    first_only = layers.Discretization(num_bins=2)
    first_only.adapt(iter([np.zeros(10), np.ones(10)]), steps=1)
    assert first_only.bin_boundaries == [0.0]


def test_config_of_an_adapted_layer_round_trips():
    layer = layers.Discretization(num_bins=3)
    layer.adapt(np.arange(30.0))
    config = layer.get_config()
    assert sorted(config) == sorted(
        ["bin_boundaries", "num_bins", "epsilon", "output_mode", "sparse", "name", "dtype"]
    )
    revived = layers.Discretization.from_config(config)
    assert revived.bin_boundaries == layer.bin_boundaries
    np.testing.assert_array_equal(_np(revived(np.arange(30.0))), _np(layer(np.arange(30.0))))


def test_symbolic_output_spec():
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="count")
    output = layer(kcore.KerasTensor((None, 4)))
    assert output.shape == (None, 3) and output.dtype == "float32"
    assert layers.Discretization(bin_boundaries=[0.0])(kcore.KerasTensor((None, 4))).dtype == (
        "int32"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bin_boundaries": [0.0], "num_bins": 2}, "Both `num_bins` and `bin_boundaries`"),
        ({}, "either `num_bins`"),
        ({"num_bins": -1}, "greater than or equal to 0"),
        ({"num_bins": 2, "output_mode": "bins"}, r"Unknown value for `output_mode`.*'int'"),
        ({"num_bins": 2, "sparse": True}, "sparse=True"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Discretization(**kwargs)


def test_errors_on_adapt_with_boundaries_and_call_before_adapt():
    with pytest.raises(ValueError, match="initialized with `bin_boundaries`"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(DATA)
    layer = layers.Discretization(num_bins=3)
    with pytest.raises(ValueError, match="call `adapt"):
        layer(DATA)
