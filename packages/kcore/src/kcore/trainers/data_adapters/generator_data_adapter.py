"""`GeneratorDataAdapter`: batches from a Python generator or any other iterator."""

from __future__ import annotations

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SOURCE = "A Python generator passed as data"


class GeneratorDataAdapter(DataAdapter):
    """Reads batches from a Python generator (or iterator), converting them to numpy.

    The generator may yield `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. A generator runs
    once: each `get_numpy_iterator()` continues where the previous one stopped, so a finite
    generator feeds a single epoch (pass `steps_per_epoch` with an infinite generator to train
    for several). Its length is unknown (`num_batches` is `None`).

    The first batch is read at creation, to check the generator yields data in a usable form.

    Args:
        generator: the generator or iterator.

    Example:

    >>> import numpy as np
    >>> adapter = GeneratorDataAdapter((np.ones((2, 3)), np.zeros((2,))) for _ in range(2))
    >>> [len(batch) for batch in adapter.get_numpy_iterator()]
    [2, 2]
    """

    def __init__(self, generator):
        self._generator = generator
        try:
            first = next(generator)
        except StopIteration:
            raise ValueError(
                f"{_SOURCE} yielded no data at all. Check that the generator is not already "
                "exhausted (a generator can be iterated only once)."
            ) from None
        self._peeked = [utils.standardize_batch(first, source=_SOURCE)]

    def get_numpy_iterator(self):
        while self._peeked:
            yield self._peeked.pop()
        for batch in self._generator:
            yield utils.standardize_batch(batch, source=_SOURCE)

    @property
    def num_batches(self):
        return None
