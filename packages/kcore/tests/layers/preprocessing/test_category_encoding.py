"""CategoryEncoding: one-hot, multi-hot and count encodings, count weights, range errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    ("mode", "data", "expected"),
    [
        ("one_hot", [3, 2, 0, 1], np.eye(4)[[3, 2, 0, 1]]),
        ("one_hot", [[3], [1]], np.eye(4)[[3, 1]]),
        (
            "multi_hot",
            [[0, 1], [0, 0], [1, 2], [3, 1]],
            [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]],
        ),
        (
            "count",
            [[0, 1], [0, 0], [1, 2], [3, 1]],
            [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]],
        ),
    ],
)
def test_encodings(mode, data, expected):
    run_layer_test(
        layers.CategoryEncoding,
        init_kwargs={"num_tokens": 4, "output_mode": mode},
        input_data=np.array(data, "int32"),
        expected_output_dtype="float32",
        expected_output=np.array(expected, "float32"),
        expected_num_trainable_weights=0,
        run_mixed_precision_check=False,
    )


def test_one_sample_of_rank_1_encodes_to_one_vector():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    np.testing.assert_array_equal(_np(layer(np.array([0, 2, 2]))), [1, 0, 2, 0])


def test_count_weights():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]], "float32")
    output = layer([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=weights)
    np.testing.assert_allclose(
        _np(output),
        [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0], [0, 0.2, 0, 0.4]],
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([1], count_weights=[1.0])


def test_float_ids_and_the_default_mode():
    layer = layers.CategoryEncoding(num_tokens=3)
    assert layer.output_mode == "multi_hot"
    np.testing.assert_array_equal(_np(layer(np.array([[0.0, 2.0]], "float32"))), [[1, 0, 1]])


def test_error_on_values_outside_num_tokens():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    with pytest.raises(ValueError, match=r"0 <= value < num_tokens \(4\).*from 0 to 5"):
        layer(np.array([[0, 5]]))
    with pytest.raises(ValueError, match="from -1 to 2"):
        layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")(np.array([[-1], [2]]))


def test_inside_a_model_out_of_range_ids_encode_to_zeros():
    inputs = kcore.Input((2,), dtype="int32")
    model = kcore.Model(inputs, layers.CategoryEncoding(num_tokens=3, output_mode="count")(inputs))
    np.testing.assert_array_equal(_np(model(np.array([[0, 7], [2, 2]]))), [[1, 0, 0], [0, 0, 2]])


def test_symbolic_output_spec():
    output = layers.CategoryEncoding(num_tokens=5, output_mode="one_hot")(
        kcore.KerasTensor((None, 1), dtype="int32")
    )
    assert output.shape == (None, 5) and output.dtype == "float32"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "num_tokens must be set"),
        ({"num_tokens": 0}, "must be >= 1"),
        ({"num_tokens": 3, "output_mode": "tf_idf"}, r"Unknown value for `output_mode`"),
        ({"num_tokens": 3, "sparse": True}, "sparse=True"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.CategoryEncoding(**kwargs)
