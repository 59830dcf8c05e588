"""Contract group ``image`` on torch: JAX's resizing (separable resampling weight matrices, as
`jax.image.scale_and_translate` builds them) and sampling (`map_coordinates`) conventions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F

from kbackend_torch._compute import float_input, to_torch, widen
from kbackend_torch.nn_conv import conv
from kbackend_torch.random import generator
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.contract.image import margins, resize_target


def _check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Images must have rank 3 (one image) or 4 (a batch), got shape {tuple(images.shape)}."
        )


def _to_nhwc(images, data_format):
    """A batch in channels_last, and a function putting a result back in the input's layout."""
    data_format = config.standardize_data_format(data_format)
    _check_rank(images)
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = torch.movedim(x, 1, -1)

    def back(result):
        if data_format == "channels_first":
            result = torch.movedim(result, -1, 1)
        return result[0] if unbatched else result

    return x, back


def _channel_axis(data_format):
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def _float_images(images):
    images = to_torch(images)
    if not images.dtype.is_floating_point:
        raise ValueError(f"Images must have a float dtype, got {images.dtype}.")
    _check_rank(images)
    return images


# Color.


def rgb_to_grayscale(images, data_format=None):
    images = to_torch(images)
    _check_rank(images)
    axis = _channel_axis(data_format)
    values = widen(float_input(images))
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=values.dtype, device=values.device)
    gray = torch.tensordot(values, weights, dims=([values.ndim + axis], [0]))
    return gray.unsqueeze(axis).to(images.dtype)


def rgb_to_hsv(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    red, green, blue = torch.unbind(widen(images), dim=axis)
    value = torch.maximum(torch.maximum(red, green), blue)
    spread = value - torch.minimum(torch.minimum(red, green), blue)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = torch.where(value == red, norm * (green - blue), hue)
    hue = torch.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0.0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis).to(images.dtype)


def hsv_to_rgb(images, data_format=None):
    images = _float_images(images)
    axis = _channel_axis(data_format)
    hue, saturation, value = torch.unbind(widen(images), dim=axis)
    dh = torch.remainder(hue, 1.0) * 6.0
    channels = (
        torch.clamp(torch.abs(dh - 3.0) - 1.0, 0.0, 1.0),
        torch.clamp(2.0 - torch.abs(dh - 2.0), 0.0, 1.0),
        torch.clamp(2.0 - torch.abs(dh - 4.0), 0.0, 1.0),
    )
    rgb = [value * (1.0 - saturation + saturation * c) for c in channels]
    return torch.stack(rgb, dim=axis).to(images.dtype)


# Resizing.


def _triangle(x):
    return torch.clamp(1.0 - torch.abs(x), min=0.0)


def _keys_cubic(x):
    x = torch.abs(x)
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2.0, 0.0, torch.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
        safe = torch.where(x > 1e-3, x, 1.0)
        out = torch.where(x > 1e-3, y / (math.pi**2 * safe**2), 1.0)
        return torch.where(x > radius, 0.0, out)

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


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias, device):
    """`(in_size, out_size)` resampling weights (float64), as `jax.image.scale_and_translate`
    builds them."""
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    options = {"dtype": torch.float64, "device": device}
    sample = (torch.arange(out_size, **options) + 0.5) * inv_scale - translation * inv_scale - 0.5
    distance = torch.abs(sample[None, :] - torch.arange(in_size, **options)[:, None])
    weights = kernel(distance / kernel_scale)
    total = torch.sum(weights, dim=0, keepdim=True)
    usable = torch.abs(total) > 1000.0 * float(np.finfo(np.float32).eps)
    weights = torch.where(usable, weights / torch.where(total != 0, total, 1.0), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0.0)


def _scale_translate(x, output_shape, spatial_dims, scales, translations, kernel, antialias):
    """`x` (float) resampled along each of `spatial_dims` by one weight matrix each."""
    for axis, scale, translation in zip(spatial_dims, scales, translations):
        axis = axis % x.ndim
        weights = _weight_matrix(
            x.shape[axis], output_shape[axis], scale, translation, kernel, antialias, x.device
        )
        x = torch.movedim(torch.tensordot(x, weights.to(x.dtype), dims=([axis], [0])), -1, axis)
    return x


def _floats(value):
    """A scalar or a sequence (or tensor) of numbers as a list of Python floats."""
    if isinstance(value, torch.Tensor):
        return [float(v) for v in value.reshape(-1).tolist()]
    return [float(v) for v in np.asarray(value, dtype=np.float64).reshape(-1)]


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
    result = _scale_translate(
        widen(images),
        tuple(output_shape),
        spatial_dims,
        _floats(scale),
        _floats(translation),
        _KERNELS[method],
        antialias,
    )
    return result.to(images.dtype)


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
        return F.pad(x, (0, 0, 0, 0, top, top), value=fill_value)
    if left > 0:
        return F.pad(x, (0, 0, left, left), value=fill_value)
    return x


def _nearest(x, output_shape):
    """Nearest-neighbour resizing of a NHWC batch, as `jax.image.resize` picks the pixels."""
    for axis in (1, 2):
        n, m = output_shape[axis], x.shape[axis]
        if n != m:
            offsets = (torch.arange(n, dtype=torch.float32, device=x.device) + 0.5) * (m / n)
            x = torch.index_select(x, axis, torch.floor(offsets).long().clamp(max=m - 1))
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
    images = to_torch(images)
    x, back = _to_nhwc(images, data_format)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _aspect_ratio(x, target_height, target_width, crop_to_aspect_ratio, fill_value)
    output_shape = (x.shape[0], target_height, target_width, x.shape[3])
    if interpolation == "nearest":
        return back(_nearest(x, output_shape))
    x = float_input(x)
    axes = [axis for axis in (1, 2) if x.shape[axis] != output_shape[axis]]
    scales = [output_shape[a] / x.shape[a] if output_shape[a] else 1.0 for a in axes]
    result = _scale_translate(
        widen(x),
        output_shape,
        axes,
        scales,
        [0.0] * len(axes),
        _KERNELS[interpolation],
        antialias,
    )
    return back(result.to(x.dtype))


# Sampling.


def _mirror(index, size):
    if size == 1:
        return torch.zeros_like(index)
    period = size - 1
    return torch.abs((index + period) % (2 * period) - period)


_INDEX_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: torch.clamp(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": lambda index, size: (_mirror(2 * index + 1, 2 * size + 1) - 1) // 2,
}


def _corner_options(coordinate, size, order, fill_mode):
    """Per axis: (clamped index, in-range mask, weight) of the neighbours sampled."""
    if order == 0:
        options = [(torch.round(coordinate).long(), None)]
    else:
        lower = torch.floor(coordinate)
        upper_weight = coordinate - lower
        lower = lower.long()
        options = [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]
    fixed = []
    for index, weight in options:
        index = _INDEX_FIXERS[fill_mode](index, size)
        valid = (index >= 0) & (index < size)
        fixed.append((torch.clamp(index, 0, size - 1), valid, weight))
    return fixed


def _sample(values, coordinates, order, fill_mode, fill_value, batched=False):
    """Interpolates `values` over its first `len(coordinates)` axes (after a batch axis with
    `batched`, whose coordinates then lead with the batch) at `coordinates` (tensors of one
    shape); trailing axes of `values` are carried along."""
    if fill_mode not in _INDEX_FIXERS:
        raise ValueError(
            f"Unknown fill_mode {fill_mode!r}; expected one of {sorted(_INDEX_FIXERS)}."
        )
    if order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order!r}.")
    lead = 1 if batched else 0
    spatial = values.shape[lead : lead + len(coordinates)]
    trailing = values.shape[lead + len(coordinates) :]
    flat = values.reshape(-1, *trailing)
    base = 0
    if batched:
        batch = torch.arange(values.shape[0], device=values.device)
        base = batch.reshape(-1, *([1] * (coordinates[0].ndim - 1))) * math.prod(spatial)
    strides = [math.prod(spatial[i + 1 :]) for i in range(len(spatial))]
    per_axis = [_corner_options(c, size, order, fill_mode) for c, size in zip(coordinates, spatial)]
    extra = (1,) * len(trailing)
    result = 0.0
    for corner in itertools.product(*per_axis):
        index = base + sum(item[0] * stride for item, stride in zip(corner, strides))
        valid = corner[0][1]
        for item in corner[1:]:
            valid = valid & item[1]
        gathered = flat[index]
        gathered = torch.where(valid.reshape(*valid.shape, *extra), gathered, fill_value)
        for item in corner:
            if item[2] is not None:
                gathered = gathered * item[2].reshape(*item[2].shape, *extra)
        result = result + gathered
    return result


def _round_to(result, dtype):
    if not (dtype.is_floating_point or dtype.is_complex):
        result = torch.sign(result) * torch.floor(torch.abs(result) + 0.5)
    return result.to(dtype)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs = to_torch(inputs)
    coordinates = to_torch(coordinates).to(device=inputs.device, dtype=torch.float32)
    if coordinates.ndim < 1 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            f"coordinates must have shape ({inputs.ndim}, ...) for inputs of shape "
            f"{tuple(inputs.shape)}, got {tuple(coordinates.shape)}."
        )
    values = widen(float_input(inputs))
    result = _sample(values, list(coordinates.to(values.dtype)), order, fill_mode, fill_value)
    return _round_to(result, inputs.dtype)


_TRANSFORM_ORDERS = {"nearest": 0, "bilinear": 1}


def _order(interpolation):
    if interpolation not in _TRANSFORM_ORDERS:
        raise ValueError(
            f"Unknown interpolation {interpolation!r}; expected 'nearest' or 'bilinear'."
        )
    return _TRANSFORM_ORDERS[interpolation]


def _warp(x, source_x, source_y, order, fill_mode, fill_value):
    """Samples each NHWC image `b` at `(source_y[b], source_x[b])`, every channel alike."""
    values = widen(float_input(x))
    coordinates = [source_y.to(values.dtype), source_x.to(values.dtype)]
    warped = _sample(values, coordinates, order, fill_mode, fill_value, batched=True)
    return _round_to(warped, x.dtype)


def _grid(height, width, device):
    rows = torch.arange(height, dtype=torch.float32, device=device)
    cols = torch.arange(width, dtype=torch.float32, device=device)
    return torch.meshgrid(rows, cols, indexing="ij")


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_torch(images)
    transform = to_torch(transform).to(device=images.device, dtype=torch.float32)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            f"transform must have shape (8,) or (batch, 8), got {tuple(transform.shape)}."
        )
    x, back = _to_nhwc(images, data_format)
    transform = transform.reshape(-1, 8).expand(x.shape[0], 8)
    rows, cols = _grid(*x.shape[1:3], x.device)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in transform.T)
    k = c0 * cols + c1 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / k
    source_y = (b0 * cols + b1 * rows + b2) / k
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


def _homography(start_points, end_points):
    """The 8 coefficients mapping each end point (x, y) to its start point, per batch entry."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = torch.zeros_like(ex), torch.ones_like(ex)
    x_rows = torch.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], dim=-1)
    y_rows = torch.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], dim=-1)
    rows = torch.stack([x_rows, y_rows], dim=-2).reshape(*ex.shape[:-1], 8, 8)
    targets = torch.stack([sx, sy], dim=-1).reshape(*ex.shape[:-1], 8)
    return torch.linalg.solve(rows, targets[..., None])[..., 0]


def perspective_transform(
    images,
    start_points,
    end_points,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    order = _order(interpolation)
    images = to_torch(images)
    start = to_torch(start_points).to(device=images.device, dtype=torch.float64)
    end = to_torch(end_points).to(device=images.device, dtype=torch.float64)
    if start.shape != end.shape or start.ndim not in (2, 3) or tuple(start.shape[-2:]) != (4, 2):
        raise ValueError(
            "start_points and end_points must both have shape (4, 2) or (batch, 4, 2), got "
            f"{tuple(start.shape)} and {tuple(end.shape)}."
        )
    x, back = _to_nhwc(images, data_format)
    coefficients = _homography(start.reshape(-1, 4, 2), end.reshape(-1, 4, 2)).float()
    coefficients = coefficients.expand(x.shape[0], 8)
    rows, cols = _grid(*x.shape[1:3], x.device)
    a0, a1, a2, a3, a4, a5, a6, a7 = (c[:, None, None] for c in coefficients.T)
    denominator = a6 * cols + a7 * rows + 1.0
    source_x = (a0 * cols + a1 * rows + a2) / denominator
    source_y = (a3 * cols + a4 * rows + a5) / denominator
    return back(_warp(x, source_x, source_y, order, "constant", fill_value))


# Filters and random warps.


def _gaussian_1d(size, sigma, device):
    offsets = torch.arange(size, dtype=torch.float64, device=device) - (size - 1) / 2.0
    kernel = torch.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / torch.sum(kernel)


def _pair(value):
    if isinstance(value, torch.Tensor):
        value = value.reshape(-1).tolist()
    value = np.asarray(value, dtype=np.float64).reshape(-1)
    return (value[0], value[-1])


def _blur_nhwc(x, kernel_size, sigma):
    size_x, size_y = (int(s) for s in _pair(kernel_size))
    sigma_x, sigma_y = (float(s) for s in _pair(sigma))
    kernel = torch.outer(
        _gaussian_1d(size_y, sigma_y, x.device), _gaussian_1d(size_x, sigma_x, x.device)
    )
    channels = x.shape[-1]
    kernel = kernel[:, :, None, None].expand(size_y, size_x, 1, channels).to(x.dtype)
    return conv(x, kernel, padding="same", data_format="channels_last")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = float_input(images)
    x, back = _to_nhwc(images, data_format)
    return back(_blur_nhwc(widen(x), kernel_size, sigma).to(images.dtype))


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
    rng = generator(seed, x.device)
    displacement = torch.randn((2, batch, height, width, 1), generator=rng, device=x.device)
    dx, dy = (_blur_nhwc(d * sigma, (size, size), (sigma, sigma))[..., 0] for d in displacement)
    rows, cols = _grid(height, width, x.device)
    source_x = cols[None] + alpha * dx
    source_y = rows[None] + alpha * dy
    return back(_warp(x, source_x, source_y, order, fill_mode, fill_value))


# Patches and borders.


def _patches(images, size, strides, dilation_rate, padding, data_format, rank):
    images = to_torch(images)
    data_format = config.standardize_data_format(data_format)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(
            f"Expected inputs of rank {rank + 1} or {rank + 2}, got {tuple(images.shape)}."
        )
    size = (int(size),) * rank if isinstance(size, (int, np.integer)) else tuple(size)
    unbatched = images.ndim == rank + 1
    x = images[None] if unbatched else images
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    depth = math.prod(size) * channels
    kernel = torch.eye(depth, dtype=x.dtype, device=x.device).reshape(*size, channels, depth)
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
    x, back = _to_nhwc(to_torch(images), data_format)
    top, bottom = margins(
        top_padding, bottom_padding, target_height, x.shape[1], "padding", "height"
    )
    left, right = margins(left_padding, right_padding, target_width, x.shape[2], "padding", "width")
    return back(F.pad(x, (0, 0, left, right, top, bottom)))


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
    x, back = _to_nhwc(to_torch(images), data_format)
    height, width = x.shape[1:3]
    top, bottom = margins(
        top_cropping, bottom_cropping, target_height, height, "cropping", "height"
    )
    left, right = margins(left_cropping, right_cropping, target_width, width, "cropping", "width")
    return back(x[:, top : height - bottom, left : width - right])


__all__ = exported(globals())
