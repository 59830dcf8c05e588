"""Contract group ``nn`` on JAX, part two: pooling (`lax.reduce_window`) and convolutions
(`lax.conv_general_dilated`), in either data format without transposing the inputs."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from kbackend_jax._compute import HALF, as_tuple, dtype_name, float_input, to_jax, widen
from kbackend_jax._utils import jnp_dtype
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type


def _spatial_axes(ndim, data_format):
    return tuple(range(1, ndim - 1)) if data_format == "channels_last" else tuple(range(2, ndim))


def _check_padding(padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    return padding.upper()


# Pooling.


def _pool_args(inputs, pool_size, strides, padding, data_format):
    """Window, strides and padding over all axes of `inputs` (1 on batch and channels)."""
    x = to_jax(inputs)
    data_format = config.standardize_data_format(data_format)
    n = x.ndim - 2
    pool_size = as_tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else as_tuple(strides, n, "strides")
    window, steps = [1] * x.ndim, [1] * x.ndim
    for axis, size, stride in zip(_spatial_axes(x.ndim, data_format), pool_size, strides):
        window[axis], steps[axis] = size, stride
    pads = lax.padtype_to_pads(x.shape, window, steps, _check_padding(padding))
    return x, tuple(window), tuple(steps), pads


def _lowest(dtype):
    if jnp.issubdtype(dtype, jnp.floating):
        return -jnp.inf
    if dtype == jnp.bool_:
        return False
    return jnp.iinfo(dtype).min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, steps, pads = _pool_args(inputs, pool_size, strides, padding, data_format)
    # A numpy scalar: a concrete init value lets JAX pick its differentiable max reducer.
    init = np.array(_lowest(x.dtype), dtype=x.dtype)
    return lax.reduce_window(x, init, lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, steps, pads = _pool_args(inputs, pool_size, strides, padding, data_format)
    x = float_input(x)
    dtype = x.dtype
    x = widen(x)
    zero = np.array(0, dtype=x.dtype)  # concrete: the differentiable sum reducer
    sums = lax.reduce_window(x, zero, lax.add, window, steps, pads)
    if all(lo == 0 and hi == 0 for lo, hi in pads):
        return (sums / np.prod(window)).astype(dtype)
    # "same": padded positions are left out of each window's count.
    ones = jnp.ones([1 if w == 1 else size for size, w in zip(x.shape, window)], x.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, steps, pads)
    return (sums / counts).astype(dtype)


def _adaptive_membership(size, out):
    """`(out, size)` bool matrix: input index `j` belongs to output window `i`."""
    i = np.arange(out)[:, None]
    j = np.arange(size)[None, :]
    return (j >= (i * size) // out) & (j < -(-((i + 1) * size) // out))


def adaptive_average_pool(inputs, output_size, data_format=None):
    x = float_input(inputs)
    dtype = x.dtype
    x = widen(x)
    data_format = config.standardize_data_format(data_format)
    axes = _spatial_axes(x.ndim, data_format)
    for axis, out in zip(axes, as_tuple(output_size, len(axes), "output_size")):
        member = _adaptive_membership(x.shape[axis], out)
        weights = jnp.asarray((member / member.sum(axis=1, keepdims=True)).T, x.dtype)
        x = jnp.moveaxis(jnp.tensordot(x, weights, axes=([axis], [0])), -1, axis)
    return x.astype(dtype)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = to_jax(inputs)
    data_format = config.standardize_data_format(data_format)
    axes = _spatial_axes(x.ndim, data_format)
    low = jnp.array(_lowest(x.dtype), x.dtype)
    for axis, out in zip(axes, as_tuple(output_size, len(axes), "output_size")):
        member = _adaptive_membership(x.shape[axis], out)
        # (..., out, size, ...): each output window picks its members, others are `low`.
        expanded = jnp.expand_dims(x, axis)
        shape = [1] * expanded.ndim
        shape[axis], shape[axis + 1] = member.shape
        x = jnp.max(jnp.where(member.reshape(shape), expanded, low), axis=axis + 1)
    return x


# Convolutions.


def _dimension_numbers(n, data_format):
    if n > 3:
        raise ValueError(f"Convolutions have 1 to 3 spatial dimensions, got {n}.")
    spatial = "DHW"[-n:]
    lhs = "N" + spatial + "C" if data_format == "channels_last" else "NC" + spatial
    return (lhs, spatial + "IO", lhs)


def _conv_args(inputs, kernel, strides, data_format, dilation_rate):
    x, kernel = to_jax(inputs), to_jax(kernel)
    data_format = config.standardize_data_format(data_format)
    n = x.ndim - 2
    if kernel.ndim != n + 2:
        raise ValueError(
            f"The kernel must have rank {n + 2} for inputs of rank {x.ndim}, got kernel shape "
            f"{kernel.shape}."
        )
    dtype = jnp_dtype(result_type(dtype_name(x), dtype_name(kernel)))
    strides = as_tuple(strides, n, "strides")
    dilation = as_tuple(dilation_rate, n, "dilation_rate")
    return x.astype(dtype), kernel.astype(dtype), strides, dilation, data_format


def _run_conv(x, kernel, strides, padding, dilation, data_format, groups, lhs_dilation=None):
    n = x.ndim - 2
    half = dtype_name(x) in HALF
    result = lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=padding,
        lhs_dilation=lhs_dilation,
        rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(n, data_format),
        feature_group_count=groups,
        preferred_element_type=jnp.float32 if half else None,
    )
    return result.astype(x.dtype)


def _in_channels(x, data_format):
    return x.shape[-1] if data_format == "channels_last" else x.shape[1]


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels, kernel_in, out_channels = _in_channels(x, data_format), *kernel.shape[-2:]
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
    padding = _check_padding(padding)
    return _run_conv(x, kernel, strides, padding, dilation, data_format, groups)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels = _in_channels(x, data_format)
    if kernel.shape[-2] != in_channels:
        raise ValueError(
            f"The depthwise kernel's input channels (kernel.shape[-2] = {kernel.shape[-2]}) must "
            f"equal the input channels ({in_channels})."
        )
    kernel = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    padding = _check_padding(padding)
    return _run_conv(x, kernel, strides, padding, dilation, data_format, in_channels)


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


def conv_transpose(
    inputs,
    kernel,
    strides,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    x, kernel, strides, dilation, data_format = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    padding = _check_padding(padding).lower()
    n = x.ndim - 2
    spatial = kernel.shape[:-2]
    output_padding = (
        (None,) * n if output_padding is None else as_tuple(output_padding, n, "output_padding")
    )
    pads = [
        _transpose_padding(k, s, d, padding, op)
        for k, s, d, op in zip(spatial, strides, dilation, output_padding)
    ]
    # A transposed convolution is a convolution of the stride-dilated input with the flipped,
    # in/out-swapped kernel.
    flipped = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(n))), -1, -2)
    return _run_conv(x, flipped, (1,) * n, pads, dilation, data_format, 1, lhs_dilation=strides)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    x = to_jax(input)
    if x.ndim != 4:
        raise ValueError(f"unfold needs a 4-D (N, C, H, W) input, got shape {x.shape}.")
    kernel = as_tuple(kernel_size, 2, "kernel_size")
    dilation = as_tuple(dilation, 2, "dilation")
    padding = as_tuple(padding, 2, "padding")
    stride = as_tuple(stride, 2, "stride")
    patches = lax.conv_general_dilated_patches(
        x,
        kernel,
        stride,
        [(p, p) for p in padding],
        rhs_dilation=dilation,
        dimension_numbers=("NCHW", "OIHW", "NCHW"),
        precision=lax.Precision.HIGHEST,
    )
    return patches.reshape(x.shape[0], patches.shape[1], -1)


__all__ = exported(globals())
