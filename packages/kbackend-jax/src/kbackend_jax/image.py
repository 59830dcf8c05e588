"""Contract group ``image`` on JAX: `jax.image` resizing, `jax.scipy.ndimage` sampling."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.ndimage import map_coordinates as _map_coordinates

from kbackend_jax._compute import as_tuple, float_input, to_jax, widen
from kbackend_jax.nn_conv import conv
from kbackend_jax.random import key
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.contract.image import margins, resize_target


def _check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Images must have rank 3 (one image) or 4 (a batch), got shape {images.shape}."
        )


def _to_nhwc(images, data_format):
    """A batch in channels_last, and a function putting a result back in the input's layout."""
    data_format = config.standardize_data_format(data_format)
    _check_rank(images)
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = jnp.moveaxis(x, 1, -1)

    def back(result):
        if data_format == "channels_first":
            result = jnp.moveaxis(result, -1, 1)
        return result[0] if unbatched else result

    return x, back


def _channel_axis(data_format):
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def _float_images(images):
    images = to_jax(images)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise ValueError(f"Images must have a float dtype, got {images.dtype}.")
    _check_rank(images)
    return images


# Color.


def rgb_to_grayscale(images, data_format=None):
    images = to_jax(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    weights = jnp.array([0.2989, 0.5870, 0.1140], jnp.float32)
    gray = jnp.tensordot(widen(float_input(images)), weights, axes=([axis], [0]))
    return jnp.expand_dims(gray, axis).astype(images.dtype)


def rgb_to_hsv(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    red, green, blue = jnp.moveaxis(widen(images), axis, 0)
    value = jnp.maximum(jnp.maximum(red, green), blue)
    spread = value - jnp.minimum(jnp.minimum(red, green), blue)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = jnp.where(value == red, norm * (green - blue), hue)
    hue = jnp.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0.0)
    return jnp.stack([hue, saturation, value], axis=axis).astype(images.dtype)


def hsv_to_rgb(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    hue, saturation, value = jnp.moveaxis(widen(images), axis, 0)
    dh = jnp.mod(hue, 1.0) * 6.0
    channels = (
        jnp.clip(jnp.abs(dh - 3.0) - 1.0, 0.0, 1.0),
        jnp.clip(2.0 - jnp.abs(dh - 2.0), 0.0, 1.0),
        jnp.clip(2.0 - jnp.abs(dh - 4.0), 0.0, 1.0),
    )
    rgb = [value * (1.0 - saturation + saturation * c) for c in channels]
    return jnp.stack(rgb, axis=axis).astype(images.dtype)


# Resizing.

_METHODS = {
    "linear": "linear",
    "bilinear": "linear",
    "trilinear": "linear",
    "triangle": "triangle",
    "cubic": "cubic",
    "bicubic": "cubic",
    "tricubic": "cubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}


def scale_and_translate(
    images,
    output_shape,
    scale,
    translation,
    spatial_dims,
    method,
    antialias=True,
):
    if method not in _METHODS:
        raise ValueError(f"Unknown method {method!r}; expected one of {sorted(_METHODS)}.")
    images = float_input(images)
    result = jax.image.scale_and_translate(
        widen(images),
        tuple(output_shape),
        tuple(spatial_dims),
        jnp.asarray(scale, jnp.float32),
        jnp.asarray(translation, jnp.float32),
        _METHODS[method],
        antialias=antialias,
        precision=jax.lax.Precision.HIGHEST,
    )
    return result.astype(images.dtype)


def _aspect_ratio(x, target_height, target_width, crop, fill_value):
    """Center-crops or pads (both sides equally) a NHWC batch to the target aspect ratio."""
    height, width = x.shape[1:3]
    if crop:
        crop_height = max(min(height, int(width * target_height / target_width)), 1)
        crop_width = max(min(width, int(height * target_width / target_height)), 1)
        top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
        return x[:, top : top + crop_height, left : left + crop_width]
    pad_height = max(height, int(width * target_height / target_width))
    pad_width = max(width, int(height * target_width / target_height))
    top, left = int((pad_height - height) / 2), int((pad_width - width) / 2)
    if top > 0:
        return jnp.pad(x, ((0, 0), (top, top), (0, 0), (0, 0)), constant_values=fill_value)
    if left > 0:
        return jnp.pad(x, ((0, 0), (0, 0), (left, left), (0, 0)), constant_values=fill_value)
    return x


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    target_height, target_width = resize_target(
        size, interpolation, fill_mode, crop_to_aspect_ratio, pad_to_aspect_ratio
    )
    images = to_jax(images)
    x, back = _to_nhwc(images, data_format)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _aspect_ratio(x, target_height, target_width, crop_to_aspect_ratio, fill_value)
    shape = (x.shape[0], target_height, target_width, x.shape[3])
    if interpolation == "nearest":
        return back(jax.image.resize(x, shape, "nearest"))
    x = float_input(x)
    method = _METHODS[interpolation]
    result = jax.image.resize(widen(x), shape, method, antialias=antialias)
    return back(result.astype(x.dtype))


# Sampling.

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_TRANSFORM_ORDERS = {"nearest": 0, "bilinear": 1}


def _sample(values, coordinates, order, fill_mode, fill_value):
    """`map_coordinates` of `values` (float) at `coordinates` (a list, one array per axis)."""
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"Unknown fill_mode {fill_mode!r}; expected one of {_FILL_MODES}.")
    if order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order!r}.")
    if order == 0:
        # jax rounds halves up; the contract rounds them to even, as `jnp.round` does.
        coordinates = [jnp.round(c) for c in coordinates]
    return _map_coordinates(values, coordinates, order, mode=fill_mode, cval=fill_value)


def _round_to(result, dtype):
    if jnp.issubdtype(dtype, jnp.integer):
        result = jnp.sign(result) * jnp.floor(jnp.abs(result) + 0.5)
    return result.astype(dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = to_jax(inputs)
    coordinates = to_jax(coordinates).astype(jnp.float32)
    if coordinates.ndim < 1 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            f"coordinates must have shape ({inputs.ndim}, ...) for inputs of shape "
            f"{inputs.shape}, got {coordinates.shape}."
        )
    result = _sample(widen(float_input(inputs)), list(coordinates), order, fill_mode, fill_value)
    return _round_to(result, inputs.dtype)


def _order(interpolation):
    if interpolation not in _TRANSFORM_ORDERS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r}; expected 'nearest' or 'bilinear'."
        )
    return _TRANSFORM_ORDERS[interpolation]


def _warp(x, source_x, source_y, order, fill_mode, fill_value):
    """Samples each NHWC image `b` at `(source_y[b], source_x[b])`, every channel alike."""
    values = widen(float_input(x))

    def one_channel(image, sx, sy):
        return _sample(image, [sy, sx], order, fill_mode, fill_value)

    per_channel = jax.vmap(one_channel, in_axes=(-1, None, None), out_axes=-1)
    warped = jax.vmap(per_channel)(values, source_x, source_y)
    return _round_to(warped, x.dtype)


def _grid(height, width):
    rows, cols = jnp.meshgrid(
        jnp.arange(height, dtype=jnp.float32), jnp.arange(width, dtype=jnp.float32), indexing="ij"
    )
    return rows, cols


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_jax(images)
    transform = to_jax(transform).astype(jnp.float32)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(f"transform must have shape (8,) or (batch, 8), got {transform.shape}.")
    x, back = _to_nhwc(images, data_format)
    transform = jnp.broadcast_to(transform.reshape(-1, 8), (x.shape[0], 8))
    rows, cols = _grid(*x.shape[1:3])
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in transform.T)
    k = c0 * cols + c1 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / k
    source_y = (b0 * cols + b1 * rows + b2) / k
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


def _homography(start_points, end_points):
    """The 8 coefficients mapping each end point (x, y) to its start point, per batch entry."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = jnp.zeros_like(ex), jnp.ones_like(ex)
    x_rows = jnp.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = jnp.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    rows = jnp.stack([x_rows, y_rows], axis=-2).reshape(*ex.shape[:-1], 8, 8)
    targets = jnp.stack([sx, sy], axis=-1).reshape(*ex.shape[:-1], 8)
    return jnp.linalg.solve(rows, targets[..., None])[..., 0]


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_jax(images)
    start = to_jax(start_points).astype(jnp.float32)
    end = to_jax(end_points).astype(jnp.float32)
    if start.shape != end.shape or start.ndim not in (2, 3) or start.shape[-2:] != (4, 2):
        raise ValueError(
            "start_points and end_points must both have shape (4, 2) or (batch, 4, 2), got "
            f"{start.shape} and {end.shape}."
        )
    x, back = _to_nhwc(images, data_format)
    coefficients = _homography(start.reshape(-1, 4, 2), end.reshape(-1, 4, 2))
    coefficients = jnp.broadcast_to(coefficients, (x.shape[0], 8))
    rows, cols = _grid(*x.shape[1:3])
    a0, a1, a2, a3, a4, a5, a6, a7 = (c[:, None, None] for c in coefficients.T)
    denominator = a6 * cols + a7 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / denominator
    source_y = (a3 * cols + a4 * rows + a5) / denominator
    return back(_warp(x, source_x, source_y, order, "constant", fill_value))


# Filters and random warps.


def _gaussian_1d(size, sigma):
    offsets = jnp.arange(size, dtype=jnp.float32) - (size - 1) / 2.0
    kernel = jnp.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / jnp.sum(kernel)


def _pair(value):
    value = np.asarray(value).reshape(-1)
    return (value[0], value[-1])


def _blur_nhwc(x, kernel_size, sigma):
    size_x, size_y = (int(s) for s in _pair(kernel_size))
    if isinstance(sigma, (int, float, tuple, list, np.ndarray)):
        sigma_x, sigma_y = (float(s) for s in _pair(sigma))
    else:
        sigma = to_jax(sigma).astype(jnp.float32).reshape(-1)
        sigma_x, sigma_y = sigma[0], sigma[-1]
    kernel = jnp.outer(_gaussian_1d(size_y, sigma_y), _gaussian_1d(size_x, sigma_x))
    channels = x.shape[-1]
    kernel = jnp.tile(kernel[:, :, None, None], (1, 1, 1, channels))
    return conv(x.astype(jnp.float32), kernel, padding="same", data_format="channels_last")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = float_input(images)
    x, back = _to_nhwc(images, data_format)
    return back(_blur_nhwc(x, kernel_size, sigma).astype(images.dtype))


def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    order = _order(interpolation)
    images = float_input(images)
    x, back = _to_nhwc(images, data_format)
    alpha, sigma = float(alpha), float(sigma)
    batch, height, width = x.shape[:3]
    size = int(6 * sigma) | 1
    displacement = jax.random.normal(key(seed), (2, batch, height, width, 1)) * sigma
    dx, dy = (_blur_nhwc(d, (size, size), (sigma, sigma))[..., 0] for d in displacement)
    rows, cols = _grid(height, width)
    source_x = cols[None] + alpha * dx
    source_y = rows[None] + alpha * dy
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


# Patches and borders.


def _patches(images, size, strides, dilation_rate, padding, data_format, rank):
    images = to_jax(images)
    data_format = config.standardize_data_format(data_format)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(f"Expected inputs of rank {rank + 1} or {rank + 2}, got {images.shape}.")
    size = (int(size),) * rank if isinstance(size, (int, np.integer)) else tuple(size)
    unbatched = images.ndim == rank + 1
    x = images[None] if unbatched else images
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    depth = int(np.prod(size)) * channels
    kernel = jnp.eye(depth, dtype=x.dtype).reshape(size + (channels, depth))
    patches = jax.lax.conv_general_dilated(
        x,
        kernel,
        as_tuple(strides or size, rank, "strides"),
        padding.upper(),
        rhs_dilation=as_tuple(dilation_rate, rank, "dilation_rate"),
        dimension_numbers=_patch_dimensions(rank, data_format),
        precision=jax.lax.Precision.HIGHEST,
    )
    return patches[0] if unbatched else patches


def _patch_dimensions(rank, data_format):
    spatial = "DHW"[-rank:]
    lhs = "N" + spatial + "C" if data_format == "channels_last" else "NC" + spatial
    return (lhs, spatial + "IO", lhs)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    return _patches(images, size, strides, dilation_rate, padding, data_format, 2)


def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3)


def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    x, back = _to_nhwc(to_jax(images), data_format)
    top, bottom = margins(
        top_padding, bottom_padding, target_height, x.shape[1], "padding", "height"
    )
    left, right = margins(left_padding, right_padding, target_width, x.shape[2], "padding", "width")
    return back(jnp.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))))


def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    x, back = _to_nhwc(to_jax(images), data_format)
    height, width = x.shape[1:3]
    top, bottom = margins(
        top_cropping, bottom_cropping, target_height, height, "cropping", "height"
    )
    left, right = margins(left_cropping, right_cropping, target_width, width, "cropping", "width")
    return back(x[:, top : height - bottom, left : width - right])


__all__ = exported(globals())
