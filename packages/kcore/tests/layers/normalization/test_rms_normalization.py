"""RMSNormalization: root-mean-square normalization with a learned scale, and its errors."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test

EPS = 1e-6


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_rms_normalization_basics():
    run_layer_test(
        layers.RMSNormalization,
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
    )


def test_rms_normalization_over_several_axes():
    run_layer_test(
        layers.RMSNormalization,
        init_kwargs={"axis": [1, 2], "epsilon": 1e-5},
        input_shape=(2, 3, 4, 5),
        expected_output_shape=(2, 3, 4, 5),
        expected_num_trainable_weights=1,
    )


def test_values_match_numpy():
    x = np.random.default_rng(0).normal(1.0, 2.0, size=(3, 6)).astype("float32")
    layer = layers.RMSNormalization()
    layer.build(x.shape)
    scale = np.linspace(0.5, 2.0, 6).astype("float32")
    layer.set_weights([scale])
    expected = x / np.sqrt((x**2).mean(-1, keepdims=True) + EPS) * scale
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5)


def test_inner_axes_scale_broadcasts_over_them():
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    layer = layers.RMSNormalization(axis=1)
    layer.build(x.shape)
    scale = np.array([1.0, 2.0, 3.0], "float32")
    layer.set_weights([scale])
    expected = x / np.sqrt((x**2).mean(1, keepdims=True) + EPS) * scale[None, :, None]
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5)


def test_config_keeps_keras_axis_form():
    layer = layers.RMSNormalization()
    assert layer.get_config()["axis"] == -1
    layer.build((2, 3))
    assert layer.get_config()["axis"] == [-1] and layer.get_config()["epsilon"] == 1e-6
    assert [w.path.split("/")[-1] for w in layer.weights] == ["scale"]


def test_axis_errors_name_the_layer():
    with pytest.raises(ValueError, match=r'"rms_bad".*axis 2 is out of bounds.*\(2, 3\)'):
        layers.RMSNormalization(axis=2, name="rms_bad")(np.ones((2, 3), "float32"))
    with pytest.raises(TypeError, match="axis"):
        layers.RMSNormalization(axis=1.0)
