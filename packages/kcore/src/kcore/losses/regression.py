"""Regression losses: squared, absolute, percentage and logarithmic errors, Huber, log-cosh and
cosine similarity, as functions (per-sample values) and `Loss` classes."""

from __future__ import annotations

import math

from kcore import ops
from kcore.config import epsilon
from kcore.losses.loss import LossFunctionWrapper, matched
from kcore.saving.object_registration import keras_export

_LOSSES = "keras.losses"


@keras_export(_LOSSES)
def mean_squared_error(y_true, y_pred):
    """Mean squared error over the last axis: ``mean(square(y_true - y_pred), axis=-1)``.

    Args:
        y_true: the targets, shape ``(batch_size, d0, .. dN)``.
        y_pred: the predictions, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])
    >>> kcore.ops.convert_to_numpy(loss).tolist()
    [0.5]
    """
    y_true, y_pred = matched("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras_export(_LOSSES)
def mean_absolute_error(y_true, y_pred):
    """Mean absolute error over the last axis: ``mean(abs(y_true - y_pred), axis=-1)``.

    Args:
        y_true: the targets, shape ``(batch_size, d0, .. dN)``.
        y_pred: the predictions, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


@keras_export(_LOSSES)
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``, dividing by at least
    `kcore.config.epsilon()` in absolute value.

    Args:
        y_true: the targets, shape ``(batch_size, d0, .. dN)``.
        y_pred: the predictions, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("mean_absolute_percentage_error", y_true, y_pred)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), eps))
    return 100.0 * ops.mean(diff, axis=-1)


@keras_export(_LOSSES)
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)``; values below
    `kcore.config.epsilon()` are raised to it first.

    Args:
        y_true: the targets, shape ``(batch_size, d0, .. dN)``.
        y_pred: the predictions, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("mean_squared_logarithmic_error", y_true, y_pred)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    first_log = ops.log(ops.maximum(y_pred, eps) + 1.0)
    second_log = ops.log(ops.maximum(y_true, eps) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


@keras_export(_LOSSES)
def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine similarity along `axis`: ``-sum(l2_normalize(y_true) *
    l2_normalize(y_pred), axis)``; -1 for aligned vectors, 0 when either is zero.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis along which the similarity is computed.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.cosine_similarity([[0.0, 1.0], [1.0, 0.0]], [[0.0, 2.0], [0.0, 1.0]])
    >>> kcore.ops.convert_to_numpy(loss).tolist()
    [-1.0, -0.0]
    """
    y_true, y_pred = matched("cosine_similarity", y_true, y_pred)
    y_pred = ops.normalize(y_pred, axis=axis)
    y_true = ops.normalize(y_true, axis=axis)
    return -ops.sum(y_true * y_pred, axis=axis)


@keras_export(_LOSSES)
def huber(y_true, y_pred, delta=1.0):
    """Huber loss, averaged over the last axis: ``0.5 * x**2`` where ``abs(x) <= delta``, else
    ``delta * abs(x) - 0.5 * delta**2``, for ``x = y_pred - y_true``.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        delta: where the loss turns from quadratic to linear.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.huber([[0.0, 0.0]], [[0.5, 3.0]])
    >>> kcore.ops.convert_to_numpy(loss).tolist()
    [1.3125]
    """
    y_true, y_pred = matched("huber", y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    half = ops.convert_to_tensor(0.5, dtype=abs_error.dtype)
    quadratic = half * ops.square(error)
    linear = delta * abs_error - half * ops.square(delta)
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


@keras_export(_LOSSES)
def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably: close to half the squared
    error for small errors and to ``abs(error) - log(2)`` for large ones.

    Args:
        y_true: the targets, shape ``(batch_size, d0, .. dN)``.
        y_pred: the predictions, same shape.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("log_cosh", y_true, y_pred)
    log2 = ops.convert_to_tensor(math.log(2.0), dtype=y_pred.dtype)
    error = y_pred - y_true
    return ops.mean(error + ops.softplus(error * -2.0) - log2, axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of the squared errors: `mean_squared_error`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).

    Example:

    >>> import kcore
    >>> float(kcore.losses.MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of the absolute errors: `mean_absolute_error`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: `mean_absolute_percentage_error`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_absolute_percentage_error",
        dtype=None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error: `mean_squared_logarithmic_error`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_squared_logarithmic_error",
        dtype=None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


class CosineSimilarity(LossFunctionWrapper):
    """Minus the cosine similarity of targets and predictions: `cosine_similarity`, reduced.

    Args:
        axis: the axis along which the similarity is computed.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for errors up to `delta`, linear beyond (see `huber`).

    Args:
        delta: where the loss turns from quadratic to linear.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error: `log_cosh`, reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
