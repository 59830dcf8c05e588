"""`DataAdapter`: the one interface the training loop reads data through.

Every input type `fit`/`evaluate`/`predict` accept (arrays, generators, `PyDataset`, `tf.data`,
torch `DataLoader`, grain datasets) has an adapter that turns it into epochs of numpy batches.
Each batch is a tuple `(x,)`, `(x, y)` or `(x, y, sample_weight)` of nested numpy arrays; the
active backend converts them to its own tensors.
"""

from __future__ import annotations


class DataAdapter:
    """Base class of the input adapters: one epoch of numpy batches at a time.

    Subclasses implement `get_numpy_iterator` and `num_batches`; the other members have
    defaults that fit adapters which know nothing about their batch sizes.

    The adapter counts epochs (`on_epoch_end` advances the count), so an adapter that shuffles
    can draw a new, reproducible order for each epoch; `set_epoch` moves the count, e.g. when a
    run resumes at `initial_epoch`.
    """

    _epoch = 0

    def get_numpy_iterator(self):
        """A fresh iterator over one epoch of batches.

        Returns:
            An iterator of tuples `(x,)`, `(x, y)` or `(x, y, sample_weight)` whose leaves are
            numpy arrays (`None` where a part is absent).
        """
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        """The number of batches in an epoch, or `None` when it is unknown (or infinite)."""
        raise NotImplementedError

    @property
    def batch_size(self) -> int | None:
        """The size of a full batch, or `None` when it is unknown."""
        return None

    @property
    def has_partial_batch(self) -> bool | None:
        """Whether the last batch of an epoch is smaller than the others (`None`: unknown)."""
        return None

    @property
    def partial_batch_size(self) -> int | None:
        """The size of the last, smaller batch; `None` when there is none or it is unknown."""
        return None

    @property
    def epoch(self) -> int:
        """The epoch the adapter is in (0 first), as counted by `on_epoch_end`."""
        return self._epoch

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch count, so that the next epoch draws the order of epoch `epoch`."""
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
            raise ValueError(f"`epoch` must be an int >= 0. Received: epoch={epoch!r}.")
        self._epoch = epoch

    def on_epoch_begin(self) -> None:
        """Called by the training loop before each epoch."""

    def on_epoch_end(self) -> None:
        """Called by the training loop after each epoch: advances the epoch count."""
        self._epoch += 1
