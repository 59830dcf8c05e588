"""Connectionist Temporal Classification: the `CTC` loss and its function `ctc`."""

from __future__ import annotations

from kcore import ops
from kcore.losses.loss import LossFunctionWrapper, LossShapeError, as_tensor
from kcore.saving.object_registration import keras_export


@keras_export("keras.losses")
def ctc(y_true, y_pred):
    """Per-sequence CTC loss of integer label sequences against per-step logits.

    Class 0 is the blank (and padding) class: the length of each label sequence is its number
    of non-zero labels; every output sequence uses all ``max_time`` steps.

    Args:
        y_true: labels, shape ``(batch_size, max_label_length)``, padded with 0.
        y_pred: logits (not softmax outputs), shape ``(batch_size, max_time, num_classes)``.

    Returns:
        The losses, shape ``(batch_size,)``.
    """
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    ranks_ok = len(true_shape) == 2 and len(pred_shape) == 3
    if not ranks_ok or not _same_or_unknown(true_shape[0], pred_shape[0]):
        detail = (
            f"y_true and y_pred have incompatible shapes: y_true.shape={true_shape}, "
            f"y_pred.shape={pred_shape}. Expected integer labels of shape "
            "(batch_size, max_length) and logits of shape (batch_size, max_time, num_classes)."
        )
        raise LossShapeError(f"Loss ctc: {detail}", detail)
    mask_index = 0
    batch_size, max_time = ops.shape(y_pred)[0], ops.shape(y_pred)[1]
    output_length = max_time * ops.ones((batch_size,), dtype="int32")
    target_length = ops.cast(ops.sum(ops.not_equal(y_true, mask_index), axis=-1), "int32")
    return ops.ctc_loss(y_true, y_pred, target_length, output_length, mask_index=mask_index)


def _same_or_unknown(a, b):
    return a is None or b is None or a == b


class CTC(LossFunctionWrapper):
    """CTC (Connectionist Temporal Classification) loss: `ctc`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
