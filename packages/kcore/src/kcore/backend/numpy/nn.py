"""Contract group ``nn`` on numpy.

Half-precision inputs are computed in float32 (and convolutions, reductions and losses in float64)
and cast back, so the reference results are as exact as the output dtype allows.
"""

from __future__ import annotations

import builtins
import math

import numpy as np

from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype
from kcore.backend.numpy._utils import float_result, np_dtype, to_array

_HALF = ("float16", "bfloat16")


def _float_input(x, wide=False):
    """`(values to compute with, dtype to return)`: ints become floatx, half floats are widened
    to float32 (float64 with `wide=True`)."""
    x = float_result(x)
    dtype = x.dtype
    if wide and x.dtype.kind == "f":
        return x.astype(np.float64), dtype
    if standardize_dtype(dtype) in _HALF:
        return x.astype(np.float32), dtype
    return x, dtype


def _elementwise(x, fn):
    x, dtype = _float_input(x)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return np.asarray(fn(x)).astype(dtype)


def _sigmoid(x):
    positive = x >= 0
    e = np.exp(np.where(positive, -x, x))
    return np.where(positive, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype)


# Activations.


def relu(x):
    x = to_array(x)
    if x.dtype.kind in "iub":
        return np.maximum(x, np.zeros((), x.dtype))
    return _elementwise(x, lambda v: np.maximum(v, np.zeros((), v.dtype)))


def relu6(x):
    x = to_array(x)
    if x.dtype.kind in "iub":
        return np.clip(x, 0, 6).astype(x.dtype)
    return _elementwise(x, lambda v: np.minimum(np.maximum(v, 0), 6).astype(v.dtype))


def sigmoid(x):
    return _elementwise(x, _sigmoid)


def sparse_sigmoid(x):
    return _elementwise(x, lambda v: np.clip((v + 1.0) * 0.5, 0.0, 1.0))


def softplus(x):
    return _elementwise(x, lambda v: np.logaddexp(v, np.zeros((), v.dtype)))


def softsign(x):
    return _elementwise(x, lambda v: v / (1.0 + np.abs(v)))


def soft_shrink(x, threshold=0.5):
    return _elementwise(
        x,
        lambda v: np.where(
            v > threshold, v - threshold, np.where(v < -threshold, v + threshold, 0)
        ),
    )


def sparse_plus(x):
    return _elementwise(
        x, lambda v: np.where(v <= -1.0, 0.0, np.where(v >= 1.0, v, 0.25 * (v + 1.0) ** 2))
    )


def silu(x):
    return _elementwise(x, lambda v: v * _sigmoid(v))


def squareplus(x, b=4):
    return _elementwise(x, lambda v: (v + np.sqrt(v * v + b)) * 0.5)


def log_sigmoid(x):
    return _elementwise(x, lambda v: -np.logaddexp(np.zeros((), v.dtype), -v))


def leaky_relu(x, negative_slope=0.2):
    return _elementwise(x, lambda v: np.where(v >= 0, v, negative_slope * v))


def _hard_sigmoid(v):
    return np.clip(v / 6.0 + 0.5, 0.0, 1.0)


def hard_sigmoid(x):
    return _elementwise(x, _hard_sigmoid)


def hard_silu(x):
    return _elementwise(x, lambda v: v * _hard_sigmoid(v))


def _elu(v, alpha):
    return np.where(v > 0, v, alpha * np.expm1(np.minimum(v, 0)))


def elu(x, alpha=1.0):
    return _elementwise(x, lambda v: _elu(v, alpha))


def selu(x):
    return _elementwise(x, lambda v: 1.0507009873554805 * _elu(v, 1.6732632423543772))


_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x, approximate=True):
    def fn(v):
        if approximate:
            inner = math.sqrt(2.0 / math.pi) * (v + 0.044715 * v**3)
            return 0.5 * v * (1.0 + np.tanh(inner))
        wide = v.astype(np.float64)
        return 0.5 * wide * (1.0 + _erf(wide / math.sqrt(2.0)).astype(np.float64))

    return _elementwise(x, fn)


def celu(x, alpha=1.0):
    return _elementwise(
        x, lambda v: np.maximum(v, 0.0) + alpha * np.expm1(np.minimum(v, 0.0) / alpha)
    )


def glu(x, axis=-1):
    x, dtype = _float_input(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}, got shape {x.shape}.")
    a, b = np.split(x, 2, axis=axis)
    return np.asarray(a * _sigmoid(b)).astype(dtype)


def tanh_shrink(x):
    return _elementwise(x, lambda v: v - np.tanh(v))


def hard_tanh(x):
    return _elementwise(x, lambda v: np.clip(v, -1.0, 1.0))


def hard_shrink(x, threshold=0.5):
    return _elementwise(x, lambda v: np.where(np.abs(v) > threshold, v, 0.0))


def threshold(x, threshold, default_value):
    return _elementwise(x, lambda v: np.where(v > threshold, v, default_value))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def softmax(x, axis=-1):
    axis = _axis(axis)

    def fn(v):
        e = np.exp(v - np.max(v, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)

    return _elementwise(x, fn)


def _log_softmax(v, axis):
    shifted = v - np.max(v, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax(x, axis=-1):
    axis = _axis(axis)
    return _elementwise(x, lambda v: _log_softmax(v, axis))


def sparsemax(x, axis=-1):
    def fn(v):
        moved = np.moveaxis(v, axis, -1)
        z = -np.sort(-moved, axis=-1)
        k = np.arange(1, z.shape[-1] + 1, dtype=v.dtype)
        cumulative = np.cumsum(z, axis=-1)
        support = 1 + k * z > cumulative
        count = np.sum(support, axis=-1, keepdims=True)
        total = np.take_along_axis(cumulative, np.maximum(count - 1, 0), axis=-1)
        tau = (total - 1) / np.maximum(count, 1)
        return np.moveaxis(np.maximum(moved - tau, 0), -1, axis)

    return _elementwise(x, fn)


# Encodings and losses.


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The numpy backend has no sparse tensors; pass sparse=False.")
    x = to_array(x)
    encoded = x[..., None] == np.arange(num_classes)
    encoded = encoded.astype(np_dtype(dtype or config.floatx()))
    return np.moveaxis(encoded, -1, axis) if axis != -1 else encoded


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    x = to_array(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    encoded = one_hot(x.astype(np.int64), num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return np.max(encoded, axis=reduction_axis)


def _loss_inputs(target, output):
    target, output = to_array(target), to_array(output)
    dtype = np_dtype(result_type(target.dtype, output.dtype, float))
    return target.astype(np.float64), output.astype(np.float64), dtype


def binary_crossentropy(target, output, from_logits=False):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape:
        raise ValueError(
            f"target and output must have the same shape, got {target.shape} and {output.shape}."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        if from_logits:
            log_p = -np.logaddexp(0.0, -output)
            log_not_p = -np.logaddexp(0.0, output)
        else:
            eps = config.epsilon()
            output = np.clip(output, eps, 1.0 - eps)
            log_p, log_not_p = np.log(output), np.log(1.0 - output)
        return np.asarray(-(target * log_p + (1.0 - target) * log_not_p)).astype(dtype)


def _categorical(target, output, from_logits, axis, dtype):
    with np.errstate(divide="ignore", invalid="ignore"):
        if from_logits:
            log_prob = _log_softmax(output, axis)
        else:
            output = output / np.sum(output, axis=axis, keepdims=True)
            eps = config.epsilon()
            log_prob = np.log(np.clip(output, eps, 1.0 - eps))
        return np.asarray(-np.sum(target * log_prob, axis=axis)).astype(dtype)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output, dtype = _loss_inputs(target, output)
    if target.shape != output.shape or target.ndim < 1:
        raise ValueError(
            "target and output must have the same shape, of rank >= 1, got "
            f"{target.shape} and {output.shape}."
        )
    return _categorical(target, output, from_logits, axis, dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = to_array(target)
    output, dtype = _float_input(output)
    if output.ndim < 1:
        raise ValueError(f"output must have rank >= 1, got shape {output.shape}.")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = np.squeeze(target, axis=-1)
    expected = output.shape[: axis % output.ndim] + output.shape[axis % output.ndim + 1 :]
    if target.shape != expected:
        raise ValueError(
            f"target must have the shape of output without its class axis ({expected}), "
            f"got target {target.shape} and output {output.shape}."
        )
    encoded = one_hot(target.astype(np.int64), output.shape[axis], axis=axis, dtype="float64")
    return _categorical(encoded, output.astype(np.float64), from_logits, axis, dtype)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = to_array(target).astype(np.int64)
    output = to_array(output)
    dtype = np_dtype(result_type(output.dtype, "float32"))
    log_probs = _log_softmax(output.astype(np.float64), -1)
    target_length = to_array(target_length).astype(np.int64).reshape(-1)
    output_length = to_array(output_length).astype(np.int64).reshape(-1)
    losses = np.zeros(output.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        for b in range(output.shape[0]):
            losses[b] = _ctc_sequence_loss(
                log_probs[b, : output_length[b]], target[b, : target_length[b]], mask_index
            )
    return losses.astype(dtype)


def _ctc_sequence_loss(log_probs, labels, blank):
    """Minus the log-probability of `labels` under CTC, by the forward (alpha) recursion."""
    if log_probs.shape[0] == 0:
        return 0.0 if labels.size == 0 else np.inf
    extended = np.full(2 * labels.size + 1, blank, dtype=np.int64)
    extended[1::2] = labels
    skip = np.zeros(extended.size, dtype=bool)
    skip[2:] = (extended[2:] != blank) & (extended[2:] != extended[:-2])
    alpha = np.full(extended.size, -np.inf)
    alpha[0] = log_probs[0, blank]
    if labels.size:
        alpha[1] = log_probs[0, extended[1]]
    for t in range(1, log_probs.shape[0]):
        previous = alpha.copy()
        previous[1:] = np.logaddexp(previous[1:], alpha[:-1])
        previous[2:] = np.where(skip[2:], np.logaddexp(previous[2:], alpha[:-2]), previous[2:])
        alpha = previous + log_probs[t, extended]
    return -np.logaddexp(alpha[-1], alpha[-2]) if labels.size else -alpha[-1]


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    inputs = to_array(inputs)
    lengths = to_array(sequence_lengths).astype(np.int64).reshape(-1)
    if mask_index is None:
        mask_index = inputs.shape[-1] - 1
    if strategy == "greedy":
        return _ctc_greedy(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    raise ValueError(f"Invalid strategy {strategy!r}; expected 'greedy' or 'beam_search'.")


def _ctc_greedy(inputs, lengths, merge_repeated, blank):
    batch, steps = inputs.shape[:2]
    best = np.argmax(inputs, axis=-1)
    top = np.max(inputs, axis=-1).astype(np.float64)
    valid = np.arange(steps)[None, :] < lengths[:, None]
    paths = np.full((1, batch, steps), -1, dtype=np.int32)
    for b in range(batch):
        labels, previous = [], None
        for t in range(int(builtins.min(lengths[b], steps))):
            label = int(best[b, t])
            if label != blank and not (merge_repeated and label == previous):
                labels.append(label)
            previous = label
        paths[0, b, : len(labels)] = labels
    scores = -np.sum(np.where(valid, top, 0.0), axis=1, keepdims=True)
    return paths, scores.astype(inputs.dtype if inputs.dtype.kind == "f" else np.float32)


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, blank):
    """CTC prefix beam search: each prefix keeps the log-probability of ending in a blank and
    in a non-blank; the `beam_width` best prefixes survive each step."""
    batch, steps, classes = inputs.shape
    log_probs = _log_softmax(inputs.astype(np.float64), -1)
    paths = np.full((top_paths, batch, steps), -1, dtype=np.int32)
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        beams = {(): (0.0, -np.inf)}
        for t in range(int(builtins.min(lengths[b], steps))):
            step = log_probs[b, t]
            grown = {}

            def add(prefix, blank_score, label_score, grown=grown):
                old_blank, old_label = grown.get(prefix, (-np.inf, -np.inf))
                grown[prefix] = (
                    np.logaddexp(old_blank, blank_score),
                    np.logaddexp(old_label, label_score),
                )

            for prefix, (p_blank, p_label) in beams.items():
                total = np.logaddexp(p_blank, p_label)
                add(prefix, total + step[blank], -np.inf)
                for c in range(classes):
                    if c == blank:
                        continue
                    if prefix and prefix[-1] == c:
                        add(prefix, -np.inf, p_label + step[c])
                        add(prefix + (c,), -np.inf, p_blank + step[c])
                    else:
                        add(prefix + (c,), -np.inf, total + step[c])
            ranked = sorted(grown.items(), key=lambda item: -np.logaddexp(*item[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda item: -np.logaddexp(*item[1]))[:top_paths]
        for k, (prefix, (p_blank, p_label)) in enumerate(ranked):
            paths[k, b, : len(prefix)] = prefix
            scores[b, k] = np.logaddexp(p_blank, p_label)
    return paths, scores.astype(inputs.dtype if inputs.dtype.kind == "f" else np.float32)


# Normalization and statistics.


def moments(x, axes, keepdims=False, synchronized=False):
    x, dtype = _float_input(x, wide=True)
    axes = _axis(axes)
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = np.squeeze(mean, axis=axes)
    return np.asarray(mean).astype(dtype), np.asarray(variance).astype(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x, dtype = _float_input(x, wide=True)
    shape = [1] * x.ndim
    shape[axis] = -1

    def stat(value):
        return to_array(value).astype(np.float64).reshape(shape)

    outputs = (x - stat(mean)) / np.sqrt(stat(variance) + epsilon)
    if scale is not None:
        outputs = outputs * stat(scale)
    if offset is not None:
        outputs = outputs + stat(offset)
    return outputs.astype(dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize needs an integer order >= 1, got order={order!r}.")
    x, dtype = _float_input(x, wide=True)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return (x / np.maximum(norm, epsilon)).astype(dtype)


def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    x, dtype = _float_input(x, wide=True)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    rms = np.sqrt(np.mean(np.square(x), axis=_axis(axis), keepdims=True) + epsilon)
    return (x / rms * to_array(scale).astype(np.float64)).astype(dtype)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    if rms_scaling:
        return rms_normalization(x, 1 if gamma is None else gamma, axis, epsilon)
    x, dtype = _float_input(x, wide=True)
    axis = _axis(axis)
    epsilon = config.epsilon() if epsilon is None else epsilon
    mean = np.mean(x, axis=axis, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axis, keepdims=True)
    outputs = (x - mean) / np.sqrt(variance + epsilon)
    if gamma is not None:
        outputs = outputs * to_array(gamma).astype(np.float64)
    if beta is not None:
        outputs = outputs + to_array(beta).astype(np.float64)
    return outputs.astype(dtype)


def psnr(x1, x2, max_val):
    x1, x2, dtype = _loss_inputs(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr needs inputs of one shape, got {x1.shape} and {x2.shape}.")
    max_val = to_array(max_val).astype(dtype).astype(np.float64)
    with np.errstate(divide="ignore"):
        mse = np.mean(np.square(x1 - x2))
        return np.asarray(20.0 * np.log10(max_val) - 10.0 * np.log10(mse)).astype(dtype)


def polar(abs_, angle):
    abs_, angle, dtype = _loss_inputs(abs_, angle)
    complex_dtype = np.complex128 if dtype == np.float64 else np.complex64
    return (abs_ * np.cos(angle) + 1j * (abs_ * np.sin(angle))).astype(complex_dtype)


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
    if flash_attention:
        raise ValueError("The numpy backend has no flash attention; pass flash_attention=None.")
    query, key, value = to_array(query), to_array(key), to_array(value)
    if query.ndim not in (3, 4) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(
            "query, key and value must all have rank 4 (batch, seq, heads, head_dim) or 3, got "
            f"shapes {query.shape}, {key.shape}, {value.shape}."
        )
    unbatched = query.ndim == 3
    if unbatched:
        query, key, value = query[None], key[None], value[None]
    dtype = np_dtype(result_type(query.dtype, key.dtype, value.dtype))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(
            f"The number of query heads ({heads}) must be a multiple of the key heads ({kv_heads})."
        )
    key = np.repeat(key.astype(np.float64), heads // kv_heads, axis=2)
    value = np.repeat(value.astype(np.float64), heads // kv_heads, axis=2)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    logits = np.einsum("btnh,bsnh->bnts", query.astype(np.float64), key) * scale
    if bias is not None:
        logits = logits + to_array(bias).astype(np.float64)
    if attn_logits_soft_cap is not None:
        logits = np.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    keep = np.ones(logits.shape, dtype=bool)
    if mask is not None:
        keep = keep & to_array(mask).astype(bool)
    if is_causal:
        keep = keep & np.tril(np.ones(logits.shape[-2:], dtype=bool))
    large_negative = -0.7 * float(np.finfo(np.float32).max)
    logits = np.where(keep, logits, large_negative)
    weights = np.exp(logits - np.max(logits, axis=-1, keepdims=True))
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    encoded = np.einsum("bnts,bsnh->btnh", weights, value).astype(dtype)
    return encoded[0] if unbatched else encoded


# Rearrangements.


def depth_to_space(x, block_size, data_format="channels_last"):
    x = to_array(x)
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
    x = to_array(x)
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
