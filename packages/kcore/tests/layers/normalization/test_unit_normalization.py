"""UnitNormalization: unit L2 norm over one or several axes, zeros kept, and its errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_unit_normalization_basics():
    run_layer_test(
        layers.UnitNormalization,
        init_kwargs={"axis": -1},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_unit_normalization_over_several_axes():
    run_layer_test(
        layers.UnitNormalization,
        init_kwargs={"axis": (1, 2)},
        input_shape=(1, 3, 3),
        expected_output_shape=(1, 3, 3),
    )


def test_each_example_gets_norm_one():
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    out = _np(layers.UnitNormalization()(x))
    np.testing.assert_allclose((out**2).sum(-1), np.ones(4), rtol=1e-5)
    np.testing.assert_allclose(out, x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-5)


def test_several_axes_use_the_norm_of_all_their_entries():
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    out = _np(layers.UnitNormalization(axis=[1, 2])(x))
    norm = np.sqrt((x**2).sum((1, 2), keepdims=True))
    np.testing.assert_allclose(out, x / norm, rtol=1e-5)


def test_zeros_stay_zero_and_integers_give_floats():
    out = layers.UnitNormalization()(np.array([[0, 0], [3, 4]], "int32"))
    assert kcore.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(_np(out), [[0, 0], [0.6, 0.8]], rtol=1e-6)


def test_half_precision_does_not_overflow():
    x = np.full((1, 4), 1000.0, "float32")
    out = layers.UnitNormalization(dtype="mixed_float16")(x)
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    np.testing.assert_allclose(_np(out).astype("float32"), np.full((1, 4), 0.5), rtol=1e-3)


def test_axis_errors_name_the_layer():
    with pytest.raises(ValueError, match=r'"un_bad".*axis 2 is out of bounds'):
        layers.UnitNormalization(axis=2, name="un_bad")(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.UnitNormalization(axis=[1, 5]).compute_output_shape((2, 3))
    with pytest.raises(TypeError, match="axis"):
        layers.UnitNormalization(axis=None)
