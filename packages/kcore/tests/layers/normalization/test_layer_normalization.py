"""LayerNormalization: per-example statistics over one or several axes, its weights and config
(Keras's), half precision, the deprecated `rms_scaling`, and its errors."""

import warnings

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

EPS = 1e-3


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(2.0, 3.0, size=shape).astype("float32")


def test_layer_normalization_basics():
    run_layer_test(
        layers.LayerNormalization,
        init_kwargs={"gamma_regularizer": "l2"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=1,
        supports_masking=True,
    )


def test_layer_normalization_over_several_axes_without_center():
    run_layer_test(
        layers.LayerNormalization,
        init_kwargs={"axis": (1, 2), "center": False, "epsilon": 1e-5},
        input_shape=(2, 3, 4, 5),
        expected_output_shape=(2, 3, 4, 5),
        expected_num_trainable_weights=1,
    )


def test_layer_normalization_without_weights():
    run_layer_test(
        layers.LayerNormalization,
        init_kwargs={"center": False, "scale": False},
        input_shape=(2, 4),
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=0,
    )


def test_values_match_numpy_over_the_last_axis():
    x = _data((3, 5))
    layer = layers.LayerNormalization(
        gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    out = _np(layer(x))
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    expected = (x - mean) / np.sqrt(var + EPS) * _np(layer.gamma) + _np(layer.beta)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    # No training-time difference.
    np.testing.assert_allclose(_np(layer(x, training=True)), out, rtol=1e-6)


def test_values_match_numpy_over_inner_axes():
    x = _data((2, 3, 4, 5))
    layer = layers.LayerNormalization(
        axis=[2, 1], gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    out = _np(layer(x))
    assert layer.gamma.shape == (3, 4) and layer.axis == [1, 2]
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    gamma = _np(layer.gamma)[None, :, :, None]
    beta = _np(layer.beta)[None, :, :, None]
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + EPS) * gamma + beta, atol=1e-5)


def test_negative_axes_stay_negative_in_the_config():
    layer = layers.LayerNormalization()
    assert layer.get_config()["axis"] == -1
    layer.build((2, 3))
    assert layer.get_config()["axis"] == [-1]
    assert set(layer.get_config()) >= {"rms_scaling", "beta_initializer", "gamma_constraint"}


def test_half_precision_output_is_computed_in_float32():
    x = _data((2, 8)) * 1000
    layer = layers.LayerNormalization(dtype="mixed_float16")
    out = layer(x)
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + EPS)
    np.testing.assert_allclose(_np(out).astype("float32"), expected, atol=2e-3)


def test_deprecated_rms_scaling_scales_by_the_variance_without_centering():
    x = _data((3, 4))
    with pytest.warns(UserWarning, match="deprecated"):
        layer = layers.LayerNormalization(rms_scaling=True, gamma_initializer="random_normal")
    out = _np(layer(x))
    assert [w.path.split("/")[-1] for w in layer.weights] == ["gamma"]
    expected = x / np.sqrt(x.var(-1, keepdims=True) + EPS) * _np(layer.gamma)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert layers.LayerNormalization.from_config(layer.get_config()).rms_scaling is True


def test_axis_out_of_range_names_the_layer_and_the_shape():
    layer = layers.LayerNormalization(axis=[1, 3], name="ln_bad")
    with pytest.raises(ValueError, match=r'"ln_bad".*axis 3 is out of bounds.*\(2, 3, 4\)'):
        layer(np.ones((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.LayerNormalization(axis=-4).compute_output_shape((2, 3, 4))


def test_bad_axis_arguments_are_refused():
    with pytest.raises(TypeError, match="axis"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="twice"):
        layers.LayerNormalization(axis=[1, -1])(np.ones((2, 3), "float32"))
