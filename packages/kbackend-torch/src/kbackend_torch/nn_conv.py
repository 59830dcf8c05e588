"""Contract group ``nn`` on torch, part two: pooling and convolutions (`torch.nn.functional`).

torch takes channels_first tensors and `(out, in, *spatial)` kernels: channels_last inputs are
moved to channels_first and back, and Keras kernels `(*spatial, in, out)` permuted. "same" padding
(which may be asymmetric) is applied explicitly before the op.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kbackend_torch._compute import as_tuple, dtype_name, float_input, to_torch, torch_dtype
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

_HALF = (torch.float16, torch.bfloat16)
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _channels_first(x, data_format):
    """`x` in channels_first, and a function putting a result back in `data_format`."""
    data_format = config.standardize_data_format(data_format)
    if data_format == "channels_first":
        return x, lambda result: result
    return torch.movedim(x, -1, 1), lambda result: torch.movedim(result, 1, -1)


def _spatial_rank(x):
    n = x.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"Expected inputs with 1 to 3 spatial dimensions, got shape {tuple(x.shape)}."
        )
    return n


def _check_padding(padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    return padding


def _same_pads(sizes, windows, strides, dilations):
    """(before, after) "same" padding per spatial dim, as XLA pads: the extra one after."""
    pads = []
    for size, window, stride, dilation in zip(sizes, windows, strides, dilations):
        extent = (window - 1) * dilation + 1
        out = -(-size // stride)
        total = max((out - 1) * stride + extent - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _pad(x, pads, value=0.0):
    """`x` (channels_first) padded by `pads`, (before, after) per spatial dim."""
    if not any(before or after for before, after in pads):
        return x
    flat = [amount for pair in reversed(pads) for amount in pair]
    return F.pad(x, flat, value=value)


def _computable(x):
    """`x` in a dtype torch's CPU kernels take (ints via float64, half floats via float32)."""
    if not x.dtype.is_floating_point:
        return x.to(torch.float64)
    if x.dtype in _HALF and x.device.type == "cpu":
        return x.float()
    return x


# Pooling.


def _pool_args(inputs, pool_size, strides, padding, data_format):
    x = to_torch(inputs)
    n = _spatial_rank(x)
    pool_size = as_tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else as_tuple(strides, n, "strides")
    x, back = _channels_first(x, data_format)
    pads = [(0, 0)] * n
    if _check_padding(padding) == "same":
        pads = _same_pads(x.shape[2:], pool_size, strides, (1,) * n)
    return x, back, n, pool_size, strides, pads


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, back, n, pool_size, strides, pads = _pool_args(
        inputs, pool_size, strides, padding, data_format
    )
    values = _pad(_computable(x), pads, value=-torch.inf)
    return back(_MAX_POOL[n](values, pool_size, strides).to(x.dtype))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, back, n, pool_size, strides, pads = _pool_args(
        inputs, pool_size, strides, padding, data_format
    )
    x = float_input(x)
    values = _computable(x)
    sums = _AVG_POOL[n](_pad(values, pads), pool_size, strides)
    if any(before or after for before, after in pads):
        # "same": padded positions are left out of each window's count.
        ones = torch.ones((1, 1, *values.shape[2:]), dtype=values.dtype, device=values.device)
        sums = sums / _AVG_POOL[n](_pad(ones, pads), pool_size, strides)
    return back(sums.to(x.dtype))


def adaptive_average_pool(inputs, output_size, data_format=None):
    x = float_input(inputs)
    n = _spatial_rank(x)
    x, back = _channels_first(x, data_format)
    output_size = as_tuple(output_size, n, "output_size")
    return back(_ADAPTIVE_AVG[n](_computable(x), output_size).to(x.dtype))


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = to_torch(inputs)
    n = _spatial_rank(x)
    x, back = _channels_first(x, data_format)
    output_size = as_tuple(output_size, n, "output_size")
    return back(_ADAPTIVE_MAX[n](_computable(x), output_size).to(x.dtype))


# Convolutions.


def _conv_args(inputs, kernel, strides, data_format, dilation_rate):
    """Channels-first input and the kernel in their common dtype (computable), the result dtype,
    strides, dilation and the function restoring the data format."""
    x, kernel = to_torch(inputs), to_torch(kernel)
    n = _spatial_rank(x)
    if kernel.ndim != n + 2:
        raise ValueError(
            f"The kernel must have rank {n + 2} for inputs of rank {x.ndim}, got kernel shape "
            f"{tuple(kernel.shape)}."
        )
    dtype = torch_dtype(result_type(dtype_name(x), dtype_name(kernel)))
    x, back = _channels_first(x, data_format)
    x = _computable(x.to(dtype))
    kernel = kernel.to(device=x.device, dtype=x.dtype)
    strides = as_tuple(strides, n, "strides")
    dilation = as_tuple(dilation_rate, n, "dilation_rate")
    return x, kernel, dtype, strides, dilation, back


def _torch_kernel(kernel):
    """A Keras kernel `(*spatial, in, out)` as torch's `(out, in, *spatial)`."""
    n = kernel.ndim - 2
    return kernel.permute(n + 1, n, *range(n))


def _run_conv(x, kernel, strides, padding, dilation, groups):
    n = x.ndim - 2
    if padding == "same":
        x = _pad(x, _same_pads(x.shape[2:], kernel.shape[:n], strides, dilation))
    weight = _torch_kernel(kernel)
    return _CONV[n](x, weight, stride=strides, dilation=dilation, groups=groups)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, dtype, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels, kernel_in, out_channels = x.shape[1], *kernel.shape[-2:]
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
    return back(_run_conv(x, kernel, strides, padding, dilation, groups).to(dtype))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, dtype, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    in_channels = x.shape[1]
    if kernel.shape[-2] != in_channels:
        raise ValueError(
            f"The depthwise kernel's input channels (kernel.shape[-2] = {kernel.shape[-2]}) must "
            f"equal the input channels ({in_channels})."
        )
    kernel = kernel.reshape(*kernel.shape[:-2], 1, kernel.shape[-2] * kernel.shape[-1])
    padding = _check_padding(padding)
    return back(_run_conv(x, kernel, strides, padding, dilation, in_channels).to(dtype))


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
    x, kernel, dtype, strides, dilation, back = _conv_args(
        inputs, kernel, strides, data_format, dilation_rate
    )
    padding = _check_padding(padding)
    n = x.ndim - 2
    output_padding = (
        (None,) * n if output_padding is None else as_tuple(output_padding, n, "output_padding")
    )
    spatial = kernel.shape[:n]
    # torch's unpadded transposed convolution is the convolution of the stride-dilated input
    # padded by `extent - 1` on both sides; crop (or zero-pad) it to the reference's padding.
    adjust = []
    for k, s, d, op in zip(spatial, strides, dilation, output_padding):
        before, after = _transpose_padding(k, s, d, padding, op)
        extent = (k - 1) * d + 1
        adjust.append((before - (extent - 1), after - (extent - 1)))
    # Keras's transposed kernel is `(*spatial, out, in)`; torch's `(in, out, *spatial)`.
    weight = kernel.permute(n + 1, n, *range(n))
    full = _CONV_TRANSPOSE[n](x, weight, stride=strides, dilation=dilation)
    return back(_pad(full, adjust).to(dtype))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    x = to_torch(input)
    if x.ndim != 4:
        raise ValueError(f"unfold needs a 4-D (N, C, H, W) input, got shape {tuple(x.shape)}.")
    kernel = as_tuple(kernel_size, 2, "kernel_size")
    dilation = as_tuple(dilation, 2, "dilation")
    padding = as_tuple(padding, 2, "padding")
    stride = as_tuple(stride, 2, "stride")
    patches = F.unfold(_computable(x), kernel, dilation=dilation, padding=padding, stride=stride)
    return patches.to(x.dtype)


__all__ = exported(globals())
