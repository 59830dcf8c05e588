"""Data adapters: every kind of input `fit`/`evaluate`/`predict` accept, as epochs of numpy batches.

`get_data_adapter(x, ...)` picks the adapter for `x`. Each adapter's `get_numpy_iterator()` yields
tuples `(x,)`, `(x, y)` or `(x, y, sample_weight)` of nested numpy arrays. TensorFlow, torch and
grain inputs are recognised by their classes' module names: kcore imports none of them.
"""

from __future__ import annotations

import warnings

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from kcore.trainers.data_adapters.data_adapter import DataAdapter
from kcore.trainers.data_adapters.data_adapter_utils import (
    class_weight_to_sample_weights,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from kcore.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from kcore.trainers.data_adapters.grain_dataset_adapter import (
    GrainDatasetAdapter,
    is_grain_dataset,
)
from kcore.trainers.data_adapters.py_dataset_adapter import PyDataset, PyDatasetAdapter
from kcore.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter, is_tf_dataset
from kcore.trainers.data_adapters.torch_data_loader_adapter import (
    TorchDataLoaderAdapter,
    is_torch_dataloader,
)

__all__ = [
    "ArrayDataAdapter",
    "DataAdapter",
    "GeneratorDataAdapter",
    "GrainDatasetAdapter",
    "PyDataset",
    "PyDatasetAdapter",
    "TFDatasetAdapter",
    "TorchDataLoaderAdapter",
    "class_weight_to_sample_weights",
    "get_data_adapter",
    "pack_x_y_sample_weight",
    "train_validation_split",
    "unpack_x_y_sample_weight",
]

ACCEPTED_TYPES = (
    "NumPy arrays, lists of numbers, pandas DataFrames/Series, tensors (or nested dicts, lists "
    "and tuples of them), Python generators and iterators, `kcore.utils.PyDataset`, "
    "`tf.data.Dataset`, `torch.utils.data.DataLoader`, and grain `MapDataset`, `IterDataset` "
    "or `DataLoader`"
)


def get_data_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    steps_per_epoch=None,
    shuffle=False,
    class_weight=None,
):
    """Returns the `DataAdapter` for the data `x` (and `y`, `sample_weight` for arrays).

    Args:
        x: the data: arrays (nested structures of them), a generator or iterator, a
            `PyDataset`, a `tf.data.Dataset`, a torch `DataLoader`, a grain dataset, or a
            `DataAdapter` (returned as is).
        y: targets, for array data only.
        sample_weight: sample weights, for array data only.
        batch_size: samples per batch, for array data (default 32).
        steps_per_epoch: for array data without `batch_size`, sets the batch size so an epoch
            has about that many batches.
        shuffle: `True`, `False` or `"batch"` for arrays; `True` shuffles a `PyDataset`'s batch
            order; ignored (with a warning) for inputs that shuffle themselves.
        class_weight: dict mapping class indices to weights, turned into sample weights.

    Returns:
        A `DataAdapter`.

    Example:

    >>> import numpy as np
    >>> adapter = get_data_adapter(np.zeros((10, 3)), np.ones((10,)), batch_size=4)
    >>> adapter.num_batches, adapter.partial_batch_size
    (3, 2)
    """
    if isinstance(x, DataAdapter):
        return x
    if isinstance(x, PyDataset):
        _check_no_targets("PyDataset", y, sample_weight)
        if shuffle and x.num_batches is None:
            _warn_shuffle_ignored("an infinite PyDataset", "The PyDataset")
        return PyDatasetAdapter(x, class_weight=class_weight, shuffle=shuffle)
    if is_tf_dataset(x):
        _check_no_targets("tf.data.Dataset", y, sample_weight)
        if shuffle:
            _warn_shuffle_ignored(
                "a tf.data.Dataset", "The Dataset", "(via `.shuffle(buffer_size)`)"
            )
        return TFDatasetAdapter(x, class_weight=class_weight)
    if is_torch_dataloader(x):
        _check_no_targets("torch DataLoader", y, sample_weight)
        _check_no_class_weight("torch DataLoader", class_weight)
        if shuffle:
            _warn_shuffle_ignored("a torch DataLoader", "The DataLoader")
        return TorchDataLoaderAdapter(x)
    if is_grain_dataset(x):
        _check_no_targets("grain.Dataset and grain.DataLoader", y, sample_weight)
        _check_no_class_weight("grain.Dataset and grain.DataLoader", class_weight)
        if shuffle:
            _warn_shuffle_ignored("a grain dataset", "The grain dataset")
        return GrainDatasetAdapter(x)
    if utils.is_iterator(x):
        _check_no_targets("Python generator", y, sample_weight)
        _check_no_class_weight("Python generator", class_weight)
        if shuffle:
            _warn_shuffle_ignored("a generator", "The generator", "(it should yield shuffled data)")
        return GeneratorDataAdapter(x)
    if all(utils.can_convert_to_array(leaf) for leaf in utils.flatten((x, y, sample_weight))):
        return ArrayDataAdapter(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
        )
    bad = next(
        leaf
        for leaf in utils.flatten((x, y, sample_weight))
        if not utils.can_convert_to_array(leaf)
    )
    where = "" if bad is x else f" (an element of type {utils.type_name(bad)} in the data)"
    raise ValueError(
        f"Unrecognized data type: x of type {utils.type_name(x)}{where}. Expected one of: "
        f"{ACCEPTED_TYPES}."
    )


def _check_no_targets(input_type, y, sample_weight):
    for name, description, value in (
        ("y", "the targets", y),
        ("sample_weight", "the sample weights", sample_weight),
    ):
        if value is not None:
            raise ValueError(
                f"When providing `x` as a {input_type}, `{name}` should not be passed. Instead, "
                f"{description} should be included as part of the {input_type}."
            )


def _check_no_class_weight(input_type, class_weight):
    if class_weight is not None:
        raise ValueError(
            f"Argument `class_weight` is not supported for {input_type} inputs. Return sample "
            "weights from the data as `(x, y, sample_weight)` instead. Received: "
            f"class_weight={class_weight!r}."
        )


def _warn_shuffle_ignored(what, subject, how=""):
    warnings.warn(
        f"`shuffle=True` was passed, but will be ignored since the data `x` was provided as "
        f"{what}. {subject} is expected to already be shuffled{' ' + how if how else ''}.",
        stacklevel=3,
    )
