"""Contract group ``image`` on TensorFlow: color conversions, separable resampling (the weight
matrices of `jax.image.scale_and_translate`), coordinate sampling, warps, blurs and patches.

Images must have static spatial dimensions; the batch dimension may be unknown.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import HALF, as_tuple, float_input, moveaxis, shape_of, to_tf
from kbackend_tf.random import stateless_seed
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.contract.image import margins, resize_target


def _widen(x):
    return tf.cast(x, tf.float32) if x.dtype in HALF else x


def _check_rank(images):
    if images.shape.rank not in (3, 4):
        raise ValueError(
            f"Images must have rank 3 (one image) or 4 (a batch), got shape {images.shape}."
        )


def _to_nhwc(images, data_format):
    """A batch in channels_last, and a function putting a result back in the input's layout."""
    data_format = config.standardize_data_format(data_format)
    _check_rank(images)
    unbatched = images.shape.rank == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = tf.transpose(x, [0, 2, 3, 1])

    def back(result):
        if data_format == "channels_first":
            result = tf.transpose(result, [0, 3, 1, 2])
        return result[0] if unbatched else result

    return x, back


def _channel_axis(data_format):
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def _float_images(images):
    images = to_tf(images)
    if not images.dtype.is_floating:
        raise ValueError(f"Images must have a float dtype, got {images.dtype.name}.")
    _check_rank(images)
    return images


# Color.


def rgb_to_grayscale(images, data_format=None):
    images = to_tf(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    weights = tf.constant([0.2989, 0.5870, 0.1140], tf.float32)
    values = tf.cast(images, tf.float32) if images.dtype != tf.float64 else images
    axes = [[axis % images.shape.rank], [0]]
    gray = tf.tensordot(values, tf.cast(weights, values.dtype), axes=axes)
    return tf.cast(tf.expand_dims(gray, axis), images.dtype)


def rgb_to_hsv(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    red, green, blue = tf.unstack(_widen(images), axis=axis)
    value = tf.maximum(tf.maximum(red, green), blue)
    spread = value - tf.minimum(tf.minimum(red, green), blue)
    zero, one = tf.zeros_like(value), tf.ones_like(value)
    saturation = tf.where(value > 0, spread / tf.where(value > 0, value, one), zero)
    norm = 1.0 / (6.0 * tf.where(spread > 0, spread, one))
    hue = tf.where(
        tf.equal(value, green), norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = tf.where(tf.equal(value, red), norm * (green - blue), hue)
    hue = tf.where(spread > 0, hue, zero)
    hue = hue + tf.cast(hue < 0.0, hue.dtype)
    return tf.cast(tf.stack([hue, saturation, value], axis=axis), images.dtype)


def hsv_to_rgb(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    hue, saturation, value = tf.unstack(_widen(images), axis=axis)
    dh = tf.math.floormod(hue, 1.0) * 6.0
    channels = (
        tf.clip_by_value(tf.abs(dh - 3.0) - 1.0, 0.0, 1.0),
        tf.clip_by_value(2.0 - tf.abs(dh - 2.0), 0.0, 1.0),
        tf.clip_by_value(2.0 - tf.abs(dh - 4.0), 0.0, 1.0),
    )
    rgb = [value * (1.0 - saturation + saturation * c) for c in channels]
    return tf.cast(tf.stack(rgb, axis=axis), images.dtype)


# Resizing.


def _triangle(x):
    return tf.maximum(0.0, 1.0 - tf.abs(x))


def _keys_cubic(x):
    x = tf.abs(x)
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return tf.where(x >= 2.0, tf.zeros_like(x), tf.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        y = radius * tf.sin(np.pi * x) * tf.sin(np.pi * x / radius)
        safe = tf.where(x > 1e-3, x, tf.ones_like(x))
        out = tf.where(x > 1e-3, y / (np.pi**2 * safe**2), tf.ones_like(x))
        return tf.where(x > radius, tf.zeros_like(x), out)

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
    """`(in_size, out_size)` float32 resampling weights, as `jax.image.scale_and_translate`
    builds them: kernel weights normalized per output sample, zero for samples outside."""
    scale = tf.cast(scale, tf.float32)
    translation = tf.cast(translation, tf.float32)
    inv_scale = 1.0 / scale
    kernel_scale = tf.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = (tf.range(out_size, dtype=tf.float32) + 0.5) * inv_scale - translation * inv_scale
    sample = sample - 0.5
    source = tf.range(in_size, dtype=tf.float32)
    weights = kernel(tf.abs(sample[None, :] - source[:, None]) / kernel_scale)
    total = tf.reduce_sum(weights, axis=0, keepdims=True)
    usable = tf.abs(total) > 1000.0 * float(np.finfo(np.float32).eps)
    safe_total = tf.where(tf.equal(total, 0.0), tf.ones_like(total), total)
    weights = tf.where(usable, weights / safe_total, tf.zeros_like(weights))
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return tf.where(inside[None, :], weights, tf.zeros_like(weights))


def _scale_translate(x, output_shape, axes, scales, translations, kernel, antialias):
    """Resamples float32 `x` along each of `axes` with one weight matrix per axis."""
    for axis, scale, translation in zip(axes, scales, translations):
        axis = axis % x.shape.rank
        weights = _weight_matrix(
            x.shape[axis], output_shape[axis], scale, translation, kernel, antialias
        )
        x = moveaxis(tf.tensordot(x, weights, axes=[[axis], [0]]), -1, axis)
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
    images = float_input(images)
    count = len(spatial_dims)
    scales = tf.unstack(tf.reshape(tf.cast(to_tf(scale), tf.float32), [count]))
    translations = tf.unstack(tf.reshape(tf.cast(to_tf(translation), tf.float32), [count]))
    values = images if images.dtype == tf.float64 else tf.cast(images, tf.float32)
    result = _scale_translate(
        values, tuple(output_shape), spatial_dims, scales, translations, _KERNELS[method], antialias
    )
    return tf.cast(result, images.dtype)


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
    fill = tf.cast(fill_value, x.dtype)
    if top > 0:
        return tf.pad(x, [[0, 0], [top, top], [0, 0], [0, 0]], constant_values=fill)
    if left > 0:
        return tf.pad(x, [[0, 0], [0, 0], [left, left], [0, 0]], constant_values=fill)
    return x


def _resize_nearest(x, output_shape):
    for axis in (1, 2):
        n, m = output_shape[axis], x.shape[axis]
        if n != m:
            offsets = (np.arange(n, dtype=np.float32) + 0.5) * np.float32(m) / np.float32(n)
            x = tf.gather(x, np.floor(offsets).astype(np.int32), axis=axis)
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
    images = to_tf(images)
    x, back = _to_nhwc(images, data_format)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _aspect_ratio(x, target_height, target_width, crop_to_aspect_ratio, fill_value)
    output_shape = (None, target_height, target_width, x.shape[3])
    if interpolation == "nearest":
        return back(_resize_nearest(x, output_shape))
    dtype = float_input(images).dtype
    values = x if x.dtype == tf.float64 else tf.cast(x, tf.float32)
    axes = [axis for axis in (1, 2) if x.shape[axis] != output_shape[axis]]
    scales = [output_shape[a] / x.shape[a] if output_shape[a] else 1.0 for a in axes]
    result = _scale_translate(
        values, output_shape, axes, scales, [0.0] * len(axes), _KERNELS[interpolation], antialias
    )
    return back(tf.cast(result, dtype))


# Sampling.


def _mirror(index, size):
    if size == 1:
        return tf.zeros_like(index)
    period = size - 1
    return tf.abs(tf.math.floormod(index + period, 2 * period) - period)


_INDEX_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: tf.clip_by_value(index, 0, size - 1),
    "wrap": lambda index, size: tf.math.floormod(index, size),
    "mirror": _mirror,
    "reflect": lambda index, size: tf.math.floordiv(_mirror(2 * index + 1, 2 * size + 1) - 1, 2),
}
_TRANSFORM_ORDERS = {"nearest": 0, "bilinear": 1}


def _axis_options(coordinate, size, order, fill_mode):
    """The (clipped index, in-range mask, weight) of each neighbour of `coordinate` on an axis."""
    if order == 0:
        options = [(tf.cast(tf.round(coordinate), tf.int32), None)]
    else:
        lower = tf.floor(coordinate)
        upper_weight = coordinate - lower
        lower = tf.cast(lower, tf.int32)
        options = [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]
    fixed = []
    for index, weight in options:
        index = _INDEX_FIXERS[fill_mode](index, size)
        valid = (index >= 0) & (index < size)
        fixed.append((tf.clip_by_value(index, 0, size - 1), valid, weight))
    return fixed


def _sample(values, coordinates, order, fill_mode, fill_value, batch_dims=0):
    """Interpolates float `values` over its axes after the first `batch_dims` at `coordinates`
    (float32 tensors of one shape, one per sampled axis, with the batch dims first); trailing axes
    of `values` are carried along."""
    if fill_mode not in _INDEX_FIXERS:
        raise ValueError(
            f"Unknown fill_mode {fill_mode!r}; expected one of {sorted(_INDEX_FIXERS)}."
        )
    if order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order!r}.")
    sizes = values.shape[batch_dims : batch_dims + len(coordinates)]
    per_axis = [
        _axis_options(tf.cast(c, values.dtype), size, order, fill_mode)
        for c, size in zip(coordinates, sizes)
    ]
    trailing = values.shape.rank - batch_dims - len(coordinates)
    fill = tf.cast(fill_value, values.dtype)
    result = None
    for corner in itertools.product(*per_axis):
        indices = tf.stack([item[0] for item in corner], axis=-1)
        valid = tf.reduce_all(tf.stack([item[1] for item in corner], axis=0), axis=0)
        gathered = tf.gather_nd(values, indices, batch_dims=batch_dims)
        valid = tf.reshape(valid, tf.concat([tf.shape(valid), [1] * trailing], 0))
        term = tf.where(valid, gathered, fill)
        weights = [item[2] for item in corner if item[2] is not None]
        if weights:
            weight = math.prod(weights[1:], start=weights[0])
            term = tf.reshape(weight, tf.concat([tf.shape(weight), [1] * trailing], 0)) * term
        result = term if result is None else result + term
    return result


def _round_to(result, dtype):
    if dtype.is_integer:
        result = tf.sign(result) * tf.floor(tf.abs(result) + 0.5)
    return tf.cast(result, dtype)


def _sampling_values(x):
    """`x` as the float dtype to interpolate in (float64 stays, others float32)."""
    return x if x.dtype == tf.float64 else tf.cast(x, tf.float32)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = to_tf(inputs)
    coordinates = tf.cast(to_tf(coordinates), tf.float32)
    if coordinates.shape.rank < 1 or coordinates.shape[0] != inputs.shape.rank:
        raise ValueError(
            f"coordinates must have shape ({inputs.shape.rank}, ...) for inputs of shape "
            f"{inputs.shape}, got {coordinates.shape}."
        )
    values = _sampling_values(inputs)
    result = _sample(values, tf.unstack(coordinates), order, fill_mode, fill_value)
    return _round_to(result, inputs.dtype)


def _order(interpolation):
    if interpolation not in _TRANSFORM_ORDERS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r}; expected 'nearest' or 'bilinear'."
        )
    return _TRANSFORM_ORDERS[interpolation]


def _warp(x, source_x, source_y, order, fill_mode, fill_value):
    """Samples each NHWC image `b` at `(source_y[b], source_x[b])`, every channel alike."""
    values = _sampling_values(x)
    warped = _sample(values, [source_y, source_x], order, fill_mode, fill_value, batch_dims=1)
    return _round_to(warped, x.dtype)


def _grid(height, width):
    rows, cols = tf.meshgrid(
        tf.range(height, dtype=tf.float32), tf.range(width, dtype=tf.float32), indexing="ij"
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
    images = to_tf(images)
    transform = tf.cast(to_tf(transform), tf.float32)
    if transform.shape.rank not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(f"transform must have shape (8,) or (batch, 8), got {transform.shape}.")
    x, back = _to_nhwc(images, data_format)
    batch = shape_of(x)[0]
    transform = tf.broadcast_to(tf.reshape(transform, [-1, 8]), [batch, 8])
    rows, cols = _grid(*x.shape[1:3])
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in tf.unstack(transform, axis=1))
    k = c0 * cols + c1 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / k
    source_y = (b0 * cols + b1 * rows + b2) / k
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


def _homography(start_points, end_points):
    """The 8 coefficients mapping each end point (x, y) to its start point, per batch entry."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = tf.zeros_like(ex), tf.ones_like(ex)
    x_rows = tf.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = tf.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    rows = tf.reshape(tf.stack([x_rows, y_rows], axis=-2), [-1, 8, 8])
    targets = tf.reshape(tf.stack([sx, sy], axis=-1), [-1, 8, 1])
    return tf.linalg.solve(rows, targets)[..., 0]


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_tf(images)
    start = tf.cast(to_tf(start_points), tf.float32)
    end = tf.cast(to_tf(end_points), tf.float32)
    if (
        start.shape != end.shape
        or start.shape.rank not in (2, 3)
        or start.shape[-2:].as_list() != [4, 2]
    ):
        raise ValueError(
            "start_points and end_points must both have shape (4, 2) or (batch, 4, 2), got "
            f"{start.shape} and {end.shape}."
        )
    x, back = _to_nhwc(images, data_format)
    coefficients = _homography(tf.reshape(start, [-1, 4, 2]), tf.reshape(end, [-1, 4, 2]))
    coefficients = tf.broadcast_to(coefficients, [shape_of(x)[0], 8])
    rows, cols = _grid(*x.shape[1:3])
    a0, a1, a2, a3, a4, a5, a6, a7 = (c[:, None, None] for c in tf.unstack(coefficients, axis=1))
    denominator = a6 * cols + a7 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / denominator
    source_y = (a3 * cols + a4 * rows + a5) / denominator
    return back(_warp(x, source_x, source_y, order, "constant", fill_value))


# Filters and random warps.


def _gaussian_1d(size, sigma):
    offsets = tf.range(size, dtype=tf.float32) - (size - 1) / 2.0
    kernel = tf.exp(-0.5 * tf.square(offsets / sigma))
    return kernel / tf.reduce_sum(kernel)


def _pair(value):
    value = np.asarray(value).reshape(-1)
    return (value[0], value[-1])


def _blur_nhwc(x, kernel_size, sigma):
    """A same-padded Gaussian blur of a float32 NHWC batch, each channel on its own."""
    size_x, size_y = (int(s) for s in _pair(kernel_size))
    if isinstance(sigma, (int, float, tuple, list, np.ndarray)):
        sigma_x, sigma_y = (float(s) for s in _pair(sigma))
    else:
        sigma = tf.reshape(tf.cast(to_tf(sigma), tf.float32), [-1])
        sigma_x, sigma_y = sigma[0], sigma[-1]
    kernel = _gaussian_1d(size_y, sigma_y)[:, None] * _gaussian_1d(size_x, sigma_x)[None, :]
    channels = x.shape[-1]
    kernel = tf.tile(kernel[:, :, None, None], [1, 1, channels, 1])
    return tf.nn.depthwise_conv2d(x, kernel, [1, 1, 1, 1], "SAME")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = float_input(images)
    x, back = _to_nhwc(images, data_format)
    return back(tf.cast(_blur_nhwc(tf.cast(x, tf.float32), kernel_size, sigma), images.dtype))


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
    batch, height, width = shape_of(x)[:3]
    size = int(6 * sigma) | 1
    noise = tf.random.stateless_normal([2, batch, height, width, 1], stateless_seed(seed))
    displacement = noise * sigma
    dx, dy = (_blur_nhwc(d, (size, size), (sigma, sigma))[..., 0] for d in tf.unstack(displacement))
    rows, cols = _grid(height, width)
    source_x = cols[None] + alpha * dx
    source_y = rows[None] + alpha * dy
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


# Patches and borders.


def _patches(images, size, strides, dilation_rate, padding, data_format, rank):
    images = to_tf(images)
    if images.shape.rank not in (rank + 1, rank + 2):
        raise ValueError(f"Expected inputs of rank {rank + 1} or {rank + 2}, got {images.shape}.")
    size = as_tuple(size, rank, "size")
    strides = as_tuple(strides or size, rank, "strides")
    dilation = as_tuple(dilation_rate, rank, "dilation_rate")
    padding = padding.upper()
    unbatched = images.shape.rank == rank + 1
    x = images[None] if unbatched else images
    channels_first = config.standardize_data_format(data_format) == "channels_first"
    if channels_first:
        x = moveaxis(x, 1, -1)
    if rank == 2:
        patches = tf.image.extract_patches(
            x, [1, *size, 1], [1, *strides, 1], [1, *dilation, 1], padding
        )
    else:
        # A convolution with an identity kernel: output channel k is the k-th patch entry.
        depth = math.prod(size) * x.shape[-1]
        kernel = tf.reshape(tf.eye(depth, dtype=x.dtype), [*size, x.shape[-1], depth])
        patches = tf.nn.convolution(x, kernel, list(strides), padding, dilations=list(dilation))
    if channels_first:
        patches = moveaxis(patches, -1, 1)
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
    x, back = _to_nhwc(to_tf(images), data_format)
    top, bottom = margins(
        top_padding, bottom_padding, target_height, x.shape[1], "padding", "height"
    )
    left, right = margins(left_padding, right_padding, target_width, x.shape[2], "padding", "width")
    return back(tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]))


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
    x, back = _to_nhwc(to_tf(images), data_format)
    height, width = x.shape[1:3]
    top, bottom = margins(
        top_cropping, bottom_cropping, target_height, height, "cropping", "height"
    )
    left, right = margins(left_cropping, right_cropping, target_width, width, "cropping", "width")
    return back(x[:, top : height - bottom, left : width - right])


__all__ = exported(globals())
