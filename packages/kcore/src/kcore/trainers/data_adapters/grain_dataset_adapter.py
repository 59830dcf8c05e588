"""`GrainDatasetAdapter`: numpy batches from grain's `MapDataset`, `IterDataset` or `DataLoader`
(grain is imported by the dataset's owner, never by kcore)."""

from __future__ import annotations

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SOURCE = "A grain dataset passed as data"


def is_grain_dataset(x) -> bool:
    """Whether `x` is a grain `MapDataset`, `IterDataset` or `DataLoader`, judged by its class's
    module."""
    return any(
        parent.__name__ in ("MapDataset", "IterDataset", "DataLoader")
        and parent.__module__.split(".")[0] == "grain"
        for parent in type(x).__mro__
    )


class GrainDatasetAdapter(DataAdapter):
    """Iterates a batched grain dataset each epoch, converting its elements to numpy.

    The elements are batches: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. As in Keras, the
    number of batches is not read from the dataset (`num_batches` is `None`: an epoch ends when the
    dataset does); the batch size is read from the first batch.

    Args:
        dataset: a grain `MapDataset`, `IterDataset` or `DataLoader`.
    """

    def __init__(self, dataset):
        if not is_grain_dataset(dataset):
            raise ValueError(
                "Expected `dataset` to be a grain.MapDataset, grain.IterDataset or "
                f"grain.DataLoader. Received: {utils.type_name(dataset)}."
            )
        self._dataset = dataset
        self._batch_size = None
        for batch in dataset:
            leaves = [
                leaf for leaf in utils.flatten(utils.standardize_batch(batch)) if leaf is not None
            ]
            if leaves and getattr(leaves[0], "ndim", 0) > 0:
                self._batch_size = int(leaves[0].shape[0])
            break

    def get_numpy_iterator(self):
        for batch in self._dataset:
            yield utils.standardize_batch(batch, source=_SOURCE)

    @property
    def num_batches(self):
        return None

    @property
    def batch_size(self):
        return self._batch_size
