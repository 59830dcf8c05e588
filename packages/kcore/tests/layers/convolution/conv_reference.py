"""Plain numpy convolutions (imported by the tests as `reference`) (channels_last, loops over output positions) that the convolution
layer tests compare against; small inputs only."""

import itertools

import numpy as np


def _same_padding(size, extent, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def conv(x, kernel, strides=1, padding="valid", dilation=1, groups=1):
    """`x` (batch, *spatial, in) cross-correlated with `kernel` (*window, in // groups, out)."""
    rank = x.ndim - 2
    window = kernel.shape[:rank]
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation,) * rank if isinstance(dilation, int) else tuple(dilation)
    extents = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    if padding == "same":
        pads = [_same_padding(n, e, s) for n, e, s in zip(x.shape[1:-1], extents, strides)]
    elif padding == "causal":
        pads = [(e - 1, 0) for e in extents]
    else:
        pads = [(0, 0)] * rank
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    sizes = [(n - e) // s + 1 for n, e, s in zip(x.shape[1:-1], extents, strides)]
    group_in, out_channels = kernel.shape[-2:]
    group_out = out_channels // groups
    result = np.zeros((x.shape[0], *sizes, out_channels), "float64")
    for position in itertools.product(*map(range, sizes)):
        index = tuple(
            slice(p * s, p * s + e, d) for p, s, e, d in zip(position, strides, extents, dilation)
        )
        patch = x[(slice(None), *index)]
        for g in range(groups):
            inputs = patch[..., g * group_in : (g + 1) * group_in]
            weights = kernel[..., g * group_out : (g + 1) * group_out]
            axes = list(range(1, rank + 2))
            result[(slice(None), *position, slice(g * group_out, (g + 1) * group_out))] = (
                np.tensordot(inputs, weights, axes=(axes, list(range(rank + 1))))
            )
    return result


def conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None, dilation=1):
    """The transposed convolution of `x` (batch, *spatial, in) with `kernel`
    (*window, out, in): the gradient, with respect to its input, of `conv` with the same
    arguments, whose input has the transposed convolution's output size."""
    rank = x.ndim - 2
    window = kernel.shape[:rank]
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation,) * rank if isinstance(dilation, int) else tuple(dilation)
    if output_padding is None or isinstance(output_padding, int):
        output_padding = (output_padding,) * rank
    extents = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    full_sizes = [(n - 1) * s + e for n, s, e in zip(x.shape[1:-1], strides, extents)]
    full = np.zeros((x.shape[0], *full_sizes, kernel.shape[-2]), "float64")
    for position in itertools.product(*map(range, x.shape[1:-1])):
        contribution = np.tensordot(x[(slice(None), *position)], kernel, axes=([1], [rank + 1]))
        index = tuple(
            slice(p * s, p * s + e, d) for p, s, e, d in zip(position, strides, extents, dilation)
        )
        full[(slice(None), *index)] += contribution
    out_sizes, starts = [], []
    for n, s, e, extra in zip(x.shape[1:-1], strides, extents, output_padding):
        if padding == "valid":
            size = (n - 1) * s + e + (max(e, s) - e if extra is None else extra)
            before = 0
        else:
            size = n * s if extra is None else (n - 1) * s + e % 2 + extra
            before = max((n - 1) * s + e - size, 0) // 2
        out_sizes.append(size)
        starts.append(before)
    result = np.zeros((x.shape[0], *out_sizes, kernel.shape[-2]), "float64")
    source, target = [slice(None)], [slice(None)]
    for size, full_size, before in zip(out_sizes, full_sizes, starts):
        count = min(size, full_size - before)
        source.append(slice(before, before + count))
        target.append(slice(0, count))
    result[tuple(target)] = full[tuple(source)]
    return result


def depthwise_conv(x, kernel, strides=1, padding="valid", dilation=1):
    """Each channel `c` of `x` convolved with `kernel[..., c, :]`; output channel
    `c * multiplier + m`."""
    channels, multiplier = kernel.shape[-2:]
    grouped = kernel.reshape(*kernel.shape[:-2], 1, channels * multiplier)
    return conv(x, grouped, strides, padding, dilation, groups=channels)
