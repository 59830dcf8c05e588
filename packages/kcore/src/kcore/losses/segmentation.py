"""Overlap losses for segmentation masks: `Dice` and `Tversky`."""

from __future__ import annotations

from kcore import ops
from kcore.config import epsilon
from kcore.losses.loss import LossFunctionWrapper, matched
from kcore.saving.object_registration import keras_export

_LOSSES = "keras.losses"


@keras_export(_LOSSES)
def dice(y_true, y_pred, axis=None):
    """Dice loss: ``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)``.

    Args:
        y_true: the target masks.
        y_pred: the predicted masks, same shape.
        axis: the axes summed over (None: all of them, giving one scalar); ``(1, 2, 3)`` gives
            one loss per image of a batch of ``(batch, height, width, channels)`` masks.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.dice([[1.0, 1.0, 0.0, 0.0]], [[1.0, 0.0, 1.0, 0.0]], axis=(1,))
    >>> [round(v, 4) for v in kcore.ops.convert_to_numpy(loss).tolist()]
    [0.5]
    """
    y_true, y_pred = matched("dice", y_true, y_pred)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    total = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon()
    return 1 - ops.divide(2.0 * intersection, total)


@keras_export(_LOSSES)
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss: ``1 - tp / (tp + alpha * fp + beta * fn + epsilon)``, with soft counts
    ``tp = sum(y_true * y_pred)``, ``fp = sum((1 - y_pred) * y_true)`` and
    ``fn = sum(y_pred * (1 - y_true))`` (the formula of Keras 3). `alpha = beta = 0.5` gives the
    Dice loss (Salehi et al., 2017).

    Args:
        y_true: the target masks.
        y_pred: the predicted masks, same shape.
        alpha: the weight of the ``fp`` term.
        beta: the weight of the ``fn`` term.
        axis: the axes summed over (None: all of them).
    """
    y_true, y_pred = matched("tversky", y_true, y_pred)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - ops.divide(intersection, intersection + fp * alpha + fn * beta + epsilon())


class Dice(LossFunctionWrapper):
    """Dice loss between masks: `dice`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        axis: the axes summed over (None: all, giving one scalar).
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(LossFunctionWrapper):
    """Tversky loss between masks, weighing false positives and negatives: `tversky`.

    Args:
        alpha: the weight of false positives.
        beta: the weight of false negatives.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        axis: the axes summed over (None: all, giving one scalar).
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
