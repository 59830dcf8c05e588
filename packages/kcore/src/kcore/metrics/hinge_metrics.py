"""Hinge metrics: the running means of the hinge losses of `kcore.losses` (labels in {-1, 1},
or {0, 1} converted)."""

from __future__ import annotations

from kcore.metrics.reduction_metrics import MeanMetricWrapper


class _HingeMetric(MeanMetricWrapper):
    _loss_name = ""

    def __init__(self, name, dtype=None):
        from kcore import losses

        super().__init__(getattr(losses, self._loss_name), name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Hinge(_HingeMetric):
    """Computes the hinge metric ``mean(maximum(1 - y_true * y_pred, 0))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "hinge"

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_HingeMetric):
    """Computes the squared hinge metric ``mean(square(maximum(1 - y_true * y_pred, 0)))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "squared_hinge"

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_HingeMetric):
    """Computes the categorical hinge metric ``maximum(neg - pos + 1, 0)``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "categorical_hinge"

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
