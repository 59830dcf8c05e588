"""`kcore.random`: Keras 3's random ops (`keras.random`), on the active backend.

`seed` is an int (the same numbers on every call), a `SeedGenerator` (new numbers on each call,
reproducible from the generator's seed) or None (the global generator, see `set_global_seed`).

Example:

>>> import kcore
>>> x = kcore.random.uniform((2, 3), seed=7)
>>> y = kcore.random.uniform((2, 3), seed=7)
>>> bool((kcore.ops.convert_to_numpy(x) == kcore.ops.convert_to_numpy(y)).all())
True
"""

from __future__ import annotations

from kcore.backend import bound
from kcore.backend.dtypes import is_float_dtype, is_int_dtype
from kcore.random.seed_generator import SeedGenerator, draw_seed, set_global_seed

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "draw_seed",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "set_global_seed",
    "shuffle",
    "truncated_normal",
    "uniform",
]


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws samples from a normal distribution with mean `mean` and standard deviation `stddev`.

    `dtype` is a float dtype (default floatx).
    """
    return bound.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=draw_seed(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws samples from the uniform distribution on `[minval, maxval)` (a float `dtype`)."""
    if dtype is not None and not is_float_dtype(dtype):
        raise ValueError(
            f"kcore.random.uniform needs a float dtype, got dtype={dtype!r}; use "
            "kcore.random.randint for integers."
        )
    return bound.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=draw_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws normal samples, redrawing those more than two `stddev`s away from `mean`."""
    return bound.truncated_normal(
        shape, mean=mean, stddev=stddev, dtype=dtype, seed=draw_seed(seed)
    )


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws `num_samples` class indices per row of `logits` (unnormalized log-probabilities of
    shape `(batch_size, num_classes)`); returns shape `(batch_size, num_samples)`."""
    return bound.categorical(logits, num_samples, dtype=dtype, seed=draw_seed(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)` (an int `dtype`)."""
    if dtype is not None and not is_int_dtype(dtype):
        raise ValueError(
            f"kcore.random.randint needs an int dtype, got dtype={dtype!r}; use "
            "kcore.random.uniform for floats."
        )
    return bound.randint(shape, minval, maxval, dtype=dtype, seed=draw_seed(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries of `inputs` with probability `rate`, scaling the rest by `1 / (1 - rate)`.

    `noise_shape` (broadcastable to `inputs.shape`) draws one keep/drop decision per entry of that
    shape, e.g. `(batch, 1, features)` to drop the same features at every timestep.
    """
    return bound.dropout(inputs, rate, noise_shape=noise_shape, seed=draw_seed(seed))


def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis`."""
    return bound.shuffle(x, axis=axis, seed=draw_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws samples from a Gamma distribution with concentration `alpha` (scale 1)."""
    return bound.gamma(shape, alpha, dtype=dtype, seed=draw_seed(seed))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws the number of successes in `counts` trials of probability `probabilities`.

    The counts come as `dtype` (default floatx).
    """
    return bound.binomial(shape, counts, probabilities, dtype=dtype, seed=draw_seed(seed))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws samples from a Beta distribution with concentrations `alpha` and `beta`."""
    return bound.beta(shape, alpha, beta, dtype=dtype, seed=draw_seed(seed))
