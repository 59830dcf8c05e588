"""Metrics counted from a thresholded confusion matrix: TP/FP/TN/FN counts, `Precision`, `Recall`
and the "X at fixed Y" metrics. `AUC` lives in `kcore.metrics.auc_metrics`.

Predictions above a threshold count as positive; labels are cast to bool. Each metric keeps one
count per threshold.
"""

from __future__ import annotations

from kcore import ops
from kcore.metrics import metrics_utils
from kcore.metrics.metric import Metric
from kcore.metrics.metrics_utils import ConfusionMatrix

_THRESHOLDS_DOC = """thresholds: a float or a list of floats in [0, 1] (default 0.5); one value is
            computed per threshold. With a loss using ``from_logits=True``, use 0."""


class _ConfusionMatrixConditionCount(Metric):
    """Counts (weighted) entries of one confusion-matrix cell, at each threshold."""

    def __init__(self, confusion_matrix_cond, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._confusion_matrix_cond = confusion_matrix_cond
        self.init_thresholds = thresholds
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's count.

        Args:
            y_true: the labels (cast to bool).
            y_pred: the predictions, in [0, 1].
            sample_weight: weights of rank 0 or of the rank of `y_true`, broadcastable to it.
        """
        metrics_utils.update_confusion_matrix_variables(
            {self._confusion_matrix_cond: self.accumulator},
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
        )

    def result(self):
        if len(self.thresholds) == 1:
            return self.accumulator[0]
        return ops.convert_to_tensor(self.accumulator.value)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = f"""Counts false positives (the sum of their weights with `sample_weight`).

    Args:
        {_THRESHOLDS_DOC}
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.FALSE_POSITIVES, thresholds, name=name, dtype=dtype)


class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = f"""Counts false negatives (the sum of their weights with `sample_weight`).

    Args:
        {_THRESHOLDS_DOC}
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.FALSE_NEGATIVES, thresholds, name=name, dtype=dtype)


class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = f"""Counts true negatives (the sum of their weights with `sample_weight`).

    Args:
        {_THRESHOLDS_DOC}
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.TRUE_NEGATIVES, thresholds, name=name, dtype=dtype)


class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = f"""Counts true positives (the sum of their weights with `sample_weight`).

    Args:
        {_THRESHOLDS_DOC}
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(ConfusionMatrix.TRUE_POSITIVES, thresholds, name=name, dtype=dtype)


class _PrecisionRecallBase(Metric):
    """TP plus one more cell (FP for precision, FN for recall), with thresholds/top_k/class_id."""

    _other = ConfusionMatrix.FALSE_POSITIVES
    _other_name = "false_positives"

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(
            shape=shape, initializer="zeros", name="true_positives"
        )
        self._other_variable = self.add_variable(
            shape=shape, initializer="zeros", name=self._other_name
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts.

        Args:
            y_true: the labels, shaped like `y_pred` (cast to bool).
            y_pred: the predictions, in [0, 1].
            sample_weight: weights of rank 0 or of the rank of `y_true`, broadcastable to it.
        """
        metrics_utils.update_confusion_matrix_variables(
            {
                ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
                self._other: self._other_variable,
            },
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        tp = self.true_positives.value
        value = ops.divide_no_nan(tp, ops.add(tp, self._other_variable.value))
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecallBase):
    """Computes the precision of the predictions: ``TP / (TP + FP)``.

    With `top_k`, only the `top_k` largest predictions of each row count as positive; with
    `class_id`, only that class (last axis) is considered.

    Args:
        thresholds: a float or list of floats in [0, 1]; one value per threshold (default 0.5,
            or no threshold with `top_k`). With a loss using ``from_logits=True``, use 0.
        top_k: the number of top predictions counted as positive.
        class_id: the class (in ``[0, num_classes)``) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    @property
    def false_positives(self):
        return self._other_variable


class Recall(_PrecisionRecallBase):
    """Computes the recall of the predictions: ``TP / (TP + FN)``.

    With `top_k`, only the `top_k` largest predictions of each row count as positive; with
    `class_id`, only that class (last axis) is considered.

    Args:
        thresholds: a float or list of floats in [0, 1]; one value per threshold (default 0.5,
            or no threshold with `top_k`). With a loss using ``from_logits=True``, use 0.
        top_k: the number of top predictions counted as positive.
        class_id: the class (in ``[0, num_classes)``) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _other = ConfusionMatrix.FALSE_NEGATIVES
    _other_name = "false_negatives"

    @property
    def false_negatives(self):
        return self._other_variable


class SensitivitySpecificityBase(Metric):
    """The base of the metrics that maximise one rate subject to a floor on another.

    Keeps TP, TN, FP and FN at `num_thresholds` evenly spaced thresholds in [0, 1].

    Args:
        value: the floor on the constrained rate, in [0, 1].
        num_thresholds: the number of thresholds.
        class_id: the class (last axis) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.
    """

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0, *inner, 1.0]
            self._thresholds_distributed_evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion-matrix counts at every threshold."""
        metrics_utils.update_confusion_matrix_variables(
            {
                ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
                ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
                ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
                ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives,
            },
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "sensitivity": ops.divide_no_nan(tp, tp + fn),
            "specificity": ops.divide_no_nan(tn, tn + fp),
            "precision": ops.divide_no_nan(tp, tp + fp),
        }

    def _find_max_under_constraint(self, constrained, dependent, predicate):
        """The largest `dependent` value where ``predicate(constrained, value)`` holds (else 0)."""
        feasible = predicate(constrained, ops.cast(self.value, constrained.dtype))
        return ops.max(ops.where(feasible, dependent, ops.zeros_like(dependent)))


def _check_rate(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """Computes the best sensitivity (``TP / (TP + FN)``) where specificity is >= `specificity`.

    Args:
        specificity: the specificity floor, in [0, 1].
        num_thresholds: the number of thresholds used to match the specificity.
        class_id: the class (last axis) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(
            rates["specificity"], rates["sensitivity"], ops.greater_equal
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """Computes the best specificity (``TN / (TN + FP)``) where sensitivity is >= `sensitivity`.

    Args:
        sensitivity: the sensitivity floor, in [0, 1].
        num_thresholds: the number of thresholds used to match the sensitivity.
        class_id: the class (last axis) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.6667
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(
            rates["sensitivity"], rates["specificity"], ops.greater_equal
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(SensitivitySpecificityBase):
    """Computes the best precision where recall is >= `recall`.

    Args:
        recall: the recall floor, in [0, 1].
        num_thresholds: the number of thresholds used to match the recall.
        class_id: the class (last axis) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(
            rates["sensitivity"], rates["precision"], ops.greater_equal
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(SensitivitySpecificityBase):
    """Computes the best recall where precision is >= `precision` (0 if it is never reached).

    Args:
        precision: the precision floor, in [0, 1].
        num_thresholds: the number of thresholds used to match the precision.
        class_id: the class (last axis) to compute the binary metric for.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._find_max_under_constraint(
            rates["precision"], rates["sensitivity"], ops.greater_equal
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }
