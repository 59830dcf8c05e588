"""Probabilistic losses: binary, categorical and sparse crossentropies (with their focal
variants), Kullback-Leibler divergence and Poisson, as functions and `Loss` classes."""

from __future__ import annotations

import warnings

from kcore import ops
from kcore.config import epsilon
from kcore.losses.loss import LossFunctionWrapper, as_tensor, check_shapes, matched
from kcore.saving.object_registration import keras_export

_LOSSES = "keras.losses"


@keras_export(_LOSSES)
def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence over the last axis: ``sum(y_true * log(y_true / y_pred))``,
    with both clipped to ``[epsilon, 1]``.

    Args:
        y_true: the target probabilities.
        y_pred: the predicted probabilities.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("kl_divergence", y_true, y_pred)
    y_true = ops.clip(y_true, epsilon(), 1)
    y_pred = ops.clip(y_pred, epsilon(), 1)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


@keras_export(_LOSSES)
def poisson(y_true, y_pred):
    """Poisson loss over the last axis: ``mean(y_pred - y_true * log(y_pred + epsilon))``.

    Args:
        y_true: the targets.
        y_pred: the predicted rates.

    Returns:
        The per-sample losses, shape ``(batch_size, d0, .. dN-1)``.
    """
    y_true, y_pred = matched("poisson", y_true, y_pred)
    eps = ops.convert_to_tensor(epsilon(), dtype=y_pred.dtype)
    return ops.mean(y_pred - y_true * ops.log(y_pred + eps), axis=-1)


@keras_export(_LOSSES)
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy, averaged over `axis`.

    Args:
        y_true: the targets (0 or 1), shape ``(batch_size, d0, .. dN)``.
        y_pred: probabilities, or logits with `from_logits`; same shape.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + 0.5 * s``.
        axis: the axis the mean is taken over.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.binary_crossentropy([[1.0, 0.0]], [[0.0, 0.0]], from_logits=True)
    >>> [round(v, 4) for v in kcore.ops.convert_to_numpy(loss).tolist()]
    [0.6931]
    """
    y_true, y_pred = matched("binary_crossentropy", y_true, y_pred, rule="same")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@keras_export(_LOSSES)
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary crossentropy scaled by the focal factor ``(1 - p_t) ** gamma``, averaged over
    `axis`; ``p_t`` is the probability given to the true class (Lin et al., 2018).

    Args:
        y_true: the targets (0 or 1).
        y_pred: probabilities, or logits with `from_logits`; same shape.
        apply_class_balancing: weigh class 1 by `alpha` and class 0 by ``1 - alpha``.
        alpha: the weight of class 1 with `apply_class_balancing`.
        gamma: the focusing parameter (0 gives the binary crossentropy).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + 0.5 * s``.
        axis: the axis the mean is taken over.
    """
    y_true, y_pred = matched("binary_focal_crossentropy", y_true, y_pred, rule="same")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return ops.mean(focal_bce, axis=axis)


def _categorical_inputs(loss, y_true, y_pred, label_smoothing, axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"`axis` of {loss} must be an int. Received: axis={axis!r} of type {type(axis)}"
        )
    y_true, y_pred = matched(loss, y_true, y_pred, rule="same")
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {loss}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )
    if label_smoothing:
        num_classes = ops.cast(ops.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return y_true, y_pred


@keras_export(_LOSSES)
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical crossentropy of one-hot targets: ``-sum(y_true * log(p), axis)``.

    Args:
        y_true: one-hot targets, shape ``(batch_size, num_classes)``.
        y_pred: probabilities (rescaled to sum to 1), or logits with `from_logits`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    >>> [round(v, 4) for v in kcore.ops.convert_to_numpy(loss).tolist()]
    [0.6931]
    """
    y_true, y_pred = _categorical_inputs(
        "categorical_crossentropy", y_true, y_pred, label_smoothing, axis
    )
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_export(_LOSSES)
def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical crossentropy with each class term scaled by ``alpha * (1 - p) ** gamma``
    (Lin et al., 2018), summed over `axis`.

    Args:
        y_true: one-hot targets.
        y_pred: probabilities (rescaled to sum to 1), or logits with `from_logits`.
        alpha: the class weight: a float, or a list with one weight per class.
        gamma: the focusing parameter (0: no focal effect).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.
    """
    y_true, y_pred = _categorical_inputs(
        "categorical_focal_crossentropy", y_true, y_pred, label_smoothing, axis
    )
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, epsilon(), 1.0 - epsilon())
    cce = -y_true * ops.log(output)
    weighting = ops.power(1.0 - output, gamma) * ops.convert_to_tensor(alpha, dtype=output.dtype)
    return ops.sum(weighting * cce, axis=axis)


def _sparse_inputs(y_true, y_pred, axis):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, axis=-1)
    check_shapes("sparse_categorical_crossentropy", y_true, y_pred, rule="sparse", axis=axis)
    return y_true, y_pred


def _valid_classes(y_true, ignore_class):
    return ops.not_equal(y_true, ops.cast(ignore_class, y_true.dtype))


@keras_export(_LOSSES)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical crossentropy of integer class targets.

    Args:
        y_true: class indices, shape `y_pred`'s without the class axis (a trailing axis of
            size 1 is also accepted).
        y_pred: probabilities (rescaled to sum to 1), or logits with `from_logits`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a class index (such as -1 or 255, a "void" class) whose entries give a
            loss of 0; the `SparseCategoricalCrossentropy` class also leaves them out of the
            mean. None: every class counts.
        axis: the class axis.

    Example:

    >>> import kcore
    >>> loss = kcore.losses.sparse_categorical_crossentropy([1, 0], [[0.5, 0.5], [1.0, 0.0]])
    >>> [round(v, 4) for v in kcore.ops.convert_to_numpy(loss).tolist()]
    [0.6931, 0.0]
    """
    y_true, y_pred = _sparse_inputs(y_true, y_pred, axis)
    valid = None
    if ignore_class is not None:
        valid = _valid_classes(y_true, ignore_class)
        y_true = ops.where(valid, y_true, ops.zeros_like(y_true))
    losses = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    if valid is not None:
        losses = ops.where(valid, losses, ops.zeros_like(losses))
    return losses


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence of the predictions from the targets: `kl_divergence`.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss: `poisson`, then reduced.

    Args:
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy of binary (0 or 1) targets: `binary_crossentropy`, then reduced.

    Args:
        from_logits: whether `y_pred` holds logits (recommended) rather than probabilities.
        label_smoothing: in ``[0, 1]``; squeezes the targets towards 0.5.
        axis: the axis the mean is taken over.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).

    Example:

    >>> import kcore
    >>> bce = kcore.losses.BinaryCrossentropy(from_logits=True)
    >>> round(float(bce([[1.0, 0.0]], [[0.0, 0.0]])), 4)
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary crossentropy focused on hard examples: `binary_focal_crossentropy`, reduced.

    Args:
        apply_class_balancing: weigh class 1 by `alpha` and class 0 by ``1 - alpha``.
        alpha: the weight of class 1 with `apply_class_balancing`.
        gamma: the focusing parameter (0 gives the binary crossentropy).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; squeezes the targets towards 0.5.
        axis: the axis the mean is taken over.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy of one-hot targets: `categorical_crossentropy`, then reduced.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Alpha-balanced focal crossentropy of one-hot targets: `categorical_focal_crossentropy`.

    Args:
        alpha: the class weight: a float, or a list with one weight per class.
        gamma: the focusing parameter (0: no focal effect).
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy of integer class targets: `sparse_categorical_crossentropy`, reduced.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a class index (such as -1 or 255) whose entries are masked out: they add
            0 and are left out of the count of ``"sum_over_batch_size"``. None: every class
            counts.
        reduction: see `kcore.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss is computed in (default: floatx).

    Example:

    >>> import kcore
    >>> scce = kcore.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    >>> round(float(scce([1, -1], [[0.5, 0.5], [0.9, 0.1]])), 4)
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def _loss_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return None
        y_true, _ = _sparse_inputs(y_true, y_pred, axis=-1)
        return _valid_classes(y_true, self.ignore_class)
