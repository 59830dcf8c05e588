"""`TFDatasetAdapter`: numpy batches from a `tf.data.Dataset` (TensorFlow is imported by the
dataset's owner, never by kcore)."""

from __future__ import annotations

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SOURCE = "A tf.data.Dataset passed as data"


def is_tf_dataset(x) -> bool:
    """Whether `x` is a `tf.data.Dataset` (or a distributed one), judged by its class's module."""
    for parent in type(x).__mro__:
        if parent.__name__ in (
            "DatasetV2",
            "DistributedDataset",
            "DistributedDatasetsFromFunction",
        ) and parent.__module__.startswith("tensorflow.python."):
            return True
    return False


class TFDatasetAdapter(DataAdapter):
    """Iterates a batched `tf.data.Dataset`, converting each batch to numpy.

    The dataset's elements are batches: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. It is
    iterated afresh each epoch; shuffle it with `.shuffle(buffer_size)` and repeat it with
    `.repeat()` yourself.

    Args:
        dataset: the `tf.data.Dataset`.
        class_weight: dict mapping class indices to weights, turned into sample weights.
    """

    def __init__(self, dataset, class_weight=None):
        if not is_tf_dataset(dataset):
            raise ValueError(
                "Expected argument `dataset` to be a tf.data.Dataset. Received: "
                f"{utils.type_name(dataset)}."
            )
        self._dataset = dataset
        self._class_weight = class_weight

    def get_numpy_iterator(self):
        for batch in self._dataset:
            yield utils.standardize_batch(batch, self._class_weight, source=_SOURCE)

    @property
    def num_batches(self):
        cardinality = self._dataset.cardinality
        cardinality = int(cardinality() if callable(cardinality) else cardinality)
        # TensorFlow marks unknown and infinite cardinalities with negative numbers.
        return None if cardinality < 0 else cardinality

    @property
    def batch_size(self):
        import optree

        spec = optree.tree_leaves(
            self._dataset.element_spec, is_leaf=lambda s: hasattr(s, "shape")
        )[0]
        size = spec.shape[0] if spec.shape.rank else None
        return None if size is None else int(size)
