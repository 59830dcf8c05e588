"""Contract group ``nn`` on torch: activations, encodings, losses, normalization and attention.

Pooling and convolutions live in `kbackend_torch.nn_conv`, CTC in `kbackend_torch.nn_ctc`.
Half-precision inputs are computed in float32 and cast back, as the numpy reference does.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from kbackend_torch._compute import float_input, float_op, pair_float_dtype, to_torch, widen
from kbackend_torch._utils import torch_dtype
from kcore import config
from kcore.backend.contract import exported


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# Activations.


def relu(x):
    x = to_torch(x)
    return torch.relu(x) if x.dtype != torch.bool else x


def relu6(x):
    x = to_torch(x)
    if x.dtype.is_floating_point:
        return F.relu6(x)
    return torch.clamp(x, 0, 6).to(x.dtype) if x.dtype != torch.bool else x


def sigmoid(x):
    return float_op(torch.sigmoid, x)


def sparse_sigmoid(x):
    return float_op(lambda v: torch.clamp((v + 1.0) * 0.5, 0.0, 1.0), x)


def softplus(x):
    return float_op(F.softplus, x)


def softsign(x):
    return float_op(F.softsign, x)


def soft_shrink(x, threshold=0.5):
    return float_op(lambda v: F.softshrink(v, threshold), x)


def sparse_plus(x):
    def fn(v):
        middle = torch.square(v + 1.0) * 0.25
        return torch.where(v <= -1.0, 0.0, torch.where(v >= 1.0, v, middle))

    return float_op(fn, x)


def silu(x):
    return float_op(F.silu, x)


def squareplus(x, b=4):
    return float_op(lambda v: (v + torch.sqrt(torch.square(v) + b)) * 0.5, x)


def log_sigmoid(x):
    return float_op(F.logsigmoid, x)


def leaky_relu(x, negative_slope=0.2):
    return float_op(lambda v: F.leaky_relu(v, negative_slope), x)


def hard_sigmoid(x):
    return float_op(F.hardsigmoid, x)


def hard_silu(x):
    return float_op(F.hardswish, x)


def elu(x, alpha=1.0):
    return float_op(lambda v: F.elu(v, alpha), x)


def selu(x):
    return float_op(F.selu, x)


def gelu(x, approximate=True):
    return float_op(lambda v: F.gelu(v, approximate="tanh" if approximate else "none"), x)


def celu(x, alpha=1.0):
    return float_op(lambda v: F.celu(v, alpha), x)


def glu(x, axis=-1):
    x = float_input(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}, got shape {tuple(x.shape)}.")
    return float_op(lambda v: F.glu(v, dim=axis), x)


def tanh_shrink(x):
    return float_op(F.tanhshrink, x)


def hard_tanh(x):
    return float_op(F.hardtanh, x)


def hard_shrink(x, threshold=0.5):
    return float_op(lambda v: torch.where(torch.abs(v) > threshold, v, 0.0), x)


def threshold(x, threshold, default_value):
    return float_op(lambda v: torch.where(v > threshold, v, default_value), x)


def _softmax(v, axis, log):
    axis = _axis(axis)
    if axis is None or isinstance(axis, tuple):
        dims = tuple(range(v.ndim)) if axis is None else axis
        shifted = v - torch.logsumexp(v, dim=dims, keepdim=True)
        return shifted if log else torch.exp(shifted)
    return F.log_softmax(v, dim=axis) if log else F.softmax(v, dim=axis)


def softmax(x, axis=-1):
    return float_op(lambda v: _softmax(v, axis, log=False), x)


def log_softmax(x, axis=-1):
    return float_op(lambda v: _softmax(v, axis, log=True), x)


def sparsemax(x, axis=-1):
    def fn(v):
        moved = torch.movedim(v, axis, -1)
        z = torch.sort(moved, dim=-1, descending=True).values
        k = torch.arange(1, z.shape[-1] + 1, dtype=v.dtype, device=v.device)
        cumulative = torch.cumsum(z, dim=-1)
        count = torch.sum(1 + k * z > cumulative, dim=-1, keepdim=True)
        total = torch.gather(cumulative, -1, torch.clamp(count - 1, min=0))
        tau = (total - 1) / torch.clamp(count, min=1).to(v.dtype)
        return torch.movedim(torch.clamp(moved - tau, min=0), -1, axis)

    return float_op(fn, x)


# Encodings and losses.


def _one_hot(x, num_classes, axis, dtype):
    """One-hot vectors along `axis`; indices out of [0, num_classes) give all zeros."""
    classes = torch.arange(num_classes, device=x.device)
    encoded = (x.unsqueeze(-1) == classes).to(dtype)
    return encoded if axis in (-1, x.ndim) else torch.movedim(encoded, -1, axis)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The torch backend has no sparse tensors here; pass sparse=False.")
    x = to_torch(x)
    return _one_hot(x, int(num_classes), axis, torch_dtype(dtype or config.floatx()))


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    x = to_torch(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    encoded = one_hot(x.long(), num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return torch.amax(encoded, dim=reduction_axis)


def _loss_inputs(target, output):
    """Target and output in their common float dtype, widened to float32 when half."""
    target, output = to_torch(target), to_torch(output)
    dtype = torch_dtype(pair_float_dtype(target, output))
    return widen(target.to(dtype)), widen(output.to(dtype)), dtype


def binary_crossentropy(target, output, from_logits=False):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape:
        raise ValueError(
            "target and output must have the same shape, got "
            f"{tuple(target.shape)} and {tuple(output.shape)}."
        )
    if from_logits:
        log_p, log_not_p = F.logsigmoid(output), F.logsigmoid(-output)
    else:
        eps = config.epsilon()
        output = torch.clamp(output, eps, 1.0 - eps)
        log_p, log_not_p = torch.log(output), torch.log1p(-output)
    return (-(target * log_p + (1.0 - target) * log_not_p)).to(dtype)


def _categorical(target, output, from_logits, axis, dtype):
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        eps = config.epsilon()
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return (-torch.sum(target * log_prob, dim=axis)).to(dtype)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape or target.ndim < 1:
        raise ValueError(
            "target and output must have the same shape, of rank >= 1, got "
            f"{tuple(target.shape)} and {tuple(output.shape)}."
        )
    return _categorical(target, output, from_logits, axis, dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = to_torch(target)
    output = float_input(output)
    dtype = output.dtype
    if output.ndim < 1:
        raise ValueError(f"output must have rank >= 1, got shape {tuple(output.shape)}.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    class_axis = axis % output.ndim
    expected = output.shape[:class_axis] + output.shape[class_axis + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"target must have the shape of output without its class axis ({tuple(expected)}), "
            f"got target {tuple(target.shape)} and output {tuple(output.shape)}."
        )
    output = widen(output)
    if from_logits and class_axis == output.ndim - 1 and not target.dtype.is_floating_point:
        log_prob = F.log_softmax(output, dim=-1)
        picked = torch.gather(log_prob, -1, target.long().clamp(0, output.shape[-1] - 1)[..., None])
        in_range = (target >= 0) & (target < output.shape[-1])
        return torch.where(in_range, -picked[..., 0], 0.0).to(dtype)
    encoded = _one_hot(target.long(), output.shape[axis], axis, output.dtype)
    return _categorical(encoded, output, from_logits, axis, dtype)


# Normalization and statistics.


def moments(x, axes, keepdims=False, synchronized=False):
    x = float_input(x)
    dtype = x.dtype
    x = widen(x)
    axes = _axis(axes)
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=keepdims)
    if not keepdims:
        mean = mean.squeeze(axes)
    return mean.to(dtype), variance.to(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = float_input(x)
    dtype = x.dtype
    x = widen(x)
    shape = [1] * x.ndim
    shape[axis] = -1

    def stat(value):
        return widen(float_input(value)).reshape(shape)

    outputs = (x - stat(mean)) * torch.rsqrt(stat(variance) + epsilon)
    if scale is not None:
        outputs = outputs * stat(scale)
    if offset is not None:
        outputs = outputs + stat(offset)
    return outputs.to(dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize needs an integer order >= 1, got order={order!r}.")
    x = float_input(x)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon

    def fn(v):
        norm = torch.linalg.vector_norm(v, ord=order, dim=_axis(axis), keepdim=True)
        return v / torch.clamp(norm, min=epsilon)

    return float_op(fn, x)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x = float_input(x)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    scale = widen(float_input(scale))

    def fn(v):
        mean_square = torch.mean(torch.square(v), dim=_axis(axis), keepdim=True)
        return v * torch.rsqrt(mean_square + epsilon) * scale

    return float_op(fn, x)


def _fused_layer_norm(x, gamma, beta, axis, epsilon):
    """`F.layer_norm` over the last axis when the parameters fit it, else None."""
    if x.ndim == 0 or axis not in (-1, x.ndim - 1):
        return None
    size = x.shape[-1]
    params = [None if p is None else widen(float_input(p)) for p in (gamma, beta)]
    if any(p is not None and tuple(p.shape) != (size,) for p in params):
        return None
    wide = widen(x)
    params = [None if p is None else p.to(wide.dtype) for p in params]
    return F.layer_norm(wide, (size,), params[0], params[1], epsilon).to(x.dtype)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    if rms_scaling:
        return rms_normalization(x, 1 if gamma is None else gamma, axis, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = float_input(x)
    fused = _fused_layer_norm(x, gamma, beta, axis, epsilon)
    if fused is not None:
        return fused

    def fn(v):
        mean = torch.mean(v, dim=_axis(axis), keepdim=True)
        variance = torch.mean(torch.square(v - mean), dim=_axis(axis), keepdim=True)
        outputs = (v - mean) * torch.rsqrt(variance + epsilon)
        if gamma is not None:
            outputs = outputs * widen(float_input(gamma))
        if beta is not None:
            outputs = outputs + widen(float_input(beta))
        return outputs

    return float_op(fn, x)


def psnr(x1, x2, max_val):
    x1, x2, dtype = _loss_inputs(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(
            f"psnr needs inputs of one shape, got {tuple(x1.shape)} and {tuple(x2.shape)}."
        )
    max_val = widen(to_torch(max_val).to(device=x1.device, dtype=dtype))
    mse = torch.mean(torch.square(x1 - x2))
    return (20.0 * torch.log10(max_val) - 10.0 * torch.log10(mse)).to(dtype)


def polar(abs_, angle):
    abs_, angle, dtype = _loss_inputs(abs_, angle)
    complex_dtype = torch.complex128 if dtype == torch.float64 else torch.complex64
    return torch.complex(abs_ * torch.cos(angle), abs_ * torch.sin(angle)).to(complex_dtype)


# Attention.


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    query, key, value = to_torch(query), to_torch(key), to_torch(value)
    if query.ndim not in (3, 4) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(
            "query, key and value must all have rank 4 (batch, seq, heads, head_dim) or 3, got "
            f"shapes {tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}."
        )
    unbatched = query.ndim == 3
    if unbatched:
        query, key, value = query[None], key[None], value[None]
    dtype = torch.promote_types(torch.promote_types(query.dtype, key.dtype), value.dtype)
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(
            f"The number of query heads ({heads}) must be a multiple of the key heads ({kv_heads})."
        )
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    # (batch, heads, seq, head_dim), as torch's attention takes it; softmax in float32 at least.
    compute = torch.promote_types(dtype, torch.float32)
    if query.device.type != "cpu" and dtype in (torch.float16, torch.bfloat16):
        compute = dtype
    query, key, value = (t.transpose(1, 2).to(compute) for t in (query, key, value))
    keep = None if mask is None else to_torch(mask).to(device=query.device, dtype=torch.bool)
    if is_causal and (keep is not None or bias is not None or attn_logits_soft_cap is not None):
        causal = torch.ones(query.shape[2], key.shape[2], dtype=torch.bool, device=query.device)
        causal = torch.tril(causal)
        keep = causal if keep is None else keep & causal
        is_causal = False
    additive = None if bias is None else to_torch(bias).to(device=query.device, dtype=compute)
    if keep is not None:
        # Masked logits stay finite, so a fully masked row gives uniform weights, not NaN.
        masked = torch.zeros(keep.shape, dtype=compute, device=query.device)
        masked = masked.masked_fill(~keep, -0.7 * torch.finfo(compute).max)
        additive = masked if additive is None else additive + masked
    if attn_logits_soft_cap is None:
        encoded = F.scaled_dot_product_attention(
            query,
            key,
            value,
            attn_mask=additive,
            is_causal=is_causal,
            scale=scale,
            enable_gqa=heads != kv_heads,
        )
    else:
        encoded = _soft_capped_attention(query, key, value, additive, scale, attn_logits_soft_cap)
    encoded = encoded.transpose(1, 2).to(dtype)
    return encoded[0] if unbatched else encoded


def _soft_capped_attention(query, key, value, additive, scale, soft_cap):
    """Attention with `tanh(logits / cap) * cap` logits (torch's fused attention has no cap);
    query heads `n * groups + g` share key/value head `n`."""
    groups = query.shape[1] // key.shape[1]
    if groups > 1:
        key = key.repeat_interleave(groups, dim=1)
        value = value.repeat_interleave(groups, dim=1)
    logits = torch.matmul(query, key.transpose(-1, -2)) * scale
    logits = torch.tanh(logits / soft_cap) * soft_cap
    if additive is not None:
        logits = logits + additive
    return torch.matmul(torch.softmax(logits, dim=-1), value)


# Rearrangements.


def depth_to_space(x, block_size, data_format="channels_last"):
    x = to_torch(x)
    data_format = config.standardize_data_format(data_format)
    b = int(block_size)
    if x.ndim != 4:
        raise ValueError(f"depth_to_space needs a 4-D input, got shape {tuple(x.shape)}.")
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels % (b * b):
        raise ValueError(
            f"The channels ({channels}) must be a multiple of block_size**2 ({b * b})."
        )
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    x = to_torch(x)
    data_format = config.standardize_data_format(data_format)
    b = int(block_size)
    if x.ndim != 4:
        raise ValueError(f"space_to_depth needs a 4-D input, got shape {tuple(x.shape)}.")
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    if spatial[0] % b or spatial[1] % b:
        raise ValueError(
            f"The spatial size {tuple(spatial)} must be a multiple of block_size ({b})."
        )
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


__all__ = exported(globals())
