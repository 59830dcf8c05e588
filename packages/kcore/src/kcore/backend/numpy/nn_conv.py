"""Contract group ``nn`` on numpy, part two: convolutions and pooling (computed channels_last).

Inputs are widened to float64 and results cast back once, so the reference is as exact as its
result dtype allows.
"""

from __future__ import annotations

import builtins
import string

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype
from kcore.backend.numpy._utils import np_dtype, to_array
from kcore.backend.numpy.nn import _HALF, _float_input

# Pooling and convolution helpers: everything runs channels_last internally.


def _tuple(value, n, name):
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, got {value!r}.")
    return value


def _to_channels_last(x, data_format):
    return np.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _from_channels_last(x, data_format):
    return np.moveaxis(x, -1, 1) if data_format == "channels_first" else x


def _same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = builtins.max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _padding(x, kernel, strides, dilation, padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    pads = [(0, 0)]
    for size, k, s, d in zip(x.shape[1:-1], kernel, strides, dilation):
        pads.append(_same_padding(size, (k - 1) * d + 1, s) if padding == "same" else (0, 0))
    return pads + [(0, 0)]


def _windows(x, kernel, strides, dilation):
    """`(batch, *out_spatial, channels, *kernel)` windows of a padded channels_last `x`."""
    n = len(kernel)
    extent = tuple((k - 1) * d + 1 for k, d in zip(kernel, dilation))
    for size, e in zip(x.shape[1:-1], extent):
        if size < e:
            raise ValueError(
                f"The window (size {extent} after dilation) is larger than the padded input "
                f"{x.shape[1:-1]}; use padding='same' or a smaller window."
            )
    windows = sliding_window_view(x, extent, axis=tuple(range(1, n + 1)))
    index = (
        (slice(None),)
        + tuple(slice(None, None, s) for s in strides)
        + (slice(None),)
        + tuple(slice(None, None, d) for d in dilation)
    )
    return windows[index]


def _pool_setup(inputs, pool_size, strides, data_format):
    x = to_array(inputs)
    data_format = config.standardize_data_format(data_format)
    n = x.ndim - 2
    pool_size = _tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, n, "strides")
    return _to_channels_last(x, data_format), pool_size, strides, data_format


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, pool_size, strides, data_format = _pool_setup(inputs, pool_size, strides, data_format)
    ones = (1,) * len(pool_size)
    dtype = x.dtype
    if x.dtype.kind == "f":
        x = x.astype(np.float32) if standardize_dtype(dtype) in _HALF else x
        low = -np.inf
    else:
        low = np.iinfo(x.dtype).min if x.dtype.kind in "iu" else False
    x = np.pad(x, _padding(x, pool_size, strides, ones, padding), constant_values=low)
    windows = _windows(x, pool_size, strides, ones)
    axes = tuple(range(-len(pool_size), 0))
    return _from_channels_last(np.max(windows, axis=axes).astype(dtype), data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, pool_size, strides, data_format = _pool_setup(inputs, pool_size, strides, data_format)
    ones = (1,) * len(pool_size)
    x, dtype = _float_input(x, wide=True)
    pads = _padding(x, pool_size, strides, ones, padding)
    axes = tuple(range(-len(pool_size), 0))
    sums = np.sum(_windows(np.pad(x, pads), pool_size, strides, ones), axis=axes)
    valid = np.pad(np.ones((1,) + x.shape[1:-1] + (1,)), pads)
    counts = np.sum(_windows(valid, pool_size, strides, ones), axis=axes)
    return _from_channels_last((sums / counts).astype(dtype), data_format)


def _adaptive_pool(inputs, output_size, data_format, reduce):
    x = to_array(inputs)
    data_format = config.standardize_data_format(data_format)
    x = _to_channels_last(x, data_format)
    n = x.ndim - 2
    output_size = _tuple(output_size, n, "output_size")
    for axis, out in enumerate(output_size, start=1):
        size = x.shape[axis]
        pieces = [
            reduce(
                np.take(x, np.arange((i * size) // out, -(-((i + 1) * size) // out)), axis=axis),
                axis,
            )
            for i in range(out)
        ]
        x = np.stack(pieces, axis=axis)
    return _from_channels_last(x, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None):
    x, dtype = _float_input(inputs, wide=True)
    result = _adaptive_pool(x, output_size, data_format, lambda v, a: np.mean(v, axis=a))
    return result.astype(dtype)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(inputs, output_size, data_format, lambda v, a: np.max(v, axis=a))


def _compute_dtype(dtype):
    kind = np.dtype(np_dtype(dtype)).kind
    if kind == "c":
        return np.complex128
    return np.int64 if kind in "iub" else np.float64


def _conv(x, kernel, strides, padding, dilation, dtype):
    """Grouped convolution of a channels_last `x` with a `(*k, in // groups, out)` kernel."""
    n = x.ndim - 2
    in_channels, kernel_in, out_channels = x.shape[-1], kernel.shape[-2], kernel.shape[-1]
    if kernel_in == 0 or in_channels % kernel_in:
        raise ValueError(
            f"The input channels ({in_channels}) must be a multiple of the kernel's input "
            f"channels (kernel.shape[-2] = {kernel_in})."
        )
    groups = in_channels // kernel_in
    if out_channels % groups:
        raise ValueError(
            f"The kernel's output channels ({out_channels}) must be a multiple of the number "
            f"of groups ({groups} = input channels {in_channels} // kernel.shape[-2])."
        )
    spatial = kernel.shape[:-2]
    compute = _compute_dtype(dtype)
    x = x.astype(compute)
    x = np.pad(x, _padding(x, spatial, strides, dilation, padding))
    windows = _windows(x, spatial, strides, dilation)
    batch, out_spatial = windows.shape[0], windows.shape[1 : 1 + n]
    windows = windows.reshape((batch, *out_spatial, groups, kernel_in, *spatial))
    weights = kernel.astype(compute).reshape((*spatial, kernel_in, groups, out_channels // groups))
    letters = iter(string.ascii_letters)
    b, g, c, m = next(letters), next(letters), next(letters), next(letters)
    outs = "".join(next(letters) for _ in range(n))
    ks = "".join(next(letters) for _ in range(n))
    spec = f"{b}{outs}{g}{c}{ks},{ks}{c}{g}{m}->{b}{outs}{g}{m}"
    result = np.einsum(spec, windows, weights, optimize=True)
    return result.reshape((batch, *out_spatial, out_channels)).astype(np_dtype(dtype))


def _conv_args(inputs, kernel, strides, data_format, dilation_rate):
    x, kernel = to_array(inputs), to_array(kernel)
    data_format = config.standardize_data_format(data_format)
    n = x.ndim - 2
    if kernel.ndim != n + 2:
        raise ValueError(
            f"The kernel must have rank {n + 2} for inputs of rank {x.ndim}, got kernel shape "
            f"{kernel.shape}."
        )
    dtype = result_type(x.dtype, kernel.dtype)
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    return _to_channels_last(x, data_format), kernel, strides, dilation, dtype, data_format


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, dtype, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    return _from_channels_last(_conv(x, kernel, strides, padding, dilation, dtype), data_format)


def _depthwise_kernel(kernel):
    return kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, dtype, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    if kernel.shape[-2] != x.shape[-1]:
        raise ValueError(
            f"The depthwise kernel's input channels (kernel.shape[-2] = {kernel.shape[-2]}) must "
            f"equal the input channels ({x.shape[-1]})."
        )
    result = _conv(x, _depthwise_kernel(kernel), strides, padding, dilation, dtype)
    return _from_channels_last(result, data_format)


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, dilation_rate)


def _transpose_padding(kernel, stride, dilation, padding, output_padding):
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = builtins.max(extent, stride) - extent if output_padding is None else output_padding
        return extent - 1, extent - 1 + extra
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    left = builtins.min(total // 2 + total % 2, extent - 1)
    return left, total - left


def conv_transpose(
    inputs,
    kernel,
    strides,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    x, kernel, strides, dilation, dtype, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    n = x.ndim - 2
    spatial = kernel.shape[:-2]
    output_padding = (
        (None,) * n if output_padding is None else _tuple(output_padding, n, "output_padding")
    )
    # Spread the input by the strides, pad it, then convolve with the flipped kernel.
    spread_shape = tuple((s - 1) * st + 1 if s else 0 for s, st in zip(x.shape[1:-1], strides))
    spread = np.zeros((x.shape[0], *spread_shape, x.shape[-1]), dtype=x.dtype)
    spread[(slice(None), *(slice(None, None, st) for st in strides))] = x
    pads = [(0, 0)]
    for k, st, d, op in zip(spatial, strides, dilation, output_padding):
        pads.append(_transpose_padding(k, st, d, padding, op))
    pads.append((0, 0))
    crop = tuple(slice(-lo if lo < 0 else None, hi if hi < 0 else None) for lo, hi in pads)
    spread = np.pad(spread, [(builtins.max(lo, 0), builtins.max(hi, 0)) for lo, hi in pads])[crop]
    flipped = np.swapaxes(kernel[tuple(slice(None, None, -1) for _ in spatial)], -1, -2)
    result = _conv(spread, flipped, (1,) * n, "valid", dilation, dtype)
    return _from_channels_last(result, data_format)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    x = to_array(input)
    if x.ndim != 4:
        raise ValueError(f"unfold needs a 4-D (N, C, H, W) input, got shape {x.shape}.")
    kernel = _tuple(kernel_size, 2, "kernel_size")
    dilation = _tuple(dilation, 2, "dilation")
    padding = _tuple(padding, 2, "padding")
    stride = _tuple(stride, 2, "stride")
    x = np.pad(x, [(0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2])
    windows = _windows(np.moveaxis(x, 1, -1), kernel, stride, dilation)  # N, OH, OW, C, kh, kw
    n, oh, ow, c = windows.shape[:4]
    windows = windows.transpose(0, 3, 4, 5, 1, 2)
    return windows.reshape(n, c * kernel[0] * kernel[1], oh * ow)


__all__ = exported(globals())
