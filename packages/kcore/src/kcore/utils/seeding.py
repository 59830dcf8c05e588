"""Seeding every source of randomness a kcore program uses."""

from __future__ import annotations


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, numpy's global generator and kcore's global `SeedGenerator`.

    After it, code that draws with `seed=None` gives the same numbers on every run.

    Example:

    >>> import kcore
    >>> kcore.utils.set_random_seed(1337)
    """
    import random

    import numpy as np

    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(
            f"set_random_seed needs an int seed, got {seed!r} ({type(seed).__name__})."
        )
    random.seed(seed)
    np.random.seed(seed % 2**32)
    from kcore.random import set_global_seed

    set_global_seed(seed)
