"""`TorchDataLoaderAdapter`: numpy batches from a `torch.utils.data.DataLoader` (torch is imported
by the loader's owner, never by kcore)."""

from __future__ import annotations

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SOURCE = "A torch DataLoader passed as data"


def is_torch_dataloader(x) -> bool:
    """Whether `x` is a `torch.utils.data.DataLoader`, judged by its class's module."""
    return any(
        parent.__name__ == "DataLoader" and parent.__module__.startswith("torch.utils.data")
        for parent in type(x).__mro__
    )


class TorchDataLoaderAdapter(DataAdapter):
    """Iterates a torch `DataLoader` each epoch, converting its tensors to numpy (on the CPU).

    Its batches are `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` (a list is read as a tuple).
    Shuffling is the loader's own (`DataLoader(..., shuffle=True)`).

    Args:
        dataloader: the `torch.utils.data.DataLoader`.
    """

    def __init__(self, dataloader):
        if not is_torch_dataloader(dataloader):
            raise ValueError(
                "Expected argument `dataloader` to be an instance of "
                f"`torch.utils.data.DataLoader`. Received: {utils.type_name(dataloader)}."
            )
        self._dataloader = dataloader
        self._batch_size = dataloader.batch_size
        self._num_batches = None
        self._partial_batch_size = None
        if hasattr(dataloader.dataset, "__len__"):
            self._num_batches = len(dataloader)
            if self._batch_size is not None and not dataloader.drop_last:
                self._partial_batch_size = len(dataloader.dataset) % self._batch_size or None

    def get_numpy_iterator(self):
        for batch in self._dataloader:
            yield utils.standardize_batch(batch, source=_SOURCE)

    @property
    def num_batches(self):
        return self._num_batches

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def has_partial_batch(self):
        if self._num_batches is None or self._batch_size is None:
            return None
        return self._partial_batch_size is not None

    @property
    def partial_batch_size(self):
        return self._partial_batch_size
