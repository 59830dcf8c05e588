"""`AUC`: the area under the ROC or precision-recall curve, approximated by a Riemann sum over
confusion-matrix counts at a grid of thresholds."""

from __future__ import annotations

import numpy as np

from kcore import ops
from kcore.metrics import metrics_utils
from kcore.metrics.metric import Metric
from kcore.metrics.metrics_utils import AUCCurve, AUCSummationMethod, ConfusionMatrix


class AUC(Metric):
    """Approximates the AUC (area under the curve) of the ROC or PR curves.

    Predictions are counted into true/false positives/negatives at `num_thresholds` thresholds
    (evenly spaced in [0, 1], plus endpoints just outside it so that 0 and 1 are handled); the
    area is then summed over the resulting points of the curve. For the best approximation,
    predictions should spread over [0, 1]; ``"minoring"``/``"majoring"`` give lower/upper bounds.

    Args:
        num_thresholds: the number of thresholds (> 1); ignored when `thresholds` is given.
        curve: ``"ROC"`` (default) or ``"PR"`` (precision-recall).
        summation_method: ``"interpolation"`` (mid-point; for PR, interpolates the counts as in
            Davis & Goadrich 2006), ``"minoring"`` or ``"majoring"``.
        name: the metric's name.
        dtype: the dtype of the result.
        thresholds: explicit thresholds in [0, 1] (the endpoints are added).
        multi_label: whether each label (second axis of `y_pred`) gets its own AUC, averaged at
            the end, rather than flattening the data into one label.
        num_labels: the number of labels with `multi_label`; when None, the variables are built
            from the first `y_pred`'s static shape.
        label_weights: non-negative per-label weights: the weights of the label AUCs with
            `multi_label`, otherwise weights of the label entries when counting.
        from_logits: whether `y_pred` holds logits (a sigmoid is applied).

    Example:

    >>> import kcore
    >>> m = kcore.metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
                [0.0, *thresholds, 1.0]
            )
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        from kcore import config

        epsilon = config.epsilon()
        self._thresholds = np.array([0.0 - epsilon, *thresholds, 1.0 + epsilon])
        self.curve = curve if isinstance(curve, AUCCurve) else AUCCurve.from_str(curve)
        self.summation_method = (
            summation_method
            if isinstance(summation_method, AUCSummationMethod)
            else AUCSummationMethod.from_str(summation_method)
        )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else ops.array(label_weights, dtype=self.dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError(
                    "`num_labels` is needed only when `multi_label` is True. Received: "
                    f"num_labels={num_labels}, multi_label={multi_label}."
                )
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds used for evaluating AUC (endpoints included)."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {tuple(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self.add_variable(variable_shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(variable_shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(variable_shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(variable_shape, "zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion-matrix counts at every threshold.

        Args:
            y_true: the labels (cast to bool).
            y_pred: the predictions, in [0, 1] (or logits with `from_logits`).
            sample_weight: weights of rank 0 or of the rank of `y_true`, broadcastable to it.
        """
        y_pred = ops.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        metrics_utils.update_confusion_matrix_variables(
            {
                ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
                ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
                ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
                ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives,
            },
            y_true,
            y_pred,
            self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            # With multi_label the weights average the label AUCs, in `result`.
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average(self, per_threshold):
        """Sums the curve's pieces and averages over labels with `multi_label`."""
        if not self.multi_label:
            return ops.sum(per_threshold)
        by_label = ops.sum(per_threshold, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(
            ops.sum(by_label * self.label_weights), ops.sum(self.label_weights)
        )

    def interpolate_pr_auc(self):
        """The PR-AUC with TP and TP + FP interpolated linearly between thresholds.

        Within an interval [A, B], with ``P = TP + FP``, precision is
        ``(TP_A + slope * (P - P_A)) / P`` where ``slope = dTP / dP``; its integral over the
        interval is ``slope * (dTP + intercept * log(P_B / P_A))`` with
        ``intercept = TP_B - slope * P_B``, divided by the positives ``TP_B + FN_B``.
        """
        n = self.num_thresholds
        tp = self.true_positives.value
        fn = self.false_negatives.value
        p = tp + self.false_positives.value
        dtp = tp[: n - 1] - tp[1:]
        dp = p[: n - 1] - p[1:]
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = ops.logical_and(p[: n - 1] > 0, p[1:] > 0)
        ratio = ops.where(
            both_positive,
            ops.divide_no_nan(p[: n - 1], ops.maximum(p[1:], 0)),
            ops.ones_like(p[1:]),
        )
        increments = ops.divide_no_nan(
            slope * (dtp + intercept * ops.log(ratio)), ops.maximum(tp[1:] + fn[1:], 0)
        )
        return self._average(increments)

    def result(self):
        if self.curve == AUCCurve.PR and self.summation_method == AUCSummationMethod.INTERPOLATION:
            return self.interpolate_pr_auc()
        n = self.num_thresholds
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == AUCCurve.ROC:
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        if self.summation_method == AUCSummationMethod.INTERPOLATION:
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == AUCSummationMethod.MINORING:
            heights = ops.minimum(y[: n - 1], y[1:])
        else:
            heights = ops.maximum(y[: n - 1], y[1:])
        return self._average((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": (
                None
                if self.label_weights is None
                else ops.convert_to_numpy(self.label_weights).tolist()
            ),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            # Without the added endpoints, so a metric built from the config has the same ones.
            config["thresholds"] = [float(t) for t in self.thresholds[1:-1]]
        return config
