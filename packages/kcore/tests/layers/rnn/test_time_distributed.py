"""TimeDistributed: the wrapped layer on each time step, masks, training, and the errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_time_distributed_basics():
    run_layer_test(
        layers.TimeDistributed,
        init_kwargs={"layer": layers.Dense(3)},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=2,
        supports_masking=True,
    )


def test_each_time_step_goes_through_the_same_layer():
    x = np.random.default_rng(0).normal(size=(2, 4, 6, 5)).astype("float32")
    layer = layers.TimeDistributed(layers.Dense(3, activation="relu"))
    outputs = _np(layer(x))
    kernel, bias = layer.layer.get_weights()
    np.testing.assert_allclose(outputs, np.maximum(x @ kernel + bias, 0), rtol=1e-5, atol=1e-6)
    assert tuple(layer.compute_output_shape((None, 4, 6, 5))) == (None, 4, 6, 3)


def test_training_reaches_the_wrapped_layer():
    layer = layers.TimeDistributed(layers.Dropout(0.5, seed=1))
    x = np.ones((2, 3, 64), "float32")
    np.testing.assert_array_equal(_np(layer(x)), x)
    assert (_np(layer(x, training=True)) == 0).any()


def test_mask_reaches_a_wrapped_layer_that_takes_one():
    class CountKept(layers.Layer):
        def call(self, inputs, mask=None):
            kept = ops.cast(mask, "float32") if mask is not None else ops.ones(inputs.shape[:1])
            return inputs * ops.expand_dims(kept, -1)

    x = np.ones((2, 3, 2), "float32")
    mask = np.array([[1, 0, 1], [0, 1, 1]], bool)
    outputs = _np(layers.TimeDistributed(CountKept())(x, mask=mask))
    np.testing.assert_array_equal(outputs[..., 0], mask.astype("float32"))
    with pytest.raises(ValueError, match="incompatible with the input shape"):
        layers.TimeDistributed(CountKept())(x, mask=np.ones((2, 4), bool))


def test_inputs_of_rank_below_3_are_refused():
    with pytest.raises(ValueError, match=r"rank 3 or more.*\(2, 4\)"):
        layers.TimeDistributed(layers.Dense(3))(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="Layer"):
        layers.TimeDistributed("dense")


def test_config_round_trip_and_a_functional_model():
    layer = layers.TimeDistributed(layers.Dense(3), name="per_step")
    revived = layers.TimeDistributed.from_config(layer.get_config())
    assert isinstance(revived.layer, layers.Dense) and revived.name == "per_step"
    inputs = kcore.Input((4, 5))
    model = kcore.Model(inputs, layers.TimeDistributed(layers.Dense(2))(inputs))
    assert tuple(model.output_shape) == (None, 4, 2)
