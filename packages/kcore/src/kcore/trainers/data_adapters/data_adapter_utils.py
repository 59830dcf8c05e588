"""Helpers shared by the data adapters: packing batches, array conversion, class weights, splits.

`unpack_x_y_sample_weight` and `pack_x_y_sample_weight` are public (`kcore.utils`): they are what a
custom `train_step` uses to read its batch.
"""

from __future__ import annotations

import math

import numpy as np
import optree

from kcore import config

_NUMBER_TYPES = (bool, int, float, complex, str, bytes, np.generic)


def unpack_x_y_sample_weight(data):
    """Unpacks a batch into `(x, y, sample_weight)`, with `None` for the parts it lacks.

    Args:
        data: `x`, or a tuple (or list) `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Returns:
        The tuple `(x, y, sample_weight)`.

    Example:

    >>> import numpy as np
    >>> x, y, sample_weight = unpack_x_y_sample_weight((np.ones((2, 3)), np.zeros((2,))))
    >>> y.shape, sample_weight
    ((2,), None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements: {_short_repr(data)}"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs `x`, `y` and `sample_weight` into the tuple form `fit()` reads.

    A single `x` that is not a tuple or list is returned as is (there is no ambiguity).

    Args:
        x: the model's inputs.
        y: the targets, or `None`.
        sample_weight: the sample weights, or `None`.

    Returns:
        `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Example:

    >>> import numpy as np
    >>> len(pack_x_y_sample_weight(np.ones((2, 1)), np.ones((2, 1))))
    2
    """
    if y is None:
        if not isinstance(x, (tuple, list)):
            return x
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _short_repr(value, limit=200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def type_name(value) -> str:
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


# Array structures -------------------------------------------------------------------------------


def _is_module_type(value, module_prefix: str, *class_names: str) -> bool:
    """Whether `value`'s class (or a base) is one of `class_names` in a module under the prefix.

    Detecting a framework's types by module name means kcore never imports that framework.
    """
    for parent in type(value).__mro__:
        if parent.__name__ in class_names and parent.__module__.startswith(module_prefix):
            return True
    return False


def is_pandas_data_frame(value) -> bool:
    return _is_module_type(value, "pandas", "DataFrame")


def is_pandas_series(value) -> bool:
    return _is_module_type(value, "pandas", "Series")


def is_number_list(value) -> bool:
    """Whether a list or tuple holds numbers (possibly in nested lists): one array, not a structure
    of arrays."""
    return isinstance(value, (list, tuple)) and all(
        isinstance(item, _NUMBER_TYPES) or is_number_list(item) for item in value
    )


def is_structure_leaf(value) -> bool:
    """A leaf of an input structure: anything but a dict, or a list/tuple of arrays."""
    if isinstance(value, (list, tuple)):
        return is_number_list(value)
    return not isinstance(value, dict)


def map_structure(fn, structure):
    """Applies `fn` to every leaf of a nested dict/list/tuple structure (`None` leaves too)."""
    return optree.tree_map(fn, structure, is_leaf=is_structure_leaf, none_is_leaf=True)


def flatten(structure) -> list:
    """The leaves of a nested dict/list/tuple structure, dicts in sorted key order."""
    return optree.tree_leaves(structure, is_leaf=is_structure_leaf, none_is_leaf=True)


def can_convert_to_array(value) -> bool:
    """Whether one leaf can become a numpy array: arrays, numbers lists, pandas objects, anything
    with `__array__`, and the active backend's tensors."""
    if value is None or isinstance(value, np.ndarray):
        return True
    if isinstance(value, (list, tuple)):
        return is_number_list(value)
    if isinstance(value, (str, bytes, dict)) or is_iterator(value):
        return False
    if is_pandas_data_frame(value) or is_pandas_series(value) or hasattr(value, "__array__"):
        return True
    from kcore import ops

    return bool(ops.is_tensor(value))


def is_iterator(value) -> bool:
    return hasattr(value, "__next__") and hasattr(value, "__iter__")


def convert_to_array(value):
    """Converts one leaf to a numpy array; float64 becomes `kcore.config.floatx()`.

    A pandas Series becomes a column `(samples, 1)`, as in Keras.
    """
    if value is None:
        return None
    if _is_module_type(value, "torch", "Tensor"):
        value = value.detach().cpu()  # a GPU tensor, or one that requires grad, has no __array__
    if isinstance(value, np.ndarray):
        array = value
    elif is_pandas_data_frame(value):
        array = value.to_numpy()
    elif is_pandas_series(value):
        array = np.expand_dims(value.to_numpy(), axis=-1)
    elif isinstance(value, (list, tuple)) or hasattr(value, "__array__"):
        array = np.asarray(value)
    else:
        from kcore import ops

        array = np.asarray(ops.convert_to_numpy(value))
    if array.dtype == np.float64 and config.floatx() != "float64":
        array = array.astype(config.floatx())
    return array


def convert_batch_to_numpy(batch):
    """Converts the leaves of a batch from any framework (tensors, lists) to numpy arrays."""

    def convert(value):
        if value is None or isinstance(value, np.ndarray):
            return value
        return convert_to_array(value) if can_convert_to_array(value) else value

    return map_structure(convert, batch)


def standardize_batch(batch, class_weight=None, source="The data"):
    """Puts a batch from a generator or dataset in tuple form and adds class weights.

    Args:
        batch: what the source produced: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`
            (a list is read as a tuple; a dict or an array is a lone `x`).
        class_weight: optional dict mapping class indices to weights, applied to `y`.
        source: how to name the data's source in errors.

    Returns:
        A tuple `(x,)`, `(x, y)` or `(x, y, sample_weight)` of numpy arrays.
    """
    if isinstance(batch, list) and not is_number_list(batch):
        batch = tuple(batch)
    if not isinstance(batch, tuple) or is_number_list(batch):
        batch = (batch,)
    if not 1 <= len(batch) <= 3:
        raise ValueError(
            f"{source} must yield `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; it yielded a "
            f"tuple of {len(batch)} elements: {_short_repr(batch)}. Return the inputs, "
            "targets and sample weights as a tuple of at most 3 elements (group several inputs "
            "in a list or dict)."
        )
    batch = convert_batch_to_numpy(batch)
    if class_weight is not None and len(batch) > 1:
        if len(batch) == 3 and batch[2] is not None:
            raise ValueError(
                "You cannot `class_weight` and `sample_weight` at the same time: "
                f"{source} yields sample weights and `class_weight` was passed. Fold the class "
                "weights into the sample weights, or drop one of them."
            )
        batch = (batch[0], batch[1], class_weight_to_sample_weights(batch[1], class_weight))
    return batch


# Checks and class weights -------------------------------------------------------------------------


def check_data_cardinality(data) -> int:
    """Checks that every array of `(x, y, sample_weight)` has the same number of samples.

    Returns:
        That number of samples.
    """
    sizes = {}
    for label, part in zip(("x", "y", "sample_weight"), data):
        part_sizes = [int(leaf.shape[0]) for leaf in flatten(part) if leaf is not None]
        if part_sizes:
            sizes[label] = part_sizes
    distinct = {size for part_sizes in sizes.values() for size in part_sizes}
    if len(distinct) > 1:
        described = ", ".join(
            f"'{label}' sizes: {', '.join(map(str, part_sizes))}"
            for label, part_sizes in sizes.items()
        )
        raise ValueError(
            f"Data cardinality is ambiguous: {described}. Make sure all arrays contain the same "
            "number of samples (the first axis of every array is its sample axis): check that x "
            "and y come from the same examples, or slice them to the same length."
        )
    return distinct.pop() if distinct else 0


def class_weight_to_sample_weights(y, class_weight):
    """Turns a `class_weight` dict into one weight per sample of the labels `y`.

    Args:
        y: labels, sparse (`(samples,)` or `(samples, 1)`) or one-hot (`(samples, classes)`).
        class_weight: dict mapping class indices to weights; missing classes weigh 1.

    Returns:
        A float array of shape `(samples,)` in `kcore.config.floatx()`.

    Example:

    >>> import numpy as np
    >>> class_weight_to_sample_weights(np.array([0, 1, 1]), {1: 2.0}).tolist()
    [1.0, 2.0, 2.0]
    """
    if not hasattr(class_weight, "items") or not hasattr(class_weight, "get"):
        raise ValueError(
            "`class_weight` must be a dict-like mapping of class indices to weights. Received: "
            f"class_weight={class_weight!r} of type {type_name(class_weight)}."
        )
    if not is_structure_leaf(y):
        raise ValueError(
            "`class_weight` is only supported for Models with a single output. Pass one "
            "`sample_weight` array per output instead."
        )
    weights_by_class = {}
    for key, weight in class_weight.items():
        try:
            weights_by_class[int(key)] = float(weight)
        except (TypeError, ValueError):
            raise ValueError(
                "`class_weight` must be a dictionary with integer keys representing class "
                f"indices and float weights. Received the entry {key!r}: {weight!r}."
            ) from None
    labels = np.asarray(y)
    if labels.ndim == 2:
        labels = np.argmax(labels, axis=-1) if labels.shape[-1] != 1 else labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(
            "`class_weight` needs labels of shape (samples,) or (samples, 1) (class indices) or "
            f"(samples, classes) (one-hot). Received y of shape {np.shape(y)}. Pass "
            "`sample_weight` instead."
        )
    classes = np.round(labels).astype("int64")
    sample_weight = np.ones(classes.shape, dtype=config.floatx())
    for class_index, weight in weights_by_class.items():
        sample_weight[classes == class_index] = weight
    return sample_weight


def train_validation_split(arrays, validation_split):
    """Splits arrays into training and validation parts: the last fraction is for validation.

    Args:
        arrays: nested structure of arrays, e.g. `(x, y, sample_weight)` (`None` allowed).
        validation_split: float strictly between 0 and 1, the fraction to hold out.

    Returns:
        `(train_arrays, validation_arrays)`, each with the structure of `arrays`.

    Example:

    >>> import numpy as np
    >>> train, val = train_validation_split((np.arange(10), None), validation_split=0.2)
    >>> train[0].tolist(), val[0].tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])
    """
    if not isinstance(validation_split, (int, float)) or not 0 < validation_split < 1:
        raise ValueError(
            "`validation_split` must be a float between 0 and 1 (exclusive), the fraction of "
            f"the data to hold out. Received: validation_split={validation_split!r}."
        )
    leaves = flatten(arrays)
    unsplittable = [leaf for leaf in leaves if not can_convert_to_array(leaf)]
    if unsplittable:
        raise ValueError(
            "`validation_split` is only supported for NumPy arrays and tensors (or nested "
            "structures of them). Received data of type "
            f"{type_name(unsplittable[0])}. Split the data yourself and pass `validation_data` "
            "instead."
        )
    arrays = map_structure(convert_to_array, arrays)
    sizes = [leaf.shape[0] for leaf in flatten(arrays) if leaf is not None]
    if not sizes:
        return arrays, arrays
    num_samples = int(sizes[0])
    split_at = int(math.floor(num_samples * (1.0 - validation_split)))
    if split_at in (0, num_samples):
        raise ValueError(
            f"Training data contains {num_samples} samples, which is not sufficient to split it "
            "into a validation and training set as specified by "
            f"`validation_split={validation_split}`. Either provide more data, or a different "
            "value for the `validation_split` argument."
        )

    def part(start, stop):
        return map_structure(lambda a: None if a is None else a[start:stop], arrays)

    return part(0, split_at), part(split_at, num_samples)
