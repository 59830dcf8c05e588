"""`PyDataset` (a dataset written in Python, batch by batch) and its adapter.

The adapter reads batches in order. With `workers > 1` it prefetches them in a thread pool, with
`use_multiprocessing=True` in a process pool (started with "spawn", so it is safe next to a
multithreaded framework); at most `max_queue_size` batches are in flight. The pool lives as long
as the epoch's iterator: it is shut down when the epoch ends, when the iterator is closed, or when
a batch fails. An error in a worker is raised in the main thread; for a worker process, the
worker's traceback is attached as the exception's cause.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import multiprocessing
import pickle
import warnings

import numpy as np

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SOURCE = "PyDataset.__getitem__()"


class PyDataset:
    """Base class for a dataset written in Python: one batch per index.

    Implement `__getitem__(index)` (returning a whole batch: `x`, `(x,)`, `(x, y)` or
    `(x, y, sample_weight)`) and `__len__()` (the number of batches); for an infinite dataset,
    override the `num_batches` property to return `None` instead. Override `on_epoch_begin` /
    `on_epoch_end` to change the dataset between epochs (e.g. reshuffle its files).

    `workers`, `use_multiprocessing` and `max_queue_size` set how `fit()` reads the dataset in
    parallel; they do nothing when you index the dataset yourself. With `use_multiprocessing=True`
    the dataset is pickled into each worker process at the start of each epoch, so it must be
    picklable, and its class importable (defined in a module, or in a script guarded by
    `if __name__ == "__main__":`).

    Args:
        workers: the number of threads (or processes) reading batches in parallel. 1 reads in
            the main thread.
        use_multiprocessing: read in worker processes instead of threads (for CPU-bound Python
            code).
        max_queue_size: the most batches read ahead of the training loop. Defaults to 10.

    Example:

    >>> import math
    >>> import numpy as np
    >>> class Squares(PyDataset):
    ...     def __init__(self, n, batch_size, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.n, self.batch_size = n, batch_size
    ...     def __len__(self):
    ...         return math.ceil(self.n / self.batch_size)
    ...     def __getitem__(self, index):
    ...         x = np.arange(index * self.batch_size, min(self.n, (index + 1) * self.batch_size))
    ...         return x, x**2
    >>> dataset = Squares(5, batch_size=2)
    >>> len(dataset), dataset[2][1].tolist()
    (3, [16])
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self):
        missing = False
        for name, default in (
            ("_workers", 1),
            ("_use_multiprocessing", False),
            ("_max_queue_size", 10),
        ):
            if not hasattr(self, name):
                setattr(self, name, default)
                missing = True
        if missing:
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its "
                "constructor. `**kwargs` can include `workers`, `use_multiprocessing`, "
                "`max_queue_size`. Do not pass these arguments to `fit()`, as they will be "
                "ignored.",
                stacklevel=3,
            )

    @property
    def workers(self):
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """Returns the batch at position `index`."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__getitem__(self, index)`, returning the "
            "batch at that position."
        )

    @property
    def num_batches(self):
        """The number of batches, or `None` for an infinite dataset (defaults to `len(self)`)."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__` (the number of batches), or the "
            "`num_batches` property (return `None` for an infinite dataset)."
        )

    def on_epoch_begin(self):
        """Called at the beginning of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""


class PyDatasetAdapter(DataAdapter):
    """Reads a `PyDataset` batch by batch, in order (or in a reproducible shuffled order).

    Args:
        x: the `PyDataset`.
        class_weight: dict mapping class indices to weights, turned into sample weights for
            batches `(x, y)`.
        shuffle: read the batches of a finite dataset in a new random order each epoch. As for
            arrays, the order of epoch `e` is `np.random.default_rng((seed, e))`'s, `seed`
            drawn from numpy's global generator when the adapter is made.
    """

    def __init__(self, x, class_weight=None, shuffle=False):
        self.py_dataset = x
        self.class_weight = class_weight
        self.shuffle = bool(shuffle)
        self._seed = int(np.random.randint(2**31 - 1)) if self.shuffle else None
        self._next_index = 0  # where an infinite dataset resumes
        workers = x.workers
        use_multiprocessing = x.use_multiprocessing
        if not isinstance(workers, int) or workers < 0:
            raise ValueError(
                f"`PyDataset(workers=...)` must be an int >= 0. Received: workers={workers!r}."
            )
        max_queue_size = x.max_queue_size
        if not isinstance(max_queue_size, int) or max_queue_size < 1:
            raise ValueError(
                "`PyDataset(max_queue_size=...)` must be an int >= 1. Received: "
                f"max_queue_size={max_queue_size!r}."
            )
        self._parallel = workers > 1 or (workers > 0 and bool(use_multiprocessing))

    def _indices(self):
        num_batches = self.py_dataset.num_batches
        if num_batches is None:
            return itertools.count(self._next_index)
        if self.shuffle:
            rng = np.random.default_rng((self._seed, self._epoch))
            return iter(rng.permutation(num_batches).tolist())
        return iter(range(num_batches))

    def get_numpy_iterator(self):
        indices = self._indices()
        if self._parallel:
            batches = _prefetch_in_order(
                self.py_dataset,
                indices,
                workers=self.py_dataset.workers,
                use_multiprocessing=self.py_dataset.use_multiprocessing,
                max_queue_size=self.py_dataset.max_queue_size,
            )
        else:
            batches = (self.py_dataset[index] for index in indices)
        return self._standardized(batches)

    def _standardized(self, batches):
        infinite = self.py_dataset.num_batches is None
        try:
            for batch in batches:
                if infinite:
                    self._next_index += 1
                yield utils.standardize_batch(batch, self.class_weight, source=_SOURCE)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    def on_epoch_begin(self):
        self.py_dataset.on_epoch_begin()

    def on_epoch_end(self):
        super().on_epoch_end()
        self.py_dataset.on_epoch_end()

    @property
    def num_batches(self):
        return self.py_dataset.num_batches


# Parallel reading --------------------------------------------------------------------------------

_worker_dataset = None  # the dataset a worker process reads from


def _set_worker_dataset(dataset):
    global _worker_dataset
    _worker_dataset = dataset


def _get_worker_item(index):
    return _worker_dataset[index]


def _check_picklable(dataset):
    try:
        pickle.dumps(dataset)
    except Exception as error:
        raise ValueError(
            f"`use_multiprocessing=True` sends the PyDataset {type(dataset).__name__} to worker "
            f"processes, but it cannot be pickled ({type(error).__name__}: {error}). Define its "
            "class at the top level of a module and keep only picklable attributes (no open "
            "files, locks or lambdas), or use threads (`use_multiprocessing=False`)."
        ) from error


def _prefetch_in_order(dataset, indices, workers, use_multiprocessing, max_queue_size):
    """Yields `dataset[i]` for each `i` of `indices`, in order, read ahead by a pool of workers.

    The pool is made on the first `next()` and shut down (pending reads cancelled, workers
    joined) when the indices run out, a read fails, or the generator is closed.
    """
    if use_multiprocessing:
        _check_picklable(dataset)
        executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_set_worker_dataset,
            initargs=(dataset,),
        )
        read = _get_worker_item
    else:
        executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="kcore_pydataset"
        )
        read = dataset.__getitem__
    pending = collections.deque()
    try:
        for index in itertools.islice(indices, max_queue_size):
            pending.append(executor.submit(read, index))
        while pending:
            batch = pending.popleft().result()
            for index in itertools.islice(indices, 1):
                pending.append(executor.submit(read, index))
            yield batch
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
