"""`SeedGenerator` and how user seeds become the seed tensors random backend functions take.

Example:

>>> import kcore
>>> generator = kcore.random.SeedGenerator(seed=42)
>>> kcore.ops.convert_to_numpy(generator.next()).tolist()
[42, 0]
>>> kcore.ops.convert_to_numpy(generator.next()).tolist()
[42, 1]
"""

from __future__ import annotations

import itertools
import numbers
import random as python_random

import numpy as np

_UINT32 = 2**32
_names = itertools.count(1)
_global = {"generator": None}


def make_default_seed() -> int:
    """A fresh random seed, for generators created with `seed=None`."""
    return python_random.randint(1, int(1e9))


def _seed_tensor(values):
    from kcore.backend import bound

    return bound.convert_to_tensor(np.asarray(values, dtype=np.uint64).astype(np.uint32))


def _uint32(values):
    from kcore.backend import bound

    return bound.convert_to_tensor(np.asarray(values, dtype=np.uint32))


def _is_int(seed) -> bool:
    return isinstance(seed, numbers.Integral) and not isinstance(seed, bool)


class SeedGenerator:
    """A random seed that changes on each use, for random ops that must differ call after call.

    Random ops are stateless: `kcore.random.normal(shape, seed=42)` gives the same numbers on every
    call. Passing a `SeedGenerator` as `seed` gives new numbers each call, reproducibly when the
    generator itself was created with an int seed.

    Args:
        seed: an int for a reproducible sequence of seeds, or None for a random start.
        name: the generator's name (default: a unique ``"seed_generator_<n>"``).

    Example:

    >>> import kcore
    >>> generator = kcore.random.SeedGenerator(seed=1337)
    >>> a = kcore.random.normal((2,), seed=generator)
    >>> b = kcore.random.normal((2,), seed=generator)
    >>> bool((kcore.ops.convert_to_numpy(a) != kcore.ops.convert_to_numpy(b)).all())
    True
    """

    def __init__(self, seed=None, name=None):
        self.name = name if name is not None else f"seed_generator_{next(_names)}"
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if not _is_int(seed):
            raise ValueError(
                f"SeedGenerator: `seed` must be an int or None, got seed={seed!r} "
                f"(of type {type(seed).__name__})."
            )
        from kcore.backend.scopes import name_scope
        from kcore.backend.variables import Variable

        with name_scope(self.name, caller=self):
            self.state = Variable(
                np.array([int(seed) % _UINT32, 0], dtype=np.uint32),
                dtype="uint32",
                trainable=False,
                name="seed_generator_state",
            )

    def _state_values(self) -> np.ndarray:
        return self.state.numpy().astype(np.uint64)

    def next(self, ordered=True):
        """Returns the current seed tensor ((2,) uint32) and advances the state.

        `ordered=True` counts up the second number; `ordered=False` scrambles both (what the
        global generator does). Written with backend ops, so it works inside a jit-compiled step
        (through the stateless scope).
        """
        from kcore.backend import bound

        # A copy: on backends with mutable variables the state changes in place below.
        seed = bound.copy(self.state.value)
        if ordered:
            following = bound.add(seed, _uint32([0, 1]))
        else:
            following = bound.mod(
                bound.multiply(bound.add(seed, _uint32([1, 1])), _uint32([5387, 5387])),
                _uint32([933199, 933199]),
            )
        self.state.assign(following)
        return seed

    def get_config(self) -> dict:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name} state={self._state_values().tolist()}>"


def global_seed_generator() -> SeedGenerator:
    """The generator that random ops use when called with `seed=None`."""
    if _global["generator"] is None:
        _global["generator"] = SeedGenerator()
    return _global["generator"]


def set_global_seed(seed) -> None:
    """Restarts the global generator from `seed` (an int, or None for a random start), so that
    unseeded random ops become reproducible. `kcore.utils.set_random_seed` calls it."""
    _global["generator"] = SeedGenerator(seed, name="global_seed_generator")


def draw_seed(seed):
    """The seed tensor ((2,) uint32) for a user `seed`.

    An int gives `[seed, 0]` on every call; a `SeedGenerator` its next seed; None the global
    generator's next seed; a seed tensor of shape (2,) passes through.
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if _is_int(seed):
        return _seed_tensor([int(seed) % _UINT32, 0])
    if seed is None:
        return global_seed_generator().next(ordered=False)
    if tuple(getattr(seed, "shape", ())) == (2,):
        return seed  # already a seed tensor (backend, numpy or symbolic)
    raise ValueError(
        "`seed` must be an int, a kcore.random.SeedGenerator or None, got "
        f"seed={seed!r} (of type {type(seed).__name__})."
    )
