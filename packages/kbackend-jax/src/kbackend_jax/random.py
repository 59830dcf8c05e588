"""Contract group ``random`` on JAX: the (2,) uint32 seed tensor is the data of a threefry key."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kbackend_jax._compute import to_jax
from kbackend_jax._utils import jnp_dtype
from kcore import config
from kcore.backend.contract import exported


def key(seed):
    """The `jax.random` key of a seed tensor (fresh entropy for None)."""
    if seed is None:
        seed = np.random.default_rng().integers(0, 2**32, size=2, dtype=np.uint32)
    data = to_jax(seed).astype(jnp.uint32).reshape(2)
    return jax.random.wrap_key_data(data, impl="threefry2x32")


def _dtype(dtype):
    return jnp_dtype(dtype or config.floatx())


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _sampling_dtype(dtype):
    """Half floats are drawn in float32 and rounded (jax.random samples them coarsely)."""
    return jnp.float32 if dtype in (jnp.float16, jnp.bfloat16) else dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.normal(key(seed), _shape(shape), _sampling_dtype(dtype))
    return (samples * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.uniform(
        key(seed), _shape(shape), _sampling_dtype(dtype), minval, maxval
    ).astype(dtype)
    # Rounding to a narrow dtype can reach `maxval`; keep the interval half-open.
    top = jnp.asarray(maxval, dtype)
    return jnp.where(samples >= top, jnp.nextafter(top, jnp.asarray(-jnp.inf, dtype)), samples)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.truncated_normal(
        key(seed), -2.0, 2.0, _shape(shape), _sampling_dtype(dtype)
    )
    return (samples * stddev + mean).astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = to_jax(logits)
    if logits.ndim != 2:
        raise ValueError(
            f"logits must have shape (batch_size, num_classes), got shape {logits.shape}."
        )
    samples = jax.random.categorical(
        key(seed), logits.astype(jnp.float32), axis=-1, shape=(int(num_samples), logits.shape[0])
    )
    return samples.T.astype(jnp_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = jnp_dtype(dtype)
    return jax.random.randint(key(seed), _shape(shape), minval, maxval, dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = to_jax(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(
            inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)
        )
    keep = jax.random.bernoulli(key(seed), 1.0 - rate, noise_shape)
    scaled = inputs / jnp.asarray(1.0 - rate, inputs.dtype)
    return jnp.where(keep, scaled, jnp.zeros((), inputs.dtype))


def shuffle(x, axis=0, seed=None):
    x = to_jax(x)
    return jax.random.permutation(key(seed), x, axis=axis, independent=False)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.gamma(key(seed), alpha, _shape(shape), _sampling_dtype(dtype))
    return samples.astype(dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.binomial(
        key(seed),
        to_jax(counts).astype(jnp.float32),
        to_jax(probabilities).astype(jnp.float32),
        _shape(shape),
        jnp.float32,
    )
    return samples.astype(dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = jax.random.beta(key(seed), alpha, beta, _shape(shape), _sampling_dtype(dtype))
    return samples.astype(dtype)


__all__ = exported(globals())
