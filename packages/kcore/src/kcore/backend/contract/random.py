"""Contract group ``random``: random tensors from an explicit seed.

The `seed` a backend receives is always a seed tensor of shape (2,) and dtype uint32 (`kcore.random`
turns user seeds and `SeedGenerator`s into one): the same seed gives the same numbers, on each
backend. `dtype=None` means floatx.
"""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("random")


@group.required(symbolic=False)
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples of shape `shape` from the normal distribution N(mean, stddev**2)."""


@group.required(symbolic=False)
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples of shape `shape` from the uniform distribution on [minval, maxval)."""


@group.required(symbolic=False)
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn until they lie within two `stddev`s of `mean`."""


@group.required(symbolic=False)
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices of shape `(batch, num_samples)` drawn from the unnormalized log-probabilities
    `logits` of shape `(batch, num_classes)`."""


@group.required(symbolic=False)
def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers of shape `shape` drawn uniformly from [minval, maxval)."""


@group.required(symbolic=False)
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes each entry of `inputs` with probability `rate` and scales the others by
    `1 / (1 - rate)`; `noise_shape` (broadcastable to the input's shape, None dims taken from it)
    shares one draw along its size-1 dims. Keeps the dtype of `inputs`."""


@group.required(symbolic=False)
def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order."""


@group.required(symbolic=False)
def gamma(shape, alpha, dtype=None, seed=None):
    """Samples of shape `shape` from the Gamma distribution with concentration `alpha`, scale 1."""


@group.required(symbolic=False)
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples of shape `shape` from Binomial(`counts`, `probabilities`) (both broadcast to
    `shape`); the counts come as `dtype` (floatx by default)."""


@group.required(symbolic=False)
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples of shape `shape` from the Beta distribution with concentrations `alpha`, `beta`."""
