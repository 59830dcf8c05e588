"""Contract group ``random`` on TensorFlow: stateless random ops (`tf.random.stateless_*`) keyed by
the (2,) uint32 seed tensor, so the same seed gives the same numbers, eagerly and in `tf.function`.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import HALF, shape_of, to_tf
from kbackend_tf._utils import tf_dtype
from kcore import config
from kcore.backend.contract import exported


def stateless_seed(seed):
    """The [2] int64 seed of TF's stateless ops for a seed tensor (fresh entropy for None)."""
    if seed is None:
        seed = np.random.default_rng().integers(0, 2**32, size=2, dtype=np.uint32)
    return tf.reshape(tf.cast(to_tf(seed), tf.int64), [2])


def _split(seed, count):
    """`count` independent stateless seeds derived from `seed`."""
    return tf.unstack(tf.random.experimental.stateless_split(stateless_seed(seed), count))


def _dtype(dtype):
    return tf_dtype(dtype or config.floatx())


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return [int(shape)]
    if tf.is_tensor(shape):
        return shape
    return [d if tf.is_tensor(d) else int(d) for d in shape]


def _sampling_dtype(dtype):
    """Half floats are drawn in float32 and rounded."""
    return tf.float32 if dtype in HALF else dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = _sampling_dtype(dtype)
    samples = tf.random.stateless_normal(_shape(shape), stateless_seed(seed), dtype=compute)
    return tf.cast(samples * tf.cast(stddev, compute) + tf.cast(mean, compute), dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = _sampling_dtype(dtype)
    samples = tf.random.stateless_uniform(
        _shape(shape), stateless_seed(seed), minval, maxval, dtype=compute
    )
    samples = tf.cast(samples, dtype)
    if dtype == compute:
        return samples
    # Rounding to a narrow dtype can reach `maxval`; keep the interval half-open.
    top = tf.cast(maxval, dtype)
    return tf.where(samples >= top, _next_below(top), samples)


def _next_below(x):
    """The largest half float below `x` (a float16 or bfloat16 scalar), by its bits."""
    bits = tf.bitcast(x, tf.int16)
    step = tf.where(x > 0, bits - 1, bits + 1)
    # Below zero comes the smallest negative subnormal, bits 0x8001.
    step = tf.where(tf.equal(x, 0), tf.constant(-0x7FFF, tf.int16), step)
    return tf.bitcast(step, x.dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = _sampling_dtype(dtype)
    samples = tf.random.stateless_truncated_normal(
        _shape(shape), stateless_seed(seed), dtype=compute
    )
    return tf.cast(samples * tf.cast(stddev, compute) + tf.cast(mean, compute), dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = to_tf(logits)
    if logits.shape.rank != 2:
        raise ValueError(
            f"logits must have shape (batch_size, num_classes), got shape {logits.shape}."
        )
    samples = tf.random.stateless_categorical(
        tf.cast(logits, tf.float32), int(num_samples), stateless_seed(seed), dtype=tf.int64
    )
    return tf.cast(samples, tf_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = tf_dtype(dtype)
    compute = dtype if dtype in (tf.int32, tf.int64) else tf.int64
    samples = tf.random.stateless_uniform(
        _shape(shape),
        stateless_seed(seed),
        tf.cast(minval, compute),
        tf.cast(maxval, compute),
        dtype=compute,
    )
    return tf.cast(samples, dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = to_tf(inputs)
    shape = shape_of(inputs)
    if noise_shape is not None:
        shape = [shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)]
    draws = tf.random.stateless_uniform(shape, stateless_seed(seed), dtype=tf.float32)
    keep = draws >= rate
    scaled = inputs / tf.cast(1.0 - rate, inputs.dtype)
    return tf.where(keep, scaled, tf.zeros((), inputs.dtype))


def shuffle(x, axis=0, seed=None):
    x = to_tf(x)
    size = shape_of(x)[axis]
    # A uniformly random permutation: the order of uniform random keys.
    keys = tf.random.stateless_uniform([size], stateless_seed(seed), dtype=tf.float32)
    return tf.gather(x, tf.argsort(keys), axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = _sampling_dtype(dtype)
    samples = tf.random.stateless_gamma(
        _shape(shape), stateless_seed(seed), tf.cast(alpha, compute), dtype=compute
    )
    return tf.cast(samples, dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = tf.random.stateless_binomial(
        _shape(shape),
        stateless_seed(seed),
        tf.cast(to_tf(counts), tf.float32),
        tf.cast(to_tf(probabilities), tf.float32),
        output_dtype=tf.float32,
    )
    return tf.cast(samples, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = _sampling_dtype(dtype)
    first, second = _split(seed, 2)
    shape = _shape(shape)
    x = tf.random.stateless_gamma(shape, first, tf.cast(alpha, compute), dtype=compute)
    y = tf.random.stateless_gamma(shape, second, tf.cast(beta, compute), dtype=compute)
    return tf.cast(x / (x + y), dtype)


__all__ = exported(globals())
