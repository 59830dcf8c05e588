"""IntegerLookup: lookups with kcore ops (inside models too), special tokens, OOV methods,
output modes, inversion, adapt, errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

VOCABULARY = [12, 36, 1138, 42]
CODES = np.array([[12, 1138, 42], [42, 1000, 36]], "int32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _int64():
    return "int64" if "int64" in kcore.backend.capabilities().dtypes else "int32"


def test_lookup_through_the_layer_test():
    run_layer_test(
        layers.IntegerLookup,
        init_kwargs={"vocabulary": [1, 3, 5]},
        input_shape=(4, 3),
        input_dtype="int32",
        expected_output_shape=(4, 3),
        expected_output_dtype=_int64(),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )
    np.testing.assert_array_equal(
        _np(layers.IntegerLookup(vocabulary=VOCABULARY)(CODES)), [[1, 3, 4], [4, 0, 2]]
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # The indices Keras 3.15 gives.
        ({"num_oov_indices": 3}, [[3, 5, 1], [6, 1, 1]]),
        ({"num_oov_indices": 3, "oov_method": "farmhash"}, [[3, 5, 1], [6, 2, 2]]),
        ({"num_oov_indices": 3, "oov_method": "farmhash", "salt": [1, 2]}, [[3, 5, 1], [6, 1, 0]]),
        ({"mask_token": 0}, [[2, 0, 1]]),
    ],
)
def test_oov_methods_and_mask(kwargs, expected):
    data = (
        np.array([[12, 0, 7]])
        if "mask_token" in kwargs
        else np.array([[12, 1138, 7], [42, 1000, 37]])
    )
    np.testing.assert_array_equal(
        _np(layers.IntegerLookup(vocabulary=VOCABULARY, **kwargs)(data)), expected
    )


@pytest.mark.parametrize(
    ("kwargs", "data", "expected"),
    [
        ({"output_mode": "multi_hot"}, CODES, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
        (
            {"output_mode": "multi_hot", "mask_token": 0},
            [[12, 0, 7], [42, 1000, 36]],
            [[1, 1, 0, 0, 0], [1, 0, 1, 0, 1]],
        ),
        ({"output_mode": "count"}, [12, 12, 36], [0, 2, 1, 0, 0]),
        (
            {"output_mode": "tf_idf", "idf_weights": [0.5, 1.0, 2.0, 4.0]},
            [[12, 12, 7]],
            [[1.875, 1.0, 0, 0, 0]],
        ),
    ],
)
def test_vector_output_modes(kwargs, data, expected):
    output = layers.IntegerLookup(vocabulary=VOCABULARY, **kwargs)(np.array(data))
    np.testing.assert_allclose(_np(output), expected, rtol=1e-6)


def test_invert_and_float_inputs():
    inverse = layers.IntegerLookup(vocabulary=VOCABULARY, invert=True)
    np.testing.assert_array_equal(_np(inverse(np.array([[1, 2, 0, 9]]))), [[12, 36, -1, -1]])
    layer = layers.IntegerLookup(vocabulary=VOCABULARY)
    np.testing.assert_array_equal(_np(layer(np.array([[12.0, 1138.0]], "float32"))), [[1, 3]])
    assert _np(layer(np.array(12))).tolist() == 1


def test_adapt_orders_by_frequency_then_value():
    layer = layers.IntegerLookup()
    layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36], [42, 12, 12]]))
    assert layer.get_vocabulary() == [-1, 42, 12, 1138, 1000, 36]
    np.testing.assert_array_equal(_np(layer(np.array([[12, 1138, 42]]))), [[2, 3, 1]])


def test_symbolic_and_functional_use():
    inputs = kcore.Input((3,), dtype="int32")
    layer = layers.IntegerLookup(vocabulary=VOCABULARY, output_mode="multi_hot")
    model = kcore.Model(inputs, layer(inputs))
    assert model.output_shape == (None, 5)
    np.testing.assert_array_equal(_np(model(CODES)), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])


@pytest.mark.needs_training
def test_lookup_inside_fit():
    rng = np.random.default_rng(0)
    codes = rng.choice([12, 36, 42, 7], size=(32, 2)).astype("int32")
    inputs = kcore.Input((2,), dtype="int32")
    encoded = layers.IntegerLookup(vocabulary=VOCABULARY, output_mode="count")(inputs)
    model = kcore.Model(inputs, layers.Dense(1)(ops.cast(encoded, "float32")))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(codes, rng.normal(size=(32, 1)), batch_size=8, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.predict(codes[:3], verbose=0).shape == (3, 1)


def test_config_holds_python_ints():
    layer = layers.IntegerLookup(vocabulary=np.array(VOCABULARY), mask_token=0)
    config = layer.get_config()
    assert config["vocabulary"] == VOCABULARY and config["vocabulary_dtype"] == "int64"
    assert layers.IntegerLookup.from_config(config).get_vocabulary() == layer.get_vocabulary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vocabulary_dtype": "int32"}, "Only `vocabulary_dtype='int64'`"),
        ({"num_oov_indices": -1}, "must >= 0"),
        ({"vocabulary": [1, 1]}, "repeated term"),
        ({"vocabulary": [1, 0], "mask_token": 0}, "reserved mask token"),
        ({"salt": 3}, "`salt` can only be used when `oov_method='farmhash'`"),
        ({"oov_method": "modulo"}, "Unknown value for `oov_method`"),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.IntegerLookup(**kwargs)


def test_out_of_vocabulary_error_without_oov_indices():
    layer = layers.IntegerLookup(vocabulary=VOCABULARY, num_oov_indices=0, mask_token=0)
    np.testing.assert_array_equal(_np(layer(np.array([[12, 0]]))), [[1, 0]])
    with pytest.raises(ValueError, match=r"found OOV values \[7\]"):
        layer(np.array([[12, 7, 0]]))
