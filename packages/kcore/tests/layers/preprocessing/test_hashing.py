"""Hashing: Keras's bin numbers (FarmHash, salted SipHash, masks, numbers), output modes, use in a
model, errors; and the hash functions against their reference values."""

import sys

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.layers.preprocessing import _hashing
from kcore.testing.layers import run_layer_test

LETTERS = np.array([["A"], ["B"], ["C"], ["D"], ["E"]], dtype=object)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_hashing_strings_through_the_layer_test():
    run_layer_test(
        layers.Hashing,
        init_kwargs={"num_bins": 3},
        input_data=LETTERS,
        expected_output_shape=(5, 1),
        expected_output=np.array([[1], [0], [1], [1], [2]]),
        expected_num_trainable_weights=0,
    )


@pytest.mark.parametrize(
    ("kwargs", "data", "expected"),
    [
        # The bins Keras 3.15 (TensorFlow's hash ops) gives for these values.
        ({"num_bins": 3, "salt": 133}, LETTERS, [[0], [0], [2], [1], [0]]),
        ({"num_bins": 3, "mask_value": ""}, [["A"], [""], ["C"]], [[1], [0], [2]]),
        ({"num_bins": 5}, np.array([[1], [22], [-3]], "int32"), [[4], [0], [4]]),
        ({"num_bins": 5}, np.array([[1.5], [22.0], [-3.9]], "float32"), [[4], [0], [4]]),
        ({"num_bins": 5, "mask_value": 0}, np.array([[0], [22], [-3]], "int64"), [[0], [1], [4]]),
    ],
)
def test_keras_bins(kwargs, data, expected):
    np.testing.assert_array_equal(_np(layers.Hashing(**kwargs)(data)), expected)


def test_int_outputs_are_backend_tensors_of_the_layer_dtype():
    output = layers.Hashing(num_bins=3)(["A", "B"])
    assert ops.is_tensor(output)
    expected = "int64" if "int64" in kcore.backend.capabilities().dtypes else "int32"
    assert kcore.backend.standardize_dtype(output.dtype) == expected
    output = layers.Hashing(num_bins=3, dtype="int32")(["A", "B"])
    assert kcore.backend.standardize_dtype(output.dtype) == "int32"


@pytest.mark.parametrize(
    ("mode", "data", "expected"),
    [
        ("multi_hot", [["A", "B"], ["C", "D"]], [[0, 0, 0, 1, 1], [1, 0, 1, 0, 0]]),
        ("one_hot", ["A", "B", "C"], [[0, 0, 0, 0, 1], [0, 0, 0, 1, 0], [0, 0, 1, 0, 0]]),
        ("count", [["A", "A"], ["C", "D"]], [[0, 0, 0, 0, 2], [1, 0, 1, 0, 0]]),
    ],
)
def test_vector_output_modes(mode, data, expected):
    output = layers.Hashing(num_bins=5, output_mode=mode)(data)
    assert kcore.backend.standardize_dtype(output.dtype) == "float32"
    np.testing.assert_array_equal(_np(output), expected)


def test_byte_strings_hash_like_str():
    layer = layers.Hashing(num_bins=3)
    np.testing.assert_array_equal(_np(layer(np.array([b"A", b"E"]))), _np(layer(["A", "E"])))


def test_symbolic_output_spec():
    output = layers.Hashing(num_bins=4)(kcore.KerasTensor((None, 2), dtype="string"))
    assert output.shape == (None, 2)
    output = layers.Hashing(num_bins=4, output_mode="multi_hot")(
        kcore.KerasTensor((None, 2), dtype="string")
    )
    assert output.shape == (None, 4) and output.dtype == "float32"


@pytest.mark.needs_training
def test_integer_hashing_inside_an_eager_fit():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 1000, size=(32, 1)).astype("int32")
    inputs = kcore.Input((1,), dtype="int32")
    hashed = layers.Hashing(num_bins=8, output_mode="one_hot")(inputs)
    model = kcore.Model(inputs, layers.Dense(1)(hashed))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    history = model.fit(ids, rng.normal(size=(32, 1)), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_config_round_trip():
    layer = layers.Hashing(num_bins=4, salt=[1, 2], mask_value="", output_mode="count")
    config = layer.get_config()
    assert config["salt"] == [1, 2] and config["dtype"]["config"]["name"] == "float32"
    assert layers.Hashing.from_config(config).get_config() == config
    assert layers.Hashing(num_bins=4, salt=3).salt == [3, 3]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_bins": 0}, "cannot be `None` or non-positive"),
        ({"num_bins": 3, "salt": "pepper"}, "`salt` argument"),
        ({"num_bins": 3, "output_mode": "bins"}, "Unknown value for `output_mode`"),
        ({"num_bins": 3, "dtype": "float32"}, "should be an integer type"),
        ({"num_bins": 3, "output_mode": "count", "sparse": True}, "sparse=True"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Hashing(**kwargs)


def test_siphash_reference_vector():
    # The SipHash-2-4 paper's test vector: key 00..0f, message 00..0e.
    key = bytes(range(16))
    value = _hashing.siphash(
        int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little"), bytes(range(15))
    )
    assert value == 0xA129CA6149BE45E5


def test_farmhash_fingerprint_and_cross_hash_reference_values():
    # TensorFlow's to_hash_bucket_fast("hello", 2**62) and cross_hashed give these.
    assert _hashing.hash_values(np.array(["hello"]), 2**62).tolist() == [
        13009744463427800296 % 2**62
    ]
    crossed = _hashing.cross_hash([np.array([1, 2, -3]), np.array(["x", "y", "z"])], 2**62)
    assert crossed.tolist() == [854275097015501859, 3006502044339696796, 3029015718551799824]
    assert _hashing.as_bytes(True) == b"true" and _hashing.as_bytes(-2.7) == b"-2"


@pytest.mark.needs_training
@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes need Python 3.11")
def test_a_compiled_step_that_cannot_read_values_says_how_to_fix_it():
    ids = np.arange(16, dtype="int32")[:, None]
    inputs = kcore.Input((1,), dtype="int32")
    hashed = layers.Hashing(num_bins=4, output_mode="one_hot")(inputs)
    model = kcore.Model(inputs, layers.Dense(1)(hashed))
    model.compile(optimizer="sgd", loss="mse")
    try:
        model.fit(ids, np.zeros((16, 1)), batch_size=8, epochs=1, verbose=0)
    except Exception as error:  # the backend traced the step: its error carries the fix
        assert "run_eagerly=True" in " ".join(getattr(error, "__notes__", []))
