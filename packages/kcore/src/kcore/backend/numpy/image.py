"""Contract group ``image`` on numpy (JAX's sampling and resizing conventions, in float64)."""

from __future__ import annotations

import builtins
import itertools
import math

import numpy as np

from kcore import config
from kcore.backend.contract import exported
from kcore.backend.contract.image import margins, resize_target
from kcore.backend.numpy._utils import float_result, to_array
from kcore.backend.numpy.nn_conv import conv


def _check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Images must have rank 3 (one image) or 4 (a batch), got shape {images.shape}."
        )


def _to_nhwc(images, data_format):
    """A float64-or-int batch in channels_last, and a function putting a result back."""
    data_format = config.standardize_data_format(data_format)
    _check_rank(images)
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)

    def back(result):
        if data_format == "channels_first":
            result = np.moveaxis(result, -1, 1)
        return result[0] if unbatched else result

    return x, back


def _channel_axis(data_format):
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def _float_images(images):
    images = to_array(images)
    if images.dtype.kind != "f":
        raise ValueError(f"Images must have a float dtype, got {images.dtype}.")
    return images


# Color.


def rgb_to_grayscale(images, data_format=None):
    images = to_array(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    weights = np.array([0.2989, 0.5870, 0.1140])
    gray = np.tensordot(float_result(images).astype(np.float64), weights, axes=([axis], [0]))
    return np.expand_dims(gray, axis).astype(images.dtype)


def rgb_to_hsv(images, data_format=None):
    images = _float_images(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    red, green, blue = np.moveaxis(images.astype(np.float64), axis, 0)
    value = np.maximum(np.maximum(red, green), blue)
    spread = value - np.minimum(np.minimum(red, green), blue)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * np.where(spread > 0, spread, 1.0))
    hue = np.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = np.where(value == red, norm * (green - blue), hue)
    hue = np.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0.0)
    return np.stack([hue, saturation, value], axis=axis).astype(images.dtype)


def hsv_to_rgb(images, data_format=None):
    images = _float_images(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    hue, saturation, value = np.moveaxis(images.astype(np.float64), axis, 0)
    dh = np.mod(hue, 1.0) * 6.0
    channels = (
        np.clip(np.abs(dh - 3.0) - 1.0, 0.0, 1.0),
        np.clip(2.0 - np.abs(dh - 2.0), 0.0, 1.0),
        np.clip(2.0 - np.abs(dh - 4.0), 0.0, 1.0),
    )
    rgb = [value * (1.0 - saturation + saturation * c) for c in channels]
    return np.stack(rgb, axis=axis).astype(images.dtype)


# Resizing.


def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    x = np.abs(x)
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
            out = np.where(x > 1e-3, y / (np.pi**2 * x**2), 1.0)
        return np.where(x > radius, 0.0, out)

    return kernel


_KERNELS = {
    "linear": _triangle,
    "bilinear": _triangle,
    "trilinear": _triangle,
    "triangle": _triangle,
    "cubic": _keys_cubic,
    "bicubic": _keys_cubic,
    "tricubic": _keys_cubic,
    "lanczos3": _lanczos(3),
    "lanczos5": _lanczos(5),
}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """`(in_size, out_size)` resampling weights, as `jax.image.scale_and_translate` builds them."""
    inv_scale = 1.0 / scale
    kernel_scale = builtins.max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv_scale - translation * inv_scale - 0.5
    weights = kernel(np.abs(sample[None, :] - np.arange(in_size)[:, None]) / kernel_scale)
    total = np.sum(weights, axis=0, keepdims=True)
    usable = np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps)
    weights = np.where(usable, weights / np.where(total != 0, total, 1.0), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], weights, 0.0)


def _scale_translate(x, output_shape, spatial_dims, scales, translations, kernel, antialias):
    x = x.astype(np.float64)
    for axis, scale, translation in zip(spatial_dims, scales, translations):
        axis = axis % x.ndim
        weights = _weight_matrix(
            x.shape[axis], output_shape[axis], scale, translation, kernel, antialias
        )
        x = np.moveaxis(np.tensordot(x, weights, axes=([axis], [0])), -1, axis)
    return x


def scale_and_translate(
    images,
    output_shape,
    scale,
    translation,
    spatial_dims,
    method,
    antialias=True,
):
    if method not in _KERNELS:
        raise ValueError(f"Unknown method {method!r}; expected one of {sorted(_KERNELS)}.")
    images = float_result(images)
    scales = [float(s) for s in np.asarray(scale).reshape(-1)]
    translations = [float(t) for t in np.asarray(translation).reshape(-1)]
    result = _scale_translate(
        images, tuple(output_shape), spatial_dims, scales, translations, _KERNELS[method], antialias
    )
    return result.astype(images.dtype)


def _aspect_ratio(x, target_height, target_width, crop, fill_value):
    """Center-crops or pads (both sides equally) a NHWC batch to the target aspect ratio."""
    height, width = x.shape[1:3]
    if crop:
        crop_height = builtins.max(
            builtins.min(height, int(width * target_height / target_width)), 1
        )
        crop_width = builtins.max(
            builtins.min(width, int(height * target_width / target_height)), 1
        )
        top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
        return x[:, top : top + crop_height, left : left + crop_width]
    pad_height = builtins.max(height, int(width * target_height / target_width))
    pad_width = builtins.max(width, int(height * target_width / target_height))
    top, left = int((pad_height - height) / 2), int((pad_width - width) / 2)
    if top > 0:
        return np.pad(x, ((0, 0), (top, top), (0, 0), (0, 0)), constant_values=fill_value)
    if left > 0:
        return np.pad(x, ((0, 0), (0, 0), (left, left), (0, 0)), constant_values=fill_value)
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
    images = to_array(images)
    x, back = _to_nhwc(images, data_format)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _aspect_ratio(x, target_height, target_width, crop_to_aspect_ratio, fill_value)
    output_shape = (x.shape[0], target_height, target_width, x.shape[3])
    if interpolation == "nearest":
        for axis in (1, 2):
            n, m = output_shape[axis], x.shape[axis]
            if n != m:
                offsets = (np.arange(n, dtype=np.float32) + 0.5) * np.float32(m) / np.float32(n)
                x = np.take(x, np.floor(offsets).astype(np.int64), axis=axis)
        return back(x)
    dtype = float_result(images).dtype
    axes = [axis for axis in (1, 2) if x.shape[axis] != output_shape[axis]]
    scales = [output_shape[a] / x.shape[a] if output_shape[a] else 1.0 for a in axes]
    result = _scale_translate(
        x, output_shape, axes, scales, [0.0] * len(axes), _KERNELS[interpolation], antialias
    )
    return back(result.astype(dtype))


# Sampling.


def _mirror(index, size):
    if size == 1:
        return np.zeros_like(index)
    period = size - 1
    return np.abs((index + period) % (2 * period) - period)


_INDEX_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: np.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": lambda index, size: (_mirror(2 * index + 1, 2 * size + 1) - 1) // 2,
}


def _sample(values, coordinates, order, fill_mode, fill_value):
    """Interpolates `values` over its first `len(coordinates)` axes at `coordinates` (arrays of
    one shape); trailing axes of `values` are carried along."""
    if fill_mode not in _INDEX_FIXERS:
        raise ValueError(
            f"Unknown fill_mode {fill_mode!r}; expected one of {sorted(_INDEX_FIXERS)}."
        )
    if order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order!r}.")
    per_axis = []
    for coordinate, size in zip(coordinates, values.shape):
        if order == 0:
            options = [(np.round(coordinate).astype(np.int64), 1.0)]
        else:
            lower = np.floor(coordinate)
            upper_weight = coordinate - lower
            lower = lower.astype(np.int64)
            options = [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]
        fixed = []
        for index, weight in options:
            index = _INDEX_FIXERS[fill_mode](index, size)
            valid = (index >= 0) & (index < size)
            fixed.append((np.clip(index, 0, size - 1), valid, weight))
        per_axis.append(fixed)
    trailing = (slice(None),) + (None,) * (values.ndim - len(coordinates))
    result = 0.0
    for corner in itertools.product(*per_axis):
        indices = tuple(item[0] for item in corner)
        valid = np.logical_and.reduce([item[1] for item in corner])
        weight = math.prod(item[2] for item in corner)
        gathered = values[indices]
        valid_b = valid[(...,) + trailing[1:]]
        weight_b = np.asarray(weight)[(...,) + trailing[1:]] if np.ndim(weight) else weight
        result = result + weight_b * np.where(valid_b, gathered, fill_value)
    return np.asarray(result, dtype=np.float64)


def _round_to(result, dtype):
    if np.dtype(dtype).kind in "iu":
        result = np.sign(result) * np.floor(np.abs(result) + 0.5)
    return result.astype(dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = to_array(inputs)
    coordinates = to_array(coordinates).astype(np.float64)
    if coordinates.ndim < 1 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            f"coordinates must have shape ({inputs.ndim}, ...) for inputs of shape "
            f"{inputs.shape}, got {coordinates.shape}."
        )
    result = _sample(inputs.astype(np.float64), list(coordinates), order, fill_mode, fill_value)
    return _round_to(result, inputs.dtype)


_TRANSFORM_ORDERS = {"nearest": 0, "bilinear": 1}


def _order(interpolation):
    if interpolation not in _TRANSFORM_ORDERS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r}; expected 'nearest' or 'bilinear'."
        )
    return _TRANSFORM_ORDERS[interpolation]


def _warp(x, source_x, source_y, order, fill_mode, fill_value):
    """Samples each NHWC image `b` at `(source_y[b], source_x[b])`."""
    images = x.astype(np.float64)
    warped = [
        _sample(images[b], [source_y[b], source_x[b]], order, fill_mode, fill_value)
        for b in range(images.shape[0])
    ]
    return _round_to(np.stack(warped), x.dtype)


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_array(images)
    transform = to_array(transform).astype(np.float64)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(f"transform must have shape (8,) or (batch, 8), got {transform.shape}.")
    x, back = _to_nhwc(images, data_format)
    transform = np.broadcast_to(transform.reshape(-1, 8), (x.shape[0], 8))
    rows, cols = np.meshgrid(np.arange(x.shape[1]), np.arange(x.shape[2]), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in transform.T)
    k = c0 * cols + c1 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / k
    source_y = (b0 * cols + b1 * rows + b2) / k
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


def _homography(start_points, end_points):
    """The 8 coefficients mapping each end point (x, y) to its start point."""
    rows, targets = [], []
    for (sx, sy), (ex, ey) in zip(start_points, end_points):
        rows.append([ex, ey, 1.0, 0.0, 0.0, 0.0, -sx * ex, -sx * ey])
        rows.append([0.0, 0.0, 0.0, ex, ey, 1.0, -sy * ex, -sy * ey])
        targets.extend([sx, sy])
    return np.linalg.solve(np.array(rows), np.array(targets))


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_array(images)
    start = to_array(start_points).astype(np.float64)
    end = to_array(end_points).astype(np.float64)
    if start.shape != end.shape or start.ndim not in (2, 3) or start.shape[-2:] != (4, 2):
        raise ValueError(
            "start_points and end_points must both have shape (4, 2) or (batch, 4, 2), got "
            f"{start.shape} and {end.shape}."
        )
    x, back = _to_nhwc(images, data_format)
    start, end = start.reshape(-1, 4, 2), end.reshape(-1, 4, 2)
    coefficients = np.stack([_homography(s, e) for s, e in zip(start, end)])
    coefficients = np.broadcast_to(coefficients, (x.shape[0], 8))
    rows, cols = np.meshgrid(np.arange(x.shape[1]), np.arange(x.shape[2]), indexing="ij")
    a0, a1, a2, a3, a4, a5, a6, a7 = (c[:, None, None] for c in coefficients.T)
    denominator = a6 * cols + a7 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / denominator
    source_y = (a3 * cols + a4 * rows + a5) / denominator
    return back(_warp(x, source_x, source_y, order, "constant", fill_value))


# Filters and random warps.


def _gaussian_1d(size, sigma):
    offsets = np.arange(size) - (size - 1) / 2.0
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / np.sum(kernel)


def _pair(value):
    return tuple(np.broadcast_to(np.asarray(value).reshape(-1), (2,)).tolist())


def _blur_nhwc(x, kernel_size, sigma):
    size_x, size_y = (int(s) for s in _pair(kernel_size))
    sigma_x, sigma_y = (float(s) for s in _pair(sigma))
    kernel = np.outer(_gaussian_1d(size_y, sigma_y), _gaussian_1d(size_x, sigma_x))
    channels = x.shape[-1]
    kernel = np.repeat(kernel[:, :, None, None], channels, axis=2).reshape(
        size_y, size_x, 1, channels
    )
    return conv(x.astype(np.float64), kernel, padding="same")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = float_result(images)
    x, back = _to_nhwc(images, data_format)
    return back(_blur_nhwc(x, kernel_size, sigma).astype(images.dtype))


def _generator(seed):
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    return np.random.default_rng([int(s) for s in np.asarray(seed).reshape(-1)])


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
    images = float_result(images)
    x, back = _to_nhwc(images, data_format)
    alpha, sigma = float(alpha), float(sigma)
    batch, height, width = x.shape[:3]
    rng = _generator(seed)
    size = int(6 * sigma) | 1
    displacement = rng.standard_normal((2, batch, height, width, 1)) * sigma
    dx, dy = (_blur_nhwc(d, (size, size), (sigma, sigma))[..., 0] for d in displacement)
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    source_x = cols[None] + alpha * dx
    source_y = rows[None] + alpha * dy
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


# Patches and borders.


def _patches(images, size, strides, dilation_rate, padding, data_format, rank):
    images = to_array(images)
    data_format = config.standardize_data_format(data_format)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(f"Expected inputs of rank {rank + 1} or {rank + 2}, got {images.shape}.")
    size = (int(size),) * rank if isinstance(size, (int, np.integer)) else tuple(size)
    unbatched = images.ndim == rank + 1
    x = images[None] if unbatched else images
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    depth = math.prod(size) * channels
    kernel = np.eye(depth, dtype=x.dtype).reshape(size + (channels, depth))
    patches = conv(x, kernel, strides or size, padding, data_format, dilation_rate)
    return patches[0] if unbatched else patches


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
    x, back = _to_nhwc(to_array(images), data_format)
    top, bottom = margins(
        top_padding, bottom_padding, target_height, x.shape[1], "padding", "height"
    )
    left, right = margins(left_padding, right_padding, target_width, x.shape[2], "padding", "width")
    return back(np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))))


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
    x, back = _to_nhwc(to_array(images), data_format)
    height, width = x.shape[1:3]
    top, bottom = margins(
        top_cropping, bottom_cropping, target_height, height, "cropping", "height"
    )
    left, right = margins(left_cropping, right_cropping, target_width, width, "cropping", "width")
    return back(x[:, top : height - bottom, left : width - right])


__all__ = exported(globals())
