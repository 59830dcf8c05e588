"""Contract group ``nn`` on TensorFlow: activations, encodings, losses, normalization and attention.

Pooling and convolutions live in `kbackend_tf.nn_conv`, CTC in `kbackend_tf.nn_ctc`. Half-precision
inputs are computed in float32 and cast back, as the numpy reference does.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import (
    HALF,
    float_input,
    float_op,
    moveaxis,
    pair_float_dtype,
    shape_of,
    tf_dtype,
    to_tf,
)
from kbackend_tf._utils import axis_arg, dtype_name
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type


def _widen(x):
    return tf.cast(x, tf.float32) if x.dtype in HALF else x


def _zero(v):
    return tf.zeros((), v.dtype)


# Activations.


def relu(x):
    x = to_tf(x)
    if x.dtype == tf.bool:
        return x
    if x.dtype.is_floating and x.dtype not in HALF:
        return tf.nn.relu(x)
    return tf.maximum(x, tf.zeros((), x.dtype))


def relu6(x):
    x = to_tf(x)
    if x.dtype.is_floating and x.dtype not in HALF:
        return tf.nn.relu6(x)
    if x.dtype == tf.bool:
        return x
    return tf.clip_by_value(x, tf.zeros((), x.dtype), tf.constant(6, x.dtype))


def sigmoid(x):
    return float_op(tf.math.sigmoid, x)


def sparse_sigmoid(x):
    return float_op(lambda v: tf.clip_by_value(0.5 * (v + 1.0), 0.0, 1.0), x)


def softplus(x):
    return float_op(tf.math.softplus, x)


def softsign(x):
    return float_op(tf.nn.softsign, x)


def soft_shrink(x, threshold=0.5):
    def fn(v):
        shrunk = tf.where(v < -threshold, v + threshold, _zero(v))
        return tf.where(v > threshold, v - threshold, shrunk)

    return float_op(fn, x)


def sparse_plus(x):
    def fn(v):
        middle = 0.25 * tf.square(v + 1.0)
        return tf.where(v <= -1.0, _zero(v), tf.where(v >= 1.0, v, middle))

    return float_op(fn, x)


def silu(x):
    return float_op(tf.nn.silu, x)


def squareplus(x, b=4):
    return float_op(lambda v: (v + tf.sqrt(tf.square(v) + b)) / 2.0, x)


def log_sigmoid(x):
    return float_op(tf.math.log_sigmoid, x)


def leaky_relu(x, negative_slope=0.2):
    return float_op(lambda v: tf.where(v >= 0, v, v * negative_slope), x)


def hard_sigmoid(x):
    return float_op(lambda v: tf.nn.relu6(v + 3.0) / 6.0, x)


def hard_silu(x):
    return float_op(lambda v: v * tf.nn.relu6(v + 3.0) / 6.0, x)


def elu(x, alpha=1.0):
    def fn(v):
        return tf.where(v > 0, v, alpha * tf.math.expm1(tf.minimum(v, _zero(v))))

    return float_op(fn, x)


def selu(x):
    return float_op(tf.nn.selu, x)


def gelu(x, approximate=True):
    return float_op(lambda v: tf.nn.gelu(v, approximate=approximate), x)


def celu(x, alpha=1.0):
    def fn(v):
        return tf.maximum(v, _zero(v)) + alpha * tf.math.expm1(tf.minimum(v, _zero(v)) / alpha)

    return float_op(fn, x)


def glu(x, axis=-1):
    x = float_input(x)
    size = x.shape[axis]
    if size is not None and size % 2:
        raise ValueError(f"glu needs an even size along axis {axis}, got shape {x.shape}.")

    def fn(v):
        first, second = tf.split(v, 2, axis=axis)
        return first * tf.math.sigmoid(second)

    return float_op(fn, x)


def tanh_shrink(x):
    return float_op(lambda v: v - tf.tanh(v), x)


def hard_tanh(x):
    return float_op(lambda v: tf.clip_by_value(v, -1.0, 1.0), x)


def hard_shrink(x, threshold=0.5):
    return float_op(lambda v: tf.where(tf.abs(v) > threshold, v, _zero(v)), x)


def threshold(x, threshold, default_value):
    def fn(v):
        return tf.where(v > threshold, v, tf.cast(default_value, v.dtype))

    return float_op(fn, x)


def _on_axis(fn, v, axis):
    """`fn(v, axis)` for an int or a tuple of axes (several axes are flattened into one)."""
    axis = axis_arg(axis)
    if isinstance(axis, int):
        return fn(v, axis)
    rank = v.shape.rank
    axes = sorted(a % rank for a in axis)
    kept = [i for i in range(rank) if i not in axes]
    moved = tf.transpose(v, kept + axes)
    shape = shape_of(moved)
    flat = tf.reshape(moved, shape[: len(kept)] + [-1])
    result = tf.reshape(fn(flat, -1), shape)
    return tf.transpose(result, np.argsort(kept + axes).tolist())


def softmax(x, axis=-1):
    x = to_tf(x)
    if x.dtype in (tf.float32, tf.float64) and isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    return float_op(lambda v: _on_axis(lambda t, a: tf.nn.softmax(t, axis=a), v, axis), x)


def log_softmax(x, axis=-1):
    return float_op(lambda v: _on_axis(lambda t, a: tf.nn.log_softmax(t, axis=a), v, axis), x)


def sparsemax(x, axis=-1):
    def fn(v):
        rank = v.shape.rank
        moved = moveaxis(v, axis, -1)
        z = tf.sort(moved, axis=-1, direction="DESCENDING")
        k = tf.range(1, tf.shape(z)[-1] + 1, dtype=v.dtype)
        cumulative = tf.cumsum(z, axis=-1)
        count = tf.reduce_sum(tf.cast(1 + k * z > cumulative, tf.int32), axis=-1, keepdims=True)
        total = tf.gather(cumulative, tf.maximum(count - 1, 0), axis=-1, batch_dims=rank - 1)
        tau = (total - 1) / tf.cast(tf.maximum(count, 1), v.dtype)
        result = tf.maximum(moved - tau, _zero(v))
        return moveaxis(result, -1, axis)

    return float_op(fn, x)


# Encodings and losses.


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The TensorFlow backend has no sparse tensors here; pass sparse=False.")
    x = to_tf(x)
    if not x.dtype.is_integer:
        x = tf.cast(x, tf.int64)
    dtype = tf_dtype(dtype or config.floatx())
    return tf.one_hot(x, int(num_classes), axis=axis, dtype=dtype)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    x = to_tf(inputs)
    reduction_axis = 1 if x.shape.rank > 1 else 0
    encoded = one_hot(tf.cast(x, tf.int32), num_classes, axis=axis, dtype=dtype, sparse=sparse)
    if encoded.dtype == tf.bool:
        return tf.reduce_any(encoded, axis=reduction_axis)
    return tf.reduce_max(encoded, axis=reduction_axis)


def _loss_inputs(target, output):
    """Target and output in their common float dtype, widened to float32 when half."""
    target, output = to_tf(target), to_tf(output)
    dtype = tf_dtype(pair_float_dtype(target, output))
    return _widen(tf.cast(target, dtype)), _widen(tf.cast(output, dtype)), dtype


def _same_shape(a, b):
    return a.shape.rank == b.shape.rank and all(
        p is None or q is None or p == q for p, q in zip(a.shape.as_list(), b.shape.as_list())
    )


def binary_crossentropy(target, output, from_logits=False):
    target, output, dtype = _loss_inputs(target, output)
    if not _same_shape(target, output):
        raise ValueError(
            f"target and output must have the same shape, got {target.shape} and {output.shape}."
        )
    if from_logits:
        log_p, log_not_p = tf.math.log_sigmoid(output), tf.math.log_sigmoid(-output)
    else:
        eps = config.epsilon()
        output = tf.clip_by_value(output, eps, 1.0 - eps)
        log_p, log_not_p = tf.math.log(output), tf.math.log1p(-output)
    return tf.cast(-(target * log_p + (1.0 - target) * log_not_p), dtype)


def _categorical(target, output, from_logits, axis, dtype):
    if from_logits:
        log_prob = tf.nn.log_softmax(output, axis=axis)
    else:
        output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
        eps = config.epsilon()
        log_prob = tf.math.log(tf.clip_by_value(output, eps, 1.0 - eps))
    return tf.cast(-tf.reduce_sum(target * log_prob, axis=axis), dtype)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output, dtype = _loss_inputs(target, output)
    if not _same_shape(target, output) or target.shape.rank < 1:
        raise ValueError(
            "target and output must have the same shape, of rank >= 1, got "
            f"{target.shape} and {output.shape}."
        )
    return _categorical(target, output, from_logits, axis, dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = to_tf(target)
    output = float_input(output)
    dtype = output.dtype
    rank = output.shape.rank
    if rank < 1:
        raise ValueError(f"output must have rank >= 1, got shape {output.shape}.")
    if target.shape.rank == rank and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    class_axis = axis % rank
    expected = output.shape[:class_axis] + output.shape[class_axis + 1 :]
    if not _same_shape(target, tf.TensorSpec(expected)):
        raise ValueError(
            f"target must have the shape of output without its class axis ({expected}), "
            f"got target {target.shape} and output {output.shape}."
        )
    output = _widen(output)
    classes = output.shape[axis] if output.shape[axis] is not None else tf.shape(output)[axis]
    encoded = tf.one_hot(tf.cast(target, tf.int32), classes, dtype=output.dtype, axis=class_axis)
    return _categorical(encoded, output, from_logits, axis, dtype)


# Normalization and statistics.


def moments(x, axes, keepdims=False, synchronized=False):
    x = float_input(x)
    dtype = x.dtype
    x = _widen(x)
    axes = axis_arg(axes)
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.math.squared_difference(x, mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = tf.squeeze(mean, axis=axes)
    return tf.cast(mean, dtype), tf.cast(variance, dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = float_input(x)
    dtype = x.dtype
    x = _widen(x)
    shape = [1] * x.shape.rank
    shape[axis] = -1

    def stat(value):
        return tf.reshape(_widen(float_input(value)), shape)

    outputs = (x - stat(mean)) * tf.math.rsqrt(stat(variance) + epsilon)
    if scale is not None:
        outputs = outputs * stat(scale)
    if offset is not None:
        outputs = outputs + stat(offset)
    return tf.cast(outputs, dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize needs an integer order >= 1, got order={order!r}.")
    x = float_input(x)
    if x.shape.rank == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon

    def fn(v):
        magnitude = tf.abs(v)
        if order == 1:
            norm = tf.reduce_sum(magnitude, axis=axis, keepdims=True)
        elif order == 2:
            norm = tf.sqrt(tf.reduce_sum(tf.square(magnitude), axis=axis, keepdims=True))
        else:
            total = tf.reduce_sum(tf.pow(magnitude, float(order)), axis=axis, keepdims=True)
            norm = tf.pow(total, 1.0 / order)
        return v / tf.maximum(norm, epsilon)

    return float_op(fn, x)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x = float_input(x)
    if x.shape.rank == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    scale = _widen(float_input(scale))

    def fn(v):
        mean_square = tf.reduce_mean(tf.square(v), axis=axis_arg(axis), keepdims=True)
        return v * tf.math.rsqrt(mean_square + epsilon) * tf.cast(scale, v.dtype)

    return float_op(fn, x)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    if rms_scaling:
        return rms_normalization(x, 1 if gamma is None else gamma, axis, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon

    def fn(v):
        axes = axis_arg(axis)
        mean = tf.reduce_mean(v, axis=axes, keepdims=True)
        variance = tf.reduce_mean(tf.math.squared_difference(v, mean), axis=axes, keepdims=True)
        outputs = (v - mean) * tf.math.rsqrt(variance + epsilon)
        if gamma is not None:
            outputs = outputs * tf.cast(float_input(gamma), v.dtype)
        if beta is not None:
            outputs = outputs + tf.cast(float_input(beta), v.dtype)
        return outputs

    return float_op(fn, x)


def psnr(x1, x2, max_val):
    x1, x2, dtype = _loss_inputs(x1, x2)
    if not _same_shape(x1, x2):
        raise ValueError(f"psnr needs inputs of one shape, got {x1.shape} and {x2.shape}.")
    max_val = tf.cast(to_tf(max_val), x1.dtype)
    mse = tf.reduce_mean(tf.square(x1 - x2))
    log10 = math.log(10.0)
    result = 20.0 * tf.math.log(max_val) / log10 - 10.0 * tf.math.log(mse) / log10
    return tf.cast(result, dtype)


def polar(abs_, angle):
    abs_, angle, dtype = _loss_inputs(abs_, angle)
    complex_dtype = tf.complex128 if dtype == tf.float64 else tf.complex64
    real_dtype = complex_dtype.real_dtype
    abs_, angle = tf.cast(abs_, real_dtype), tf.cast(angle, real_dtype)
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))


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
    query, key, value = to_tf(query), to_tf(key), to_tf(value)
    rank = query.shape.rank
    if rank not in (3, 4) or key.shape.rank != rank or value.shape.rank != rank:
        raise ValueError(
            "query, key and value must all have rank 4 (batch, seq, heads, head_dim) or 3, got "
            f"shapes {query.shape}, {key.shape}, {value.shape}."
        )
    if flash_attention:
        raise ValueError(
            "The TensorFlow backend has no flash attention; pass flash_attention=None."
        )
    unbatched = rank == 3
    if unbatched:
        query, key, value = query[None], key[None], value[None]
    dtype = tf_dtype(result_type(dtype_name(query), dtype_name(key), dtype_name(value)))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(
            f"The number of query heads ({heads}) must be a multiple of the key heads ({kv_heads})."
        )
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    encoded = _attention(
        query, key, value, bias, mask, scale, is_causal, attn_logits_soft_cap, dtype
    )
    return encoded[0] if unbatched else encoded


def _attention(query, key, value, bias, mask, scale, is_causal, soft_cap, dtype):
    """Grouped-query attention: query heads `n * groups + g` share key/value head `n`, computed
    in float32 at least."""
    compute = tf.float64 if dtype == tf.float64 else tf.float32
    query, key, value = (tf.cast(t, compute) for t in (query, key, value))
    batch, q_len = shape_of(query)[:2]
    heads, head_dim = query.shape[2], query.shape[3]
    kv_heads = key.shape[2]
    groups = heads // kv_heads
    k_len = shape_of(key)[1]
    # Batched matmuls over (batch, key head) with the groups folded into the query length: on
    # CPU these run about 2x faster than the equivalent einsums (forward and gradient).
    query = tf.transpose(
        tf.reshape(query, [batch, q_len, kv_heads, groups, head_dim]), [0, 2, 3, 1, 4]
    )
    query = tf.reshape(query, [batch, kv_heads, groups * q_len, head_dim])
    key = tf.transpose(key, [0, 2, 1, 3])  # (batch, kv_heads, k_len, head_dim)
    logits = tf.matmul(query * tf.cast(scale, compute), key, transpose_b=True)
    logits = tf.reshape(logits, [batch, heads, q_len, k_len])
    if bias is not None:
        logits = logits + tf.cast(to_tf(bias), compute)
    if soft_cap is not None:
        logits = tf.tanh(logits / soft_cap) * soft_cap
    keep = None if mask is None else tf.cast(to_tf(mask), tf.bool)
    if is_causal:
        causal = tf.linalg.band_part(tf.ones([q_len, k_len], tf.bool), -1, 0)
        keep = causal if keep is None else keep & causal
    if keep is not None:
        large_negative = -0.7 * float(np.finfo(np.float32).max)
        logits = tf.where(keep, logits, tf.constant(large_negative, compute))
    weights = tf.nn.softmax(logits, axis=-1)
    weights = tf.reshape(weights, [batch, kv_heads, groups * q_len, k_len])
    encoded = tf.matmul(weights, tf.transpose(value, [0, 2, 1, 3]))  # (b, n, groups*t, dv)
    value_dim = value.shape[-1]
    encoded = tf.reshape(encoded, [batch, kv_heads, groups, q_len, value_dim])
    encoded = tf.transpose(encoded, [0, 3, 1, 2, 4])
    return tf.cast(tf.reshape(encoded, [batch, q_len, heads, value_dim]), dtype)


# Rearrangements.


def _block_format(x, block_size, data_format, name):
    if x.shape.rank != 4:
        raise ValueError(f"{name} needs a 4-D input, got shape {x.shape}.")
    return int(block_size), config.standardize_data_format(data_format)


def depth_to_space(x, block_size, data_format="channels_last"):
    x = to_tf(x)
    b, data_format = _block_format(x, block_size, data_format, "depth_to_space")
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if channels % (b * b):
        raise ValueError(
            f"The channels ({channels}) must be a multiple of block_size**2 ({b * b})."
        )
    if data_format == "channels_last":
        n, h, w, c = shape_of(x)
        x = tf.transpose(tf.reshape(x, [n, h, w, b, b, c // (b * b)]), [0, 1, 3, 2, 4, 5])
        return tf.reshape(x, [n, h * b, w * b, c // (b * b)])
    n, c, h, w = shape_of(x)
    x = tf.transpose(tf.reshape(x, [n, c // (b * b), b, b, h, w]), [0, 1, 4, 2, 5, 3])
    return tf.reshape(x, [n, c // (b * b), h * b, w * b])


def space_to_depth(x, block_size, data_format="channels_last"):
    x = to_tf(x)
    b, data_format = _block_format(x, block_size, data_format, "space_to_depth")
    spatial = x.shape[1:3] if data_format == "channels_last" else x.shape[2:]
    if any(s is not None and s % b for s in spatial):
        raise ValueError(f"The spatial size {spatial} must be a multiple of block_size ({b}).")
    if data_format == "channels_last":
        n, h, w, c = shape_of(x)
        x = tf.transpose(tf.reshape(x, [n, h // b, b, w // b, b, c]), [0, 1, 3, 2, 4, 5])
        return tf.reshape(x, [n, h // b, w // b, c * b * b])
    n, c, h, w = shape_of(x)
    x = tf.transpose(tf.reshape(x, [n, c, h // b, b, w // b, b]), [0, 1, 3, 5, 2, 4])
    return tf.reshape(x, [n, c * b * b, h // b, w // b])


__all__ = exported(globals())
