"""Hinge losses for maximum-margin classifiers: `Hinge`, `SquaredHinge`, `CategoricalHinge`."""

from __future__ import annotations

from kcore import ops
from kcore.losses.loss import LossFunctionWrapper, matched
from kcore.saving.object_registration import keras_export

_LOSSES = "keras.losses"


def convert_binary_labels_to_hinge(y_true):
    """Maps 0/1 labels to -1/1; labels that are not all 0 or 1 are returned unchanged.

    Args:
        y_true: float labels.
    """
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


@keras_export(_LOSSES)
def hinge(y_true, y_pred):
    """Hinge loss over the last axis: ``mean(maximum(1 - y_true * y_pred, 0))``.

    Args:
        y_true: labels, -1 or 1 (0/1 labels are converted to -1/1).
        y_pred: the predicted scores, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.hinge([[1.0, 0.0]], [[0.5, -2.0]])
    >>> kcore.ops.convert_to_numpy(loss).tolist()
    [0.25]
    """
    y_true, y_pred = matched("hinge", y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@keras_export(_LOSSES)
def squared_hinge(y_true, y_pred):
    """Squared hinge loss over the last axis: ``mean(square(maximum(1 - y_true * y_pred, 0)))``.

    Args:
        y_true: labels, -1 or 1 (0/1 labels are converted to -1/1).
        y_pred: the predicted scores, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("squared_hinge", y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@keras_export(_LOSSES)
def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss: ``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``
    and ``neg = max((1 - y_true) * y_pred)`` over the last axis.

    Args:
        y_true: one-hot targets (0/1, or -1/1).
        y_pred: the predicted scores, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("categorical_hinge", y_true, y_pred)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    zero = ops.cast(0.0, y_pred.dtype)
    return ops.maximum(neg - pos + 1.0, zero)


class Hinge(LossFunctionWrapper):
    """Hinge loss: `hinge`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss: `squared_hinge`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss: `categorical_hinge`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
