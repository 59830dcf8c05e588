"""`EpochIterator`: the training loop's view of its data, epoch by epoch, in groups of batches.

Who does what:

- a `DataAdapter` (`kcore.trainers.data_adapters`) knows the data: `x`, `y`, `sample_weight`,
  `class_weight`, `shuffle`, `batch_size`, and yields numpy batches;
- the `EpochIterator` knows the steps: it stops an epoch at `steps_per_epoch` (or when the data
  runs out) and groups batches by `steps_per_execution`, the unit one compiled step consumes;
- the trainer owns epochs, callbacks, validation and the backend's compiled step.

`enumerate_epoch()` yields `(begin_step, end_step, batches)`: `begin_step` and `end_step` are the
0-based indices, within the epoch, of the first and the last batch of the group (both inclusive),
and `batches` the list of their `end_step - begin_step + 1` batch tuples. The trainer calls the
batch-begin hooks with `begin_step` and the batch-end hooks with `end_step`.
"""

from __future__ import annotations

import warnings

from kcore.trainers.data_adapters import get_data_adapter

_RAN_OUT_MESSAGE = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches. You may need to use "
    "the `.repeat()` function when building your dataset."
)


def _check_positive_int(name, value, allow_none):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        expected = "a positive int or None" if allow_none else "a positive int"
        raise ValueError(f"`{name}` must be {expected}. Received: {name}={value!r}.")


class EpochIterator:
    """Iterates over the data of `fit`/`evaluate`/`predict`, one epoch at a time.

    Args:
        x, y, sample_weight, batch_size, shuffle, class_weight: the data and how to batch it,
            as for `get_data_adapter`.
        steps_per_epoch: the number of batches in an epoch. `None`: an epoch is one pass over
            the data (never ending for an infinite generator, as in Keras). With a value, an
            iterator that is not exhausted carries on in the next epoch where it stopped, and
            running out of data before `steps_per_epoch` batches ends the epoch early with a
            warning (given once).
        steps_per_execution: the most batches in one group (the last group of an epoch may be
            shorter).

    Example:

    >>> import numpy as np
    >>> iterator = EpochIterator(np.zeros((10, 2)), batch_size=2, steps_per_execution=2)
    >>> [(begin, end, len(batches)) for begin, end, batches in iterator.enumerate_epoch()]
    [(0, 1, 2), (2, 3, 2), (4, 4, 1)]
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        steps_per_execution=1,
    ):
        _check_positive_int("steps_per_epoch", steps_per_epoch, allow_none=True)
        _check_positive_int("steps_per_execution", steps_per_execution, allow_none=False)
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = steps_per_execution
        self.data_adapter = get_data_adapter(
            x=x,
            y=y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
        )
        self._num_batches = self.data_adapter.num_batches
        self._current_iterator = None
        self._steps_seen = 0  # batches drawn from the current iterator
        self._warned_ran_out = False

    @property
    def num_batches(self) -> int | None:
        """Batches in an epoch: `steps_per_epoch`, else the data's, else `None` (unknown).

        For data of unknown length, it is known after the first complete pass.
        """
        if self.steps_per_epoch:
            return self.steps_per_epoch
        return self._num_batches

    def reset(self) -> None:
        """Drops the current iterator: the next epoch starts from a fresh pass over the data."""
        self._close_iterator()

    def _close_iterator(self):
        iterator, self._current_iterator = self._current_iterator, None
        close = getattr(iterator, "close", None)
        if close is not None:
            close()

    def enumerate_epoch(self, epoch: int | None = None):
        """Yields the groups of batches of one epoch.

        Calls the adapter's `on_epoch_begin()` first and its `on_epoch_end()` once the epoch is
        over (or the generator is closed early).

        Args:
            epoch: optionally, the number of the epoch about to run (e.g. when a run resumes
                at `initial_epoch`): a shuffling adapter then draws that epoch's order.

        Yields:
            `(begin_step, end_step, batches)`, see the module docstring.
        """
        if epoch is not None:
            self.data_adapter.set_epoch(epoch)
        self.data_adapter.on_epoch_begin()
        try:
            yield from self._enumerate()
        finally:
            self.data_adapter.on_epoch_end()

    def _enumerate(self):
        limit = self.steps_per_epoch
        fresh = self._current_iterator is None or limit is None
        if fresh:
            self._close_iterator()
            self._current_iterator = iter(self.data_adapter.get_numpy_iterator())
            self._steps_seen = 0
        step = 0
        while limit is None or step < limit:
            group_size = self.steps_per_execution
            if limit is not None:
                group_size = min(group_size, limit - step)
            batches = self._next_batches(group_size)
            if batches:
                yield step, step + len(batches) - 1, batches
                step += len(batches)
            if len(batches) < group_size:  # the data ran out
                self._close_iterator()
                if fresh and self._num_batches is None and limit is None:
                    # Running out is how the length of an unknown-length input is discovered.
                    self._num_batches = step
                if limit is not None:
                    self._warn_ran_out()
                return
        if self._num_batches is not None and self._steps_seen >= self._num_batches:
            # Data of known length is used up: the next epoch starts a new pass.
            self._close_iterator()

    def _next_batches(self, count):
        """Up to `count` batches from the current iterator (fewer when it runs out)."""
        batches = []
        while len(batches) < count:
            if self._num_batches is not None and self._steps_seen >= self._num_batches:
                break
            try:
                batches.append(next(self._current_iterator))
            except StopIteration:
                break
            self._steps_seen += 1
        return batches

    def _warn_ran_out(self):
        if not self._warned_ran_out:
            self._warned_ran_out = True
            warnings.warn(_RAN_OUT_MESSAGE, stacklevel=4)
