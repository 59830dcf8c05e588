"""GroupNormalization: per-example statistics over groups of channels, instance normalization,
channels_first, and its errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

EPS = 1e-3


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(1.0, 2.0, size=shape).astype("float32")


def _reference(x, groups, gamma, beta):
    """Group normalization of channels-last `x`, in numpy."""
    batch, channels = x.shape[0], x.shape[-1]
    grouped = x.reshape(batch, -1, groups, channels // groups)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    var = grouped.var(axis=(1, 3), keepdims=True)
    normalized = ((grouped - mean) / np.sqrt(var + EPS)).reshape(x.shape)
    return normalized * gamma + beta


def test_group_normalization_basics():
    run_layer_test(
        layers.GroupNormalization,
        init_kwargs={"groups": 2, "gamma_regularizer": "l2"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=1,
        supports_masking=True,
    )


def test_group_normalization_channels_first_without_weights():
    run_layer_test(
        layers.GroupNormalization,
        init_kwargs={"groups": 3, "axis": 1, "center": False, "scale": False},
        input_shape=(2, 6, 4, 4),
        expected_output_shape=(2, 6, 4, 4),
        expected_num_trainable_weights=0,
    )


def test_values_match_numpy():
    x = _data((3, 5, 5, 6))
    layer = layers.GroupNormalization(
        groups=3, gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    out = _np(layer(x))
    expected = _reference(x, 3, _np(layer.gamma), _np(layer.beta))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(layer(x, training=True)), out, rtol=1e-6)


def test_channels_first_matches_transposed_channels_last():
    x = _data((2, 4, 3, 8))
    last = layers.GroupNormalization(groups=4)
    first = layers.GroupNormalization(groups=4, axis=1)
    out_first = _np(first(np.transpose(x, (0, 3, 1, 2))))
    np.testing.assert_allclose(np.transpose(out_first, (0, 2, 3, 1)), _np(last(x)), atol=1e-5)


def test_groups_minus_one_is_instance_normalization():
    x = _data((2, 7, 4))
    layer = layers.GroupNormalization(groups=-1)
    out = _np(layer(x))
    assert layer.get_config()["groups"] == 4
    expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + EPS)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_one_group_normalizes_each_example_as_a_whole():
    x = _data((2, 3, 4))
    out = _np(layers.GroupNormalization(groups=1)(x))
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + EPS), rtol=1e-4, atol=1e-5)


def test_half_precision_output():
    out = layers.GroupNormalization(groups=2, dtype="mixed_float16")(_data((2, 4)) * 1000)
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    assert np.all(np.isfinite(_np(out)))


def test_groups_must_divide_the_channels():
    with pytest.raises(ValueError, match=r"groups \(3\) must divide the number of channels \(4"):
        layers.GroupNormalization(groups=3)(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"groups \(8\) must divide"):
        layers.GroupNormalization(groups=8)(np.ones((2, 4), "float32"))


@pytest.mark.parametrize("groups", [0, -2, 1.5, True])
def test_invalid_groups_are_refused(groups):
    with pytest.raises(ValueError, match="groups"):
        layers.GroupNormalization(groups=groups)


def test_axis_out_of_range_names_the_layer_and_the_shape():
    layer = layers.GroupNormalization(groups=1, axis=2, name="gn_bad")
    with pytest.raises(ValueError, match=r'"gn_bad".*axis 2 is out of bounds.*\(2, 4\)'):
        layer(np.ones((2, 4), "float32"))
    with pytest.raises(TypeError, match="axis"):
        layers.GroupNormalization(axis=[1])


def test_wrong_channel_count_after_build_is_refused():
    layer = layers.GroupNormalization(groups=2)
    layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="incompatible"):
        layer(np.ones((2, 6), "float32"))
