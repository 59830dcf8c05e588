"""Accuracy metrics: how often predictions match labels (exactly, after a threshold, by argmax or
within the top k), as functions returning per-sample matches and as `MeanMetricWrapper`s."""

from __future__ import annotations

from kcore import ops
from kcore.metrics.metrics_utils import squeeze_or_expand_to_same_rank
from kcore.metrics.reduction_metrics import MeanMetricWrapper
from kcore.saving.object_registration import keras_export

_METRICS = "keras.metrics"


def _floatx():
    from kcore import config

    return config.floatx()


def accuracy(y_true, y_pred):
    """1.0 where `y_pred` equals `y_true`, else 0.0 (per entry)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), _floatx())


class Accuracy(MeanMetricWrapper):
    """Calculates how often predictions equal labels.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_METRICS)
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` matches the binary `y_true`, else 0.0 (per entry).

    Example:

    >>> import kcore
    >>> acc = binary_accuracy([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> kcore.ops.convert_to_numpy(acc).tolist()
    [[1.0], [1.0], [1.0], [0.0]]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = ops.cast(ops.greater(y_pred, ops.cast(threshold, y_pred.dtype)), y_true.dtype)
    return ops.cast(ops.equal(y_true, y_pred), _floatx())


class BinaryAccuracy(MeanMetricWrapper):
    """Calculates how often predictions match binary labels.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
        threshold: a prediction above it counts as 1, else 0 (in (0, 1)).

    Example:

    >>> import kcore
    >>> m = kcore.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold is not None and (threshold <= 0 or threshold >= 1):
            raise ValueError(
                "Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                f"Received: threshold={threshold}"
            )
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


def _argmax_matches(y_true, y_pred):
    """Matches of integer labels `y_true` with ``argmax(y_pred)``, shaped like the labels."""
    original_shape = tuple(y_true.shape)
    squeezed = len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1
    if squeezed:
        y_true = ops.squeeze(y_true, -1)
    y_pred = ops.argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = ops.cast(y_pred, y_true.dtype)
    matches = ops.cast(ops.equal(y_true, y_pred), _floatx())
    if squeezed:
        matches = ops.reshape(matches, original_shape)
    return matches


@keras_export(_METRICS)
def categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_pred)`` is the class of the one-hot `y_true`, else 0.0.

    Example:

    >>> import kcore
    >>> acc = categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> kcore.ops.convert_to_numpy(acc).tolist()
    [0.0, 1.0]
    """
    y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    y_pred = ops.convert_to_tensor(y_pred)
    return _argmax_matches(y_true, y_pred)


class CategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often ``argmax(y_pred)`` matches one-hot labels.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@keras_export(_METRICS)
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_pred)`` equals the integer label `y_true`, else 0.0.

    Example:

    >>> import kcore
    >>> acc = sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> kcore.ops.convert_to_numpy(acc).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    matches = _argmax_matches(y_true, y_pred)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Calculates how often ``argmax(y_pred)`` matches integer labels.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def _flatten_for_top_k(y_true, y_pred):
    original_shape = tuple(y_true.shape)
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    reshaped = len(y_true.shape) > 1
    if reshaped:
        y_true = ops.reshape(y_true, (-1,))
    return y_true, y_pred, (original_shape if reshaped else None)


@keras_export(_METRICS)
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the class of the one-hot `y_true` is among the `k` largest `y_pred`, else 0.0.

    Example:

    >>> import kcore
    >>> acc = top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]],
    ...                                  k=1)
    >>> kcore.ops.convert_to_numpy(acc).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    y_true, y_pred, shape = _flatten_for_top_k(y_true, y_pred)
    matches = ops.cast(ops.in_top_k(ops.cast(y_true, "int32"), y_pred, k=k), _floatx())
    return matches if shape is None else ops.reshape(matches, shape)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often one-hot targets are in the top `k` predictions.

    Args:
        k: the number of top predictions to look at.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@keras_export(_METRICS)
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label `y_true` is among the `k` largest `y_pred`, else 0.0.

    Args:
        y_true: integer labels.
        y_pred: scores, or (with `from_sorted_ids`) class ids sorted by decreasing score.
        k: the number of top predictions to look at.
        from_sorted_ids: whether `y_pred` holds sorted class ids (only its first `k` are read).

    Example:

    >>> import kcore
    >>> acc = sparse_top_k_categorical_accuracy([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    >>> kcore.ops.convert_to_numpy(acc).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype if from_sorted_ids else "int32")
    y_true, y_pred, shape = _flatten_for_top_k(y_true, y_pred)
    if from_sorted_ids:
        # Any of the first k ids equal to the label (several equal ids count once).
        matches = ops.any(ops.equal(ops.expand_dims(y_true, axis=1), y_pred[:, :k]), axis=1)
    else:
        matches = ops.in_top_k(y_true, y_pred, k=k)
    matches = ops.cast(matches, _floatx())
    return matches if shape is None else ops.reshape(matches, shape)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often integer targets are in the top `k` predictions.

    Args:
        k: the number of top predictions to look at.
        name: the metric's name.
        dtype: the dtype of the result.
        from_sorted_ids: whether `y_pred` holds class ids sorted by decreasing score instead of
            scores.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
