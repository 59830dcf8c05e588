"""Contract group ``nn`` on TensorFlow, part two: pooling and convolutions.

TF's kernels are channels_last (channels_first is unsupported on CPU for many of them):
channels_first inputs are transposed to channels_last and the result back.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import (
    HALF,
    as_tuple,
    dtype_name,
    float_input,
    moveaxis,
    shape_of,
    to_tf,
)
from kbackend_tf._utils import tf_dtype
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

# The dtypes TF's 1-D and 2-D max pooling takes; 3-D max pooling takes fewer (on CPU, neither
# float16 nor float64).
_MAX_POOL_DTYPES = (
    tf.float16,
    tf.bfloat16,
    tf.float32,
    tf.float64,
    tf.int8,
    tf.int16,
    tf.int32,
    tf.int64,
    tf.uint8,
    tf.uint16,
)
_MAX_POOL_3D_DTYPES = (tf.bfloat16, tf.float32)


def _channels_last(x, data_format):
    """`x` in channels_last, and a function putting a result back in `data_format`."""
    if config.standardize_data_format(data_format) == "channels_last":
        return x, lambda result: result
    rank = x.shape.rank
    x = tf.transpose(x, [0, *range(2, rank), 1])
    return x, lambda result: tf.transpose(result, [0, rank - 1, *range(1, rank - 1)])


def _check_padding(padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    return padding.upper()


# Pooling.


def _pool_args(inputs, pool_size, strides, padding, data_format):
    x = to_tf(inputs)
    n = x.shape.rank - 2
    pool_size = as_tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else as_tuple(strides, n, "strides")
    x, back = _channels_last(x, data_format)
    return x, list(pool_size), list(strides), _check_padding(padding), back


def _max_pool_3d(x, window, steps, padding):
    """3-D max pooling for dtypes `tf.nn.max_pool3d` lacks: pooling is separable, so a 2-D pool
    over (H, W) and one over D (with H and W merged) give it."""
    n, d, h, w, c = shape_of(x)
    planes = tf.nn.max_pool2d(tf.reshape(x, [-1, h, w, c]), window[1:], steps[1:], padding)
    h2, w2 = shape_of(planes)[1:3]
    stacked = tf.reshape(planes, [n, d, h2 * w2, c])
    pooled = tf.nn.max_pool2d(stacked, [window[0], 1], [steps[0], 1], padding)
    return tf.reshape(pooled, [n, -1, h2, w2, c])


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, steps, padding, back = _pool_args(inputs, pool_size, strides, padding, data_format)
    dtype = x.dtype
    n = len(window)
    if dtype not in _MAX_POOL_DTYPES:
        x = tf.cast(x, tf.float64 if dtype.size > 2 else tf.float32)
    if n == 3 and x.dtype not in _MAX_POOL_3D_DTYPES:
        result = _max_pool_3d(x, window, steps, padding)
    else:
        result = tf.nn.max_pool(x, window, steps, padding)
    return back(tf.cast(result, dtype) if result.dtype != dtype else result)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, steps, padding, back = _pool_args(inputs, pool_size, strides, padding, data_format)
    x = float_input(x)
    dtype = x.dtype
    if dtype in HALF:
        x = tf.cast(x, tf.float32)
    # TF leaves padded positions out of each "same" window's count, as the contract does.
    result = tf.nn.avg_pool(x, window, steps, padding)
    return back(tf.cast(result, dtype) if result.dtype != dtype else result)


def _adaptive_membership(size, out):
    """`(out, size)` bool matrix: input index `j` belongs to output window `i`."""
    i = np.arange(out)[:, None]
    j = np.arange(size)[None, :]
    return (j >= (i * size) // out) & (j < -(-((i + 1) * size) // out))


def _spatial_axes(rank):
    return range(1, rank - 1)


def adaptive_average_pool(inputs, output_size, data_format=None):
    x = float_input(inputs)
    dtype = x.dtype
    x, back = _channels_last(tf.cast(x, tf.float32) if dtype in HALF else x, data_format)
    axes = _spatial_axes(x.shape.rank)
    for axis, out in zip(axes, as_tuple(output_size, len(axes), "output_size")):
        member = _adaptive_membership(x.shape[axis], out)
        weights = tf.constant((member / member.sum(axis=1, keepdims=True)).T, x.dtype)
        pooled = tf.tensordot(x, weights, axes=[[axis], [0]])
        x = moveaxis(pooled, -1, axis)
    return back(tf.cast(x, dtype))


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = to_tf(inputs)
    x, back = _channels_last(x, data_format)
    axes = _spatial_axes(x.shape.rank)
    low = tf.constant(x.dtype.min, x.dtype) if x.dtype != tf.bool else tf.constant(False)
    for axis, out in zip(axes, as_tuple(output_size, len(axes), "output_size")):
        member = _adaptive_membership(x.shape[axis], out)
        # (..., out, size, ...): each output window picks its members, others are `low`.
        expanded = tf.expand_dims(x, axis)
        shape = [1] * (x.shape.rank + 1)
        shape[axis], shape[axis + 1] = member.shape
        chosen = tf.where(tf.constant(member.reshape(shape)), expanded, low)
        if x.dtype == tf.bool:
            x = tf.reduce_any(chosen, axis=axis + 1)
        else:
            x = tf.reduce_max(chosen, axis=axis + 1)
    return back(x)


# Convolutions.


def _conv_args(inputs, kernel, strides, data_format, dilation_rate):
    x, kernel = to_tf(inputs), to_tf(kernel)
    n = x.shape.rank - 2
    if n not in (1, 2, 3):
        raise ValueError(f"Convolutions have 1 to 3 spatial dimensions, got {n}.")
    if kernel.shape.rank != n + 2:
        raise ValueError(
            f"The kernel must have rank {n + 2} for inputs of rank {x.shape.rank}, got kernel "
            f"shape {kernel.shape}."
        )
    dtype = tf_dtype(result_type(dtype_name(x), dtype_name(kernel)))
    if x.dtype != dtype:
        x = tf.cast(x, dtype)
    if kernel.dtype != dtype:
        kernel = tf.cast(kernel, dtype)
    strides = list(as_tuple(strides, n, "strides"))
    dilation = list(as_tuple(dilation_rate, n, "dilation_rate"))
    x, back = _channels_last(x, data_format)
    return x, kernel, strides, dilation, back


_DATA_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _convolve(x, kernel, strides, padding, dilation):
    """`tf.nn.convolution` (channels_last), with explicit `(before, after)` paddings applied
    first. The data format is named: eager gradients of TF's 3-D convolution need it."""
    if not isinstance(padding, str):
        x = tf.pad(x, [[0, 0], *padding, [0, 0]])
        padding = "VALID"
    data_format = _DATA_FORMATS[len(strides)]
    groups = 1 if x.shape[-1] is None else x.shape[-1] // kernel.shape[-2]
    if len(strides) == 3 and groups > 1:
        # TF's CPU kernels have no grouped 3-D convolution: one convolution per group.
        pairs = zip(tf.split(x, groups, axis=-1), tf.split(kernel, groups, axis=-1))
        return tf.concat(
            [tf.nn.convolution(a, b, strides, padding, data_format, dilation) for a, b in pairs],
            axis=-1,
        )
    return tf.nn.convolution(x, kernel, strides, padding, data_format, dilations=dilation)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels, kernel_in, out_channels = x.shape[-1], *kernel.shape[-2:]
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
    return back(_convolve(x, kernel, strides, _check_padding(padding), dilation))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels = x.shape[-1]
    if kernel.shape[-2] != in_channels:
        raise ValueError(
            f"The depthwise kernel's input channels (kernel.shape[-2] = {kernel.shape[-2]}) must "
            f"equal the input channels ({in_channels})."
        )
    padding = _check_padding(padding)
    n = len(strides)
    if n == 3 or (max(strides) > 1 and max(dilation) > 1):
        # A grouped convolution with one group per input channel.
        grouped = tf.reshape(kernel, [*kernel.shape[:-2], 1, -1])
        return back(_convolve(x, grouped, strides, padding, dilation))
    if n == 1:
        # On an added axis of size 1; TF wants equal strides on both axes.
        x, kernel = x[:, None], kernel[None]
        strides, dilation = [*strides, *strides], [1, *dilation]
    result = tf.nn.depthwise_conv2d(x, kernel, [1, *strides, 1], padding, dilations=dilation)
    return back(result[:, 0] if n == 1 else result)


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
    """(before, after) padding of the stride-dilated input, as the numpy reference pads it."""
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return extent - 1, extent - 1 + extra
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, extent - 1)
    return left, total - left


def _dilate(x, strides):
    """`x` (channels_last) with `stride - 1` zeros inserted between neighbours on each spatial
    axis."""
    for axis, stride in enumerate(strides, start=1):
        if stride == 1:
            continue
        shape = shape_of(x)
        expanded = tf.expand_dims(x, axis + 1)
        pad = [[0, 0]] * (x.shape.rank + 1)
        pad[axis + 1] = [0, stride - 1]
        spread = tf.pad(expanded, pad)
        merged = shape[:axis] + [shape[axis] * stride] + shape[axis + 1 :]
        x = tf.reshape(spread, merged)
        index = [slice(None)] * x.shape.rank
        index[axis] = slice(0, (shape[axis] - 1) * stride + 1)
        x = x[tuple(index)]
    return x


def conv_transpose(
    inputs,
    kernel,
    strides,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    x, kernel, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    padding = _check_padding(padding).lower()
    n = len(strides)
    spatial = kernel.shape[:-2]
    output_padding = (
        (None,) * n if output_padding is None else as_tuple(output_padding, n, "output_padding")
    )
    pads = [
        list(_transpose_padding(k, s, d, padding, op))
        for k, s, d, op in zip(spatial, strides, dilation, output_padding)
    ]
    # A transposed convolution is a convolution of the stride-dilated input with the flipped,
    # in/out-swapped kernel.
    flipped = tf.transpose(tf.reverse(kernel, list(range(n))), [*range(n), n + 1, n])
    return back(_convolve(_dilate(x, strides), flipped, [1] * n, pads, dilation))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    x = to_tf(input)
    if x.shape.rank != 4:
        raise ValueError(f"unfold needs a 4-D (N, C, H, W) input, got shape {x.shape}.")
    kernel = as_tuple(kernel_size, 2, "kernel_size")
    dilation = as_tuple(dilation, 2, "dilation")
    padding = as_tuple(padding, 2, "padding")
    stride = as_tuple(stride, 2, "stride")
    channels = x.shape[1]
    x = tf.transpose(x, [0, 2, 3, 1])
    x = tf.pad(x, [[0, 0], [padding[0]] * 2, [padding[1]] * 2, [0, 0]])
    patches = tf.image.extract_patches(
        x, [1, *kernel, 1], [1, *stride, 1], [1, *dilation, 1], "VALID"
    )
    batch = shape_of(patches)[0]
    # (N, L, kh * kw, C) -> (N, C * kh * kw, L), channel-major as torch orders it.
    patches = tf.reshape(patches, [batch, -1, kernel[0] * kernel[1], channels])
    patches = tf.transpose(patches, [0, 3, 2, 1])
    return tf.reshape(patches, [batch, channels * kernel[0] * kernel[1], -1])


__all__ = exported(globals())
