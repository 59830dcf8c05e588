"""Contract group ``nn`` on JAX: activations, encodings, losses, normalization and attention.

Pooling and convolutions live in `kbackend_jax.nn_conv`, CTC in `kbackend_jax.nn_ctc`. Half-precision
inputs are computed in float32 and cast back, as the numpy reference does.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kbackend_jax._compute import float_input, float_op, pair_float_dtype, to_jax, widen
from kbackend_jax._utils import jnp_dtype
from kcore import config
from kcore.backend.contract import exported


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# Activations.


def relu(x):
    x = to_jax(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.maximum(x, jnp.zeros((), x.dtype))
    return jax.nn.relu(x)


def relu6(x):
    x = to_jax(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.clip(x, 0, 6).astype(x.dtype)
    return jax.nn.relu6(x)


def sigmoid(x):
    return float_op(jax.nn.sigmoid, x)


def sparse_sigmoid(x):
    return float_op(jax.nn.sparse_sigmoid, x)


def softplus(x):
    return float_op(jax.nn.softplus, x)


def softsign(x):
    return float_op(jax.nn.soft_sign, x)


def soft_shrink(x, threshold=0.5):
    def fn(v):
        return jnp.where(
            v > threshold, v - threshold, jnp.where(v < -threshold, v + threshold, 0.0)
        )

    return float_op(fn, x)


def sparse_plus(x):
    return float_op(jax.nn.sparse_plus, x)


def silu(x):
    return float_op(jax.nn.silu, x)


def squareplus(x, b=4):
    return float_op(lambda v: jax.nn.squareplus(v, b), x)


def log_sigmoid(x):
    return float_op(jax.nn.log_sigmoid, x)


def leaky_relu(x, negative_slope=0.2):
    return float_op(lambda v: jax.nn.leaky_relu(v, negative_slope), x)


def hard_sigmoid(x):
    return float_op(jax.nn.hard_sigmoid, x)


def hard_silu(x):
    return float_op(jax.nn.hard_silu, x)


def elu(x, alpha=1.0):
    return float_op(lambda v: jax.nn.elu(v, alpha), x)


def selu(x):
    return float_op(jax.nn.selu, x)


def gelu(x, approximate=True):
    return float_op(lambda v: jax.nn.gelu(v, approximate=approximate), x)


def celu(x, alpha=1.0):
    return float_op(lambda v: jax.nn.celu(v, alpha), x)


def glu(x, axis=-1):
    x = float_input(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}, got shape {x.shape}.")
    return float_op(lambda v: jax.nn.glu(v, axis=axis), x)


def tanh_shrink(x):
    return float_op(lambda v: v - jnp.tanh(v), x)


def hard_tanh(x):
    return float_op(jax.nn.hard_tanh, x)


def hard_shrink(x, threshold=0.5):
    return float_op(lambda v: jnp.where(jnp.abs(v) > threshold, v, 0.0), x)


def threshold(x, threshold, default_value):
    return float_op(lambda v: jnp.where(v > threshold, v, default_value), x)


def softmax(x, axis=-1):
    return float_op(lambda v: jax.nn.softmax(v, axis=_axis(axis)), x)


def log_softmax(x, axis=-1):
    return float_op(lambda v: jax.nn.log_softmax(v, axis=_axis(axis)), x)


def sparsemax(x, axis=-1):
    def fn(v):
        moved = jnp.moveaxis(v, axis, -1)
        z = -jnp.sort(-moved, axis=-1)
        k = jnp.arange(1, z.shape[-1] + 1, dtype=v.dtype)
        cumulative = jnp.cumsum(z, axis=-1)
        count = jnp.sum(1 + k * z > cumulative, axis=-1, keepdims=True)
        total = jnp.take_along_axis(cumulative, jnp.maximum(count - 1, 0), axis=-1)
        tau = (total - 1) / jnp.maximum(count, 1).astype(v.dtype)
        return jnp.moveaxis(jnp.maximum(moved - tau, 0), -1, axis)

    return float_op(fn, x)


# Encodings and losses.


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The JAX backend has no sparse tensors here; pass sparse=False.")
    x = to_jax(x)
    return jax.nn.one_hot(x, num_classes, dtype=jnp_dtype(dtype or config.floatx()), axis=axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    x = to_jax(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    encoded = one_hot(x.astype(jnp.int32), num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return jnp.max(encoded, axis=reduction_axis)


def _loss_inputs(target, output):
    """Target and output in their common float dtype, widened to float32 when half."""
    target, output = to_jax(target), to_jax(output)
    dtype = jnp_dtype(pair_float_dtype(target, output))
    return widen(target.astype(dtype)), widen(output.astype(dtype)), dtype


def binary_crossentropy(target, output, from_logits=False):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape:
        raise ValueError(
            f"target and output must have the same shape, got {target.shape} and {output.shape}."
        )
    if from_logits:
        log_p, log_not_p = jax.nn.log_sigmoid(output), jax.nn.log_sigmoid(-output)
    else:
        eps = config.epsilon()
        output = jnp.clip(output, eps, 1.0 - eps)
        log_p, log_not_p = jnp.log(output), jnp.log1p(-output)
    return (-(target * log_p + (1.0 - target) * log_not_p)).astype(dtype)


def _categorical(target, output, from_logits, axis, dtype):
    if from_logits:
        log_prob = jax.nn.log_softmax(output, axis=axis)
    else:
        output = output / jnp.sum(output, axis=axis, keepdims=True)
        eps = config.epsilon()
        log_prob = jnp.log(jnp.clip(output, eps, 1.0 - eps))
    return (-jnp.sum(target * log_prob, axis=axis)).astype(dtype)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape or target.ndim < 1:
        raise ValueError(
            "target and output must have the same shape, of rank >= 1, got "
            f"{target.shape} and {output.shape}."
        )
    return _categorical(target, output, from_logits, axis, dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = to_jax(target)
    output = float_input(output)
    dtype = output.dtype
    if output.ndim < 1:
        raise ValueError(f"output must have rank >= 1, got shape {output.shape}.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    class_axis = axis % output.ndim
    expected = output.shape[:class_axis] + output.shape[class_axis + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"target must have the shape of output without its class axis ({expected}), "
            f"got target {target.shape} and output {output.shape}."
        )
    output = widen(output)
    encoded = jax.nn.one_hot(
        target.astype(jnp.int32), output.shape[axis], dtype=output.dtype, axis=axis
    )
    return _categorical(encoded, output, from_logits, axis, dtype)


# Normalization and statistics.


def moments(x, axes, keepdims=False, synchronized=False):
    x = float_input(x)
    dtype = x.dtype
    x = widen(x)
    axes = _axis(axes)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = jnp.squeeze(mean, axis=axes)
    return mean.astype(dtype), variance.astype(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = float_input(x)
    dtype = x.dtype
    x = widen(x)
    shape = [1] * x.ndim
    shape[axis] = -1

    def stat(value):
        return widen(float_input(value)).reshape(shape)

    outputs = (x - stat(mean)) * jax.lax.rsqrt(stat(variance) + epsilon)
    if scale is not None:
        outputs = outputs * stat(scale)
    if offset is not None:
        outputs = outputs + stat(offset)
    return outputs.astype(dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize needs an integer order >= 1, got order={order!r}.")
    x = float_input(x)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon

    def fn(v):
        norm = jnp.linalg.norm(v, ord=order, axis=axis, keepdims=True)
        return v / jnp.maximum(norm, epsilon)

    return float_op(fn, x)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x = float_input(x)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    scale = widen(float_input(scale))

    def fn(v):
        mean_square = jnp.mean(jnp.square(v), axis=_axis(axis), keepdims=True)
        return v * jax.lax.rsqrt(mean_square + epsilon) * scale

    return float_op(fn, x)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    if rms_scaling:
        return rms_normalization(x, 1 if gamma is None else gamma, axis, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon

    def fn(v):
        mean = jnp.mean(v, axis=_axis(axis), keepdims=True)
        variance = jnp.mean(jnp.square(v - mean), axis=_axis(axis), keepdims=True)
        outputs = (v - mean) * jax.lax.rsqrt(variance + epsilon)
        if gamma is not None:
            outputs = outputs * widen(float_input(gamma))
        if beta is not None:
            outputs = outputs + widen(float_input(beta))
        return outputs

    return float_op(fn, x)


def psnr(x1, x2, max_val):
    x1, x2, dtype = _loss_inputs(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr needs inputs of one shape, got {x1.shape} and {x2.shape}.")
    max_val = widen(to_jax(max_val).astype(dtype))
    mse = jnp.mean(jnp.square(x1 - x2))
    return (20.0 * jnp.log10(max_val) - 10.0 * jnp.log10(mse)).astype(dtype)


def polar(abs_, angle):
    abs_, angle, dtype = _loss_inputs(abs_, angle)
    complex_dtype = jnp.complex128 if dtype == jnp.float64 else jnp.complex64
    return jax.lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle)).astype(complex_dtype)


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
    query, key, value = to_jax(query), to_jax(key), to_jax(value)
    if query.ndim not in (3, 4) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(
            "query, key and value must all have rank 4 (batch, seq, heads, head_dim) or 3, got "
            f"shapes {query.shape}, {key.shape}, {value.shape}."
        )
    unbatched = query.ndim == 3
    if unbatched:
        query, key, value = query[None], key[None], value[None]
    dtype = jnp.result_type(query.dtype, key.dtype, value.dtype)
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(
            f"The number of query heads ({heads}) must be a multiple of the key heads ({kv_heads})."
        )
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if flash_attention and attn_logits_soft_cap is None:
        encoded = jax.nn.dot_product_attention(
            query.astype(dtype),
            key.astype(dtype),
            value.astype(dtype),
            bias=None if bias is None else to_jax(bias).astype(dtype),
            mask=None if mask is None else to_jax(mask).astype(bool),
            scale=scale,
            is_causal=is_causal,
            implementation="cudnn",
        )
    else:
        encoded = _attention(
            query, key, value, bias, mask, scale, is_causal, attn_logits_soft_cap, dtype
        )
    return encoded[0] if unbatched else encoded


def _attention(query, key, value, bias, mask, scale, is_causal, soft_cap, dtype):
    """Grouped-query attention: query heads `n * groups + g` share key/value head `n`."""
    batch, q_len, heads, head_dim = query.shape
    kv_heads = key.shape[2]
    groups = heads // kv_heads
    query = query.reshape(batch, q_len, kv_heads, groups, head_dim)
    logits = jnp.einsum("btngh,bsnh->bngts", query, key, preferred_element_type=jnp.float32).astype(
        jnp.float32
    )
    logits = logits.reshape(batch, heads, q_len, key.shape[1]) * scale
    if bias is not None:
        logits = logits + to_jax(bias).astype(jnp.float32)
    if soft_cap is not None:
        logits = jnp.tanh(logits / soft_cap) * soft_cap
    keep = None if mask is None else to_jax(mask).astype(bool)
    if is_causal:
        causal = jnp.tril(jnp.ones(logits.shape[-2:], dtype=bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        large_negative = -0.7 * float(jnp.finfo(jnp.float32).max)
        logits = jnp.where(keep, logits, large_negative)
    weights = jax.nn.softmax(logits, axis=-1)
    weights = weights.reshape(batch, kv_heads, groups, q_len, key.shape[1])
    encoded = jnp.einsum(
        "bngts,bsnh->btngh", weights.astype(value.dtype), value, preferred_element_type=jnp.float32
    )
    return encoded.reshape(batch, q_len, heads, value.shape[-1]).astype(dtype)


# Rearrangements.


def depth_to_space(x, block_size, data_format="channels_last"):
    x = to_jax(x)
    data_format = config.standardize_data_format(data_format)
    b = int(block_size)
    if x.ndim != 4:
        raise ValueError(f"depth_to_space needs a 4-D input, got shape {x.shape}.")
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels % (b * b):
        raise ValueError(
            f"The channels ({channels}) must be a multiple of block_size**2 ({b * b})."
        )
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    x = to_jax(x)
    data_format = config.standardize_data_format(data_format)
    b = int(block_size)
    if x.ndim != 4:
        raise ValueError(f"space_to_depth needs a 4-D input, got shape {x.shape}.")
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    if spatial[0] % b or spatial[1] % b:
        raise ValueError(f"The spatial size {spatial} must be a multiple of block_size ({b}).")
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


__all__ = exported(globals())
