"""Intersection-over-Union metrics (semantic segmentation): ``TP / (TP + FP + FN)`` per class,
from a confusion matrix accumulated over batches, averaged over chosen classes."""

from __future__ import annotations

from kcore import ops
from kcore.metrics.metric import Metric
from kcore.metrics.metrics_utils import confusion_matrix


def _epsilon():
    from kcore import config

    return config.epsilon()


class _IoUBase(Metric):
    """Accumulates the ``(num_classes, num_classes)`` confusion matrix of (weighted) labels."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "float32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes), initializer="zeros", name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch to the confusion matrix.

        Args:
            y_true: integer labels (or one-hot when not `sparse_y_true`).
            y_pred: integer predictions (or scores when not `sparse_y_pred`).
            sample_weight: weights of rank 0 or of the rank of `y_true`, broadcastable to it.
        """
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.convert_to_tensor(y_true, dtype=self.dtype), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred, dtype=self.dtype), (-1,))
        sample_weight = ops.convert_to_tensor(
            1 if sample_weight is None else sample_weight, dtype=self.dtype
        )
        if len(sample_weight.shape) > 1:
            sample_weight = ops.reshape(sample_weight, (-1,))
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(y_true))
        if self.ignore_class is not None:
            valid = ops.cast(ops.not_equal(y_true, self.ignore_class), self.dtype)
            y_true = y_true * valid
            y_pred = y_pred * valid
            sample_weight = sample_weight * valid
        current = confusion_matrix(
            y_true, y_pred, self.num_classes, weights=sample_weight, dtype="float32"
        )
        self.total_cm.assign_add(current)

    def reset_state(self):
        self.total_cm.assign(ops.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


class IoU(_IoUBase):
    """Computes the Intersection-over-Union, averaged over `target_class_ids`.

    Classes that never occur (neither in labels nor predictions) are left out of the mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged (one id: that class's IoU).
        name: the metric's name.
        dtype: the dtype of the result.
        ignore_class: a label id (e.g. a "void" class) whose entries are ignored.
        sparse_y_true: whether labels are integers (else the `argmax` of `axis` is taken).
        sparse_y_pred: whether predictions are integers (else the `argmax` of `axis`).
        axis: the class axis for the `argmax`.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes}). Pass ids below num_classes={num_classes}."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = ops.cast(self.total_cm.value, self.dtype)
        true_positives = ops.diagonal(cm)
        # Row sums + column sums = 2 * TP + FP + FN.
        denominator = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - true_positives
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.take(true_positives, ids)
        denominator = ops.take(denominator, ids)
        num_valid = ops.sum(ops.cast(denominator > 1e-9, self.dtype))
        epsilon = _epsilon()
        iou = true_positives / (denominator + epsilon)
        return ops.sum(iou, axis=self.axis) / (num_valid + epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """Computes the IoU of classes 0 and/or 1 after thresholding the predictions.

    Predictions ``>= threshold`` become class 1, the others class 0.

    Args:
        target_class_ids: ``[0]``, ``[1]`` or ``[0, 1]`` (the mean of both).
        threshold: the threshold applied to the predictions.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Thresholds `y_pred`, then adds the batch to the confusion matrix."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_pred = ops.cast(y_pred >= self.threshold, self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """Computes the mean Intersection-over-Union over all classes.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the result.
        ignore_class: a label id whose entries are ignored.
        sparse_y_true: whether labels are integers (else the `argmax` of `axis` is taken).
        sparse_y_pred: whether predictions are integers (else the `argmax` of `axis`).
        axis: the class axis for the `argmax`.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """Computes the IoU for one-hot labels (and score predictions), averaged over
    `target_class_ids`: labels and predictions go through `argmax` on `axis` first.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged.
        name: the metric's name.
        dtype: the dtype of the result.
        ignore_class: a label id whose entries are ignored.
        sparse_y_pred: whether predictions are already integers.
        axis: the class axis.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """Computes the mean IoU over all classes for one-hot labels (and score predictions).

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the result.
        ignore_class: a label id whose entries are ignored.
        sparse_y_pred: whether predictions are already integers.
        axis: the class axis.
    """

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
