"""The reducing metrics: `Sum`, `Mean` and `MeanMetricWrapper` (the mean of a per-sample function).

Example:

>>> import kcore
>>> m = kcore.metrics.Sum()
>>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
>>> float(m.result())
4.0
"""

from __future__ import annotations

from kcore import ops
from kcore.metrics import metrics_utils
from kcore.metrics.metric import Metric
from kcore.saving import serialization


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample (axis 0), as Keras 3 does.

    `sample_weight` is matched in rank with `values` (a trailing axis of 1 squeezed or added),
    `values` reduced with `reduce_fn` down to the weight's rank, then multiplied by the weights.

    Returns:
        The pair ``(values, sample_weight)``, both per sample (`sample_weight` None if it was).
    """
    from kcore import config

    dtype = dtype or config.floatx()
    mask = metrics_utils.get_keras_mask(values)
    values = ops.cast(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), dtype=dtype)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, dtype)
        values, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(sample_weight.shape)
        values_ndim = len(values.shape)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=list(range(weight_ndim, values_ndim)))
        # Broadcasting the weights changes nothing in the product below, but makes their own
        # reduction count every entry.
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(values))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_ndim)))
    values_ndim = len(values.shape)
    if values_ndim > 1:
        values = reduce_fn(values, axis=list(range(1, values_ndim)))
    return values, sample_weight


class Sum(Metric):
    """Computes the (weighted) sum of the given values.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.Sum()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0])
    >>> float(m.result())
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values, sample_weight=None):
        """Adds the (weighted) sum of `values` to the total."""
        values, _ = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn=ops.sum, dtype=self.dtype
        )
        self.total.assign_add(ops.sum(values))

    def reset_state(self):
        self.total.assign(0)

    def result(self):
        return ops.cast(self.total, self.dtype)


class Mean(Metric):
    """Computes the (weighted) mean of the given values.

    Values of rank above 1 are first averaged per sample (over every axis but the first).

    Args:
        name: the metric's name.
        dtype: the dtype of the result.

    Example:

    >>> import kcore
    >>> m = kcore.metrics.Mean()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values, sample_weight=None):
        """Adds the weighted values to the total and their weights (or count) to the count."""
        if (
            isinstance(sample_weight, (int, float))
            and not isinstance(sample_weight, bool)
            and len(getattr(values, "shape", (None,))) == 0
        ):
            self.total.assign_add(ops.cast(values, self.dtype) * sample_weight)
            self.count.assign_add(sample_weight)
            return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn=ops.mean, dtype=self.dtype
        )
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            num_samples = ops.sum(sample_weight)
        elif len(values.shape) >= 1:
            num_samples = ops.shape(values)[0]
        else:
            num_samples = 1
        self.count.assign_add(ops.cast(num_samples, dtype=self.dtype))

    def reset_state(self):
        self.total.assign(0)
        self.count.assign(0)

    def result(self):
        return ops.divide_no_nan(self.total, ops.cast(self.count, dtype=self.dtype))


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: the function to wrap; it returns one value per sample (or per entry).
        name: the metric's name.
        dtype: the dtype of the result.
        **kwargs: keyword arguments passed on to `fn`.

    Example:

    >>> import kcore
    >>> def squared_error(y_true, y_pred):
    ...     return kcore.ops.square(kcore.ops.subtract(y_true, y_pred))
    >>> m = kcore.metrics.MeanMetricWrapper(squared_error)
    >>> m.update_state([1.0, 2.0], [1.0, 4.0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if _is_builtin_loss(fn):
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds ``fn(y_true, y_pred)`` (weighted; masked entries of `y_pred` weigh 0)."""
        mask = metrics_utils.get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, self.dtype)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config()}
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialization.serialize_keras_object(self._fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = serialization.deserialize_keras_object(config)
        return cls(**config)


def _is_builtin_loss(fn) -> bool:
    module = getattr(fn, "__module__", None) or getattr(type(fn), "__module__", "")
    return isinstance(module, str) and module.startswith("kcore.losses")
