"""Shared pieces of the metrics: rank matching, masks, thresholds and confusion-matrix updates.

Everything that runs on data is written with `kcore.ops` and static shapes only, so it traces
under `jit`: thresholds are compared with broadcasting (or bucketed with `segment_sum` when they
are evenly spaced), never with a Python loop over values.
"""

from __future__ import annotations

from enum import Enum

import numpy as np

from kcore import ops
from kcore.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10


def get_keras_mask(x):
    """The Keras mask a layer attached to `x` (its ``_keras_mask``), or None."""
    return getattr(x, "_keras_mask", None)


def apply_mask(sample_weight, mask, dtype):
    """Multiplies `sample_weight` by `mask` (masked entries weigh 0); either may be None."""
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype=dtype)
    if sample_weight is None:
        return mask
    sample_weight = ops.cast(sample_weight, dtype=dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def to_list(x):
    """`x` as a list (a list or tuple is copied, any other value wrapped)."""
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    return [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The list of thresholds a metric was given (checked to lie in [0, 1]), or the default."""
    if thresholds is not None:
        invalid = [t for t in to_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(
                f"Threshold values must be in [0, 1]. Received: thresholds={thresholds!r} "
                f"(invalid: {invalid})."
            )
    return to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds):
    """Whether `thresholds` are ``[0, 1/(n-1), ..., 1]`` (n >= 3), which allows the bucketed update."""
    thresholds = np.asarray(thresholds, dtype="float64")
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype="float64") / (count - 1)
    from kcore import config

    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


class ConfusionMatrix(Enum):
    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


class AUCCurve(Enum):
    """The curve an `AUC` integrates: ``"ROC"`` or ``"PR"`` (precision-recall)."""

    ROC = "ROC"
    PR = "PR"

    @staticmethod
    def from_str(key):
        if key in ("pr", "PR"):
            return AUCCurve.PR
        if key in ("roc", "ROC"):
            return AUCCurve.ROC
        raise ValueError(f'Invalid AUC curve value: "{key}". Expected values are ["PR", "ROC"].')


class AUCSummationMethod(Enum):
    """The Riemann sum an `AUC` uses: ``"interpolation"``, ``"majoring"`` or ``"minoring"``."""

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key):
        for method in AUCSummationMethod:
            if key in (method.value, method.value.capitalize()):
                return method
        raise ValueError(
            f'Invalid AUC summation method value: "{key}". Expected values are '
            '["interpolation", "majoring", "minoring"].'
        )


def filter_top_k(x, k):
    """Keeps the `k` largest values of the last axis of `x` and sets the others to `NEG_INF`."""
    _, indices = ops.top_k(x, k)
    keep = ops.sum(ops.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * keep + NEG_INF * (1 - keep)


def update_confusion_matrix_variables(
    variables_to_update,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
):
    """Adds this batch's (weighted) true/false positive/negative counts to the given variables.

    At each threshold ``t`` an entry counts as predicted positive when ``y_pred > t``; `y_true` is
    cast to bool. Each variable holds one count per threshold (and, with `multi_label`, per label).

    Args:
        variables_to_update: a dict from `ConfusionMatrix` members to variables.
        y_true: the labels (any shape matching `y_pred`).
        y_pred: the predictions, in [0, 1].
        thresholds: a list of thresholds (or `NEG_INF` with `top_k`).
        top_k: keep only the `top_k` largest predictions of each row as positives.
        class_id: restrict labels and predictions to this class (last axis).
        sample_weight: weights of rank 0 or the rank of `y_true`, broadcastable to it.
        multi_label: count per label (second axis) instead of flattening.
        label_weights: per-label weights, applied when the data is flattened.
        thresholds_distributed_evenly: whether `thresholds` are evenly spaced in [0, 1] (possibly
            with endpoints just outside), which selects the O(N + T) bucketed update.
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside of "
            "`update_confusion_matrix_variables` when `multi_label` is True."
        )
    if not variables_to_update:
        return
    invalid = [key for key in variables_to_update if not isinstance(key, ConfusionMatrix)]
    if invalid:
        raise ValueError(
            f"Invalid keys: {invalid}. Valid variable key options are: {list(ConfusionMatrix)}."
        )
    dtype = next(iter(variables_to_update.values())).dtype
    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    with_epsilon = False
    if thresholds_distributed_evenly:
        with_epsilon = bool(thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    num_thresholds = len(thresholds)

    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
        if sample_weight is not None and len(sample_weight.shape) == len(y_pred.shape):
            if sample_weight.shape[-1] != 1:
                sample_weight = sample_weight[..., class_id, None]

    weights = None
    if sample_weight is not None:
        weights = ops.broadcast_to(sample_weight, ops.shape(y_pred))
    if label_weights is not None:
        label_weights = ops.broadcast_to(
            ops.expand_dims(ops.cast(label_weights, dtype), 0), ops.shape(y_pred)
        )
        weights = label_weights if weights is None else weights * label_weights
    if not multi_label:
        y_true = ops.reshape(y_true, (-1,))
        y_pred = ops.reshape(y_pred, (-1,))
        if weights is not None:
            weights = ops.reshape(weights, (-1,))
    is_true = ops.cast(ops.cast(y_true, "bool"), dtype)

    if thresholds_distributed_evenly:
        tp, fp, total_true, total_false = _bucketed_counts(
            is_true, y_pred, weights, num_thresholds, multi_label, with_epsilon
        )
    else:
        tp, fp, total_true, total_false = _thresholded_counts(
            is_true, y_pred, weights, ops.convert_to_tensor(thresholds, dtype=dtype), multi_label
        )
    updates = {
        ConfusionMatrix.TRUE_POSITIVES: lambda: tp,
        ConfusionMatrix.FALSE_POSITIVES: lambda: fp,
        ConfusionMatrix.TRUE_NEGATIVES: lambda: total_false - fp,
        ConfusionMatrix.FALSE_NEGATIVES: lambda: total_true - tp,
    }
    for key, variable in variables_to_update.items():
        variable.assign(variable.value + ops.cast(updates[key](), variable.dtype))


def _thresholded_counts(is_true, y_pred, weights, thresholds, multi_label):
    """TP and FP per threshold by comparing every prediction with every threshold."""
    extra = (1,) * len(y_pred.shape)
    predicted = ops.cast(
        ops.greater(ops.expand_dims(y_pred, 0), ops.reshape(thresholds, (-1, *extra))),
        y_pred.dtype,
    )
    positives = is_true if weights is None else is_true * weights
    negatives = (1 - is_true) if weights is None else (1 - is_true) * weights
    tp = ops.sum(predicted * positives, axis=1)
    fp = ops.sum(predicted * negatives, axis=1)
    # Totals per label (multi_label) or overall, broadcast against the per-threshold counts.
    return tp, fp, ops.sum(positives, axis=0), ops.sum(negatives, axis=0)


def _bucketed_counts(is_true, y_pred, weights, num_thresholds, multi_label, with_epsilon):
    """TP and FP per threshold from a histogram of predictions over evenly spaced thresholds.

    A prediction ``p`` exceeds thresholds ``0..b`` where ``b = ceil(p * (T - 1)) - 1``; summing the
    weights per bucket then a reversed cumulative sum gives the counts at every threshold.
    """
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    positives = is_true if weights is None else is_true * weights
    negatives = (1 - is_true) if weights is None else (1 - is_true) * weights
    positives = positives * ops.ones_like(y_pred)
    negatives = negatives * ops.ones_like(y_pred)
    num_labels = y_pred.shape[-1] if multi_label else 1
    totals_pos = ops.sum(ops.reshape(positives, (-1, num_labels)), axis=0)
    totals_neg = ops.sum(ops.reshape(negatives, (-1, num_labels)), axis=0)
    if not multi_label:
        totals_pos, totals_neg = totals_pos[0], totals_neg[0]
    buckets = ops.ceil(y_pred * (num_thresholds - 1)) - 1
    if with_epsilon:
        # The first threshold lies just below 0: every prediction exceeds it.
        buckets = ops.maximum(buckets, 0.0)
    # A prediction of exactly 0 exceeds no threshold (bucket -1): it counts in no histogram bin.
    valid = ops.cast(buckets >= 0, y_pred.dtype)
    positives = positives * valid
    negatives = negatives * valid
    buckets = ops.cast(ops.maximum(buckets, 0.0), "int32")
    if multi_label:
        buckets = buckets + ops.arange(num_labels, dtype="int32") * num_thresholds
    buckets = ops.reshape(buckets, (-1,))

    def count(values):
        histogram = ops.segment_sum(
            ops.reshape(values, (-1,)), buckets, num_segments=num_thresholds * num_labels
        )
        histogram = ops.transpose(ops.reshape(histogram, (num_labels, num_thresholds)))
        counts = ops.flip(ops.cumsum(ops.flip(histogram, axis=0), axis=0), axis=0)
        return counts if multi_label else counts[:, 0]

    return count(positives), count(negatives), totals_pos, totals_neg


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """The ``(num_classes, num_classes)`` confusion matrix: rows are labels, columns predictions.

    Args:
        labels: 1-D integer labels.
        predictions: 1-D integer predictions, the same length.
        num_classes: the number of classes.
        weights: optional per-entry weights (default 1).
        dtype: the matrix dtype.

    Example:

    >>> from kcore import ops
    >>> cm = confusion_matrix([1, 2, 0], [2, 2, 0], num_classes=3)
    >>> ops.convert_to_numpy(cm).tolist()
    [[1, 0, 0], [0, 0, 1], [0, 0, 1]]
    """
    labels = ops.convert_to_tensor(labels)
    predictions = ops.convert_to_tensor(predictions)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    labels = ops.cast(labels, "int32")
    predictions = ops.cast(predictions, "int32")
    values = (
        ops.ones_like(predictions, dtype=dtype)
        if weights is None
        else ops.cast(ops.convert_to_tensor(weights), dtype)
    )
    indices = ops.stack([labels, predictions], axis=1)
    return ops.scatter(indices, values, (int(num_classes), int(num_classes)))
