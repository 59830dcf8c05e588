"""Regression metrics: mean errors (wrapping the `kcore.losses` functions), `RootMeanSquaredError`,
`CosineSimilarity` and `R2Score`."""

from __future__ import annotations

from kcore import ops
from kcore.metrics.metric import Metric
from kcore.metrics.metrics_utils import squeeze_or_expand_to_same_rank
from kcore.metrics.reduction_metrics import Mean, MeanMetricWrapper


def _loss_function(name):
    # kcore.losses imports lazily: the metrics package does not need it until a metric is built.
    from kcore import losses

    return getattr(losses, name)


class _LossMeanMetric(MeanMetricWrapper):
    """The mean of a `kcore.losses` function; its config is just ``name`` and ``dtype``."""

    _loss_name = ""

    def __init__(self, name, dtype=None):
        super().__init__(_loss_function(self._loss_name), name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_LossMeanMetric):
    """Computes the mean squared error: ``mean(square(y_true - y_pred))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "mean_squared_error"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(_LossMeanMetric):
    """Computes the mean absolute error: ``mean(abs(y_true - y_pred))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "mean_absolute_error"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(_LossMeanMetric):
    """Computes the mean absolute percentage error: ``100 * mean(abs((y_true - y_pred) / y_true))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "mean_absolute_percentage_error"

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_LossMeanMetric):
    """Computes the mean squared logarithmic error: ``mean(square(log(y_true + 1) -
    log(y_pred + 1)))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "mean_squared_logarithmic_error"

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_LossMeanMetric):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
    """

    _loss_name = "log_cosh"

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """Computes the root mean squared error: ``sqrt(mean(square(y_pred - y_true)))``.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's squared errors (weighted by `sample_weight`)."""
        y_true = ops.convert_to_tensor(y_true, self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine similarity of `y_true` and `y_pred` along `axis` (1: same direction).

    Example:

    >>> import kcore
    >>> sim = cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    >>> [round(float(v), 4) for v in kcore.ops.convert_to_numpy(sim)]
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = ops.normalize(y_pred, axis=axis)
    y_true = ops.normalize(y_true, axis=axis)
    return ops.sum(y_true * y_pred, axis=axis)


class CosineSimilarity(MeanMetricWrapper):
    """Computes the mean cosine similarity between labels and predictions.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
        axis: the axis along which the similarity is computed.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.CosineSimilarity(axis=1)
    >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    >>> round(float(m.result()), 4)
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class R2Score(Metric):
    """Computes the R2 score (coefficient of determination): ``1 - SS_res / SS_tot``.

    The variables are built from the static shape of the first batch, ``(batch, outputs)``.

    Args:
        class_aggregation: how the per-output scores combine: None (no aggregation),
            ``"uniform_average"`` or ``"variance_weighted_average"``.
        num_regressors: the number of independent regressors, for the adjusted R2 score
            (0: the standard score). When it is not below ``num_samples - 1`` the standard score
            is returned.
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.R2Score()
    >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
    >>> round(float(m.result()), 4)
    0.5714
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={tuple(y_pred_shape)} and "
                f"y_true.shape={tuple(y_true_shape)}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                f"fully defined (not None). Received input shapes: "
                f"y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}."
            )
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's sums of targets, squared targets, squared residuals and weights.

        Args:
            y_true: targets, shape ``(batch, outputs)``.
            y_pred: predictions, the same shape.
            sample_weight: weights of rank 0, 1 (per sample) or 2, broadcastable to `y_true`.
        """
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        sample_weight = ops.convert_to_tensor(
            1 if sample_weight is None else sample_weight, dtype=self.dtype
        )
        if len(sample_weight.shape) == 1:
            sample_weight = ops.expand_dims(sample_weight, axis=1)
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(y_true))
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(ops.sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(ops.sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0))
        self.count.assign_add(ops.sum(sample_weight, axis=0))
        self.num_samples.assign_add(ops.cast(ops.size(y_true), self.num_samples.dtype))

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1 - self.total_mse.value / total
        raw_scores = ops.where(ops.isinf(raw_scores), ops.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw_scores) / ops.sum(total)
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        n = self.num_samples.value
        p = ops.cast(self.num_regressors, n.dtype)
        adjusted = 1 - (1 - score) * (n - 1) / (n - p - 1)
        # Too many regressors for the data: fall back to the standard score.
        return ops.where(p < n - 1, adjusted, score)

    def reset_state(self):
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def get_config(self):
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
