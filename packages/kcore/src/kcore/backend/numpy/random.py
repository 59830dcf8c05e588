"""Contract group ``random`` on numpy: each call seeds its own `numpy.random.Generator`."""

from __future__ import annotations

import numpy as np

from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.numpy._utils import np_dtype, to_array


def _rng(seed):
    """A generator seeded by the two numbers of the seed tensor (fresh entropy for None)."""
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([int(s) for s in np.asarray(seed).reshape(-1)])


def _dtype(dtype):
    return np_dtype(standardize_dtype(dtype))


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    samples = _rng(seed).standard_normal(_shape(shape)) * stddev + mean
    return np.asarray(samples).astype(_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = np.asarray(_rng(seed).uniform(minval, maxval, _shape(shape))).astype(dtype)
    # Rounding to a narrow dtype can reach `maxval`; keep the interval half-open.
    top = np.asarray(maxval, dtype=dtype)
    below_top = np.nextafter(top, np.asarray(-np.inf, dtype=dtype))
    return np.where(samples >= top, below_top, samples).astype(dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    rng = _rng(seed)
    samples = rng.standard_normal(_shape(shape))
    outside = np.abs(samples) > 2.0
    while outside.any():
        samples[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(samples) > 2.0
    return np.asarray(samples * stddev + mean).astype(_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = to_array(logits).astype(np.float64)
    if logits.ndim != 2:
        raise ValueError(
            f"logits must have shape (batch_size, num_classes), got shape {logits.shape}."
        )
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    probabilities = np.exp(shifted)
    cdf = np.cumsum(probabilities, axis=-1)
    cdf /= cdf[:, -1:]
    draws = _rng(seed).random((logits.shape[0], int(num_samples)))
    classes = np.sum(cdf[:, None, :] <= draws[:, :, None], axis=-1)
    return np.minimum(classes, logits.shape[-1] - 1).astype(_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    samples = _rng(seed).integers(int(minval), int(maxval), size=_shape(shape))
    return np.asarray(samples).astype(_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = to_array(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(
            inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)
        )
    keep = _rng(seed).uniform(size=noise_shape) >= rate
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = inputs / np.asarray(1.0 - rate, dtype=inputs.dtype)
    return np.where(keep, scaled, np.zeros((), dtype=inputs.dtype)).astype(inputs.dtype)


def shuffle(x, axis=0, seed=None):
    x = to_array(x)
    order = _rng(seed).permutation(x.shape[axis])
    return np.take(x, order, axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    samples = _rng(seed).standard_gamma(to_array(alpha).astype(np.float64), size=_shape(shape))
    return np.asarray(samples).astype(_dtype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    counts = np.asarray(to_array(counts)).astype(np.int64)
    probabilities = to_array(probabilities).astype(np.float64)
    samples = _rng(seed).binomial(counts, probabilities, size=_shape(shape))
    return np.asarray(samples).astype(_dtype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    alpha = to_array(alpha).astype(np.float64)
    samples = _rng(seed).beta(alpha, to_array(beta).astype(np.float64), size=_shape(shape))
    return np.asarray(samples).astype(_dtype(dtype))


__all__ = exported(globals())
