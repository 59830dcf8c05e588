"""Resizing: values against numpy for nearest and bilinear, aspect-ratio cropping and padding,
integer images, and its argument errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(2, 5, 6, 3)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def _bilinear_upsample(x, out_h, out_w):
    """Half-pixel-center linear interpolation along height and width, edges clamped."""

    def along(values, axis, size):
        n = values.shape[axis]
        source = np.clip((np.arange(size) + 0.5) * n / size - 0.5, 0, n - 1)
        low = np.floor(source).astype(int)
        high = np.minimum(low + 1, n - 1)
        weight = (source - low).reshape([-1 if a == axis else 1 for a in range(values.ndim)])
        return np.take(values, low, axis) * (1 - weight) + np.take(values, high, axis) * weight

    return along(along(x, 1, out_h), 2, out_w)


def test_resizing_basics():
    run_layer_test(
        layers.Resizing,
        init_kwargs={"height": 3, "width": 4},
        input_shape=(2, 5, 6, 3),
        expected_output_shape=(2, 3, 4, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
        expected_num_seed_generators=0,
    )
    run_layer_test(
        layers.Resizing,
        init_kwargs={"height": 7, "width": 2, "data_format": "channels_first"},
        input_shape=(3, 5, 6),
        expected_output_shape=(3, 7, 2),
    )


def test_nearest_picks_the_pixel_under_each_output_center():
    x = _images((1, 6, 9, 2))
    out = _np(layers.Resizing(4, 3, interpolation="nearest")(x))
    rows = np.floor((np.arange(4) + 0.5) * 6 / 4).astype(int)
    cols = np.floor((np.arange(3) + 0.5) * 9 / 3).astype(int)
    np.testing.assert_array_equal(out, x[:, rows][:, :, cols])


def test_bilinear_upsampling_matches_numpy():
    x = _images((2, 3, 4, 2))
    out = _np(layers.Resizing(7, 9)(x))
    np.testing.assert_allclose(out, _bilinear_upsample(x, 7, 9), rtol=1e-5, atol=1e-5)


def test_crop_to_aspect_ratio_resizes_the_centered_window():
    x = _images((2, 6, 10, 1))
    out = _np(layers.Resizing(3, 3, crop_to_aspect_ratio=True)(x))
    window = x[:, :, 2:8]  # the centered 6x6 window
    np.testing.assert_allclose(out, _np(layers.Resizing(3, 3)(window)), rtol=1e-5, atol=1e-6)


def test_pad_to_aspect_ratio_pads_the_short_side_with_fill_value():
    x = _images((1, 2, 4, 1))
    out = _np(layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=7.0)(x))
    want = np.pad(x, ((0, 0), (1, 1), (0, 0), (0, 0)), constant_values=7.0)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "interpolation", ["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"]
)
def test_every_interpolation_keeps_a_constant_image(interpolation):
    x = np.full((1, 5, 7, 2), 3.0, "float32")
    out = _np(layers.Resizing(3, 11, interpolation=interpolation, antialias=True)(x))
    assert out.shape == (1, 3, 11, 2)
    np.testing.assert_allclose(out, 3.0, rtol=1e-5)


def test_integer_images_are_rounded_and_keep_their_dtype():
    x = (np.random.default_rng(1).random((2, 5, 6, 3)) * 255).astype("uint8")
    layer = layers.Resizing(3, 4)
    out = layer(x)
    assert kcore.backend.standardize_dtype(out.dtype) == "uint8"
    want = np.clip(np.round(_np(layers.Resizing(3, 4)(x.astype("float32")))), 0, 255)
    np.testing.assert_array_equal(_np(out), want.astype("uint8"))
    symbolic = layer(kcore.KerasTensor((None, 5, 6, 3), dtype="uint8"))
    assert symbolic.dtype == "uint8" and symbolic.shape == (None, 3, 4, 3)


def test_resizing_is_applied_at_inference_too():
    x = _images()
    np.testing.assert_array_equal(
        _np(layers.Resizing(3, 4)(x, training=False)), _np(layers.Resizing(3, 4)(x))
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interpolation": "area"}, "unknown `interpolation` 'area'"),
        ({"fill_mode": "reflect"}, "unknown `fill_mode` 'reflect'"),
        ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "only one of"),
        ({"height": 0}, "`height` must be a positive integer"),
        ({"width": 2.5}, "`width` must be a positive integer"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    arguments = {"height": 3, "width": 4, **kwargs}
    with pytest.raises(ValueError, match=rf"Resizing: {message}"):
        layers.Resizing(**arguments)
