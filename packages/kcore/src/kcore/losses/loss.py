"""The `Loss` base class, `LossFunctionWrapper`, and the reductions and shape rules they share.

A loss turns ``(y_true, y_pred)`` into per-sample values (``call``), which ``__call__`` weights
by ``sample_weight`` and a mask, then reduces as Keras 3 does. Everything here is traceable: it
only reads static shapes and uses `kcore.ops`, so a trainer can run it under a compiled step.
"""

from __future__ import annotations

import math

import optree

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.config import floatx
from kcore.dtype_policies import get as get_dtype_policy
from kcore.layers._state import to_snake_case, unique_name
from kcore.ops.node import is_leaf
from kcore.saving.object_registration import keras_export

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


class Loss:
    """Base class of losses: subclass it and implement ``call(y_true, y_pred)``.

    Args:
        name: the loss's name (default: the snake-case class name, made unique).
        reduction: how per-sample losses become the result. ``"sum_over_batch_size"`` (default)
            and ``"mean"`` divide the weighted sum by the number of loss values, ``"sum"`` keeps
            the weighted sum, ``"mean_with_sample_weight"`` divides it by the sum of the sample
            weights, and ``None`` or ``"none"`` return the weighted per-sample values.
        dtype: the dtype the loss is computed in (default: `kcore.config.floatx()`); a
            `DTypePolicy` gives its compute dtype.

    Example:

    >>> import kcore
    >>> from kcore import ops
    >>> class SquaredError(kcore.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.square(y_pred - y_true)
    >>> float(SquaredError(reduction="sum")([1.0, 2.0], [2.0, 4.0]))
    5.0
    """

    _keras_module = "keras.losses"  # kcore subclasses are saved under it

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = get_dtype_policy(dtype or floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self):
        """The dtype the loss is computed in."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns the loss of `y_pred` against `y_true`, weighted and reduced.

        Args:
            y_true: the targets.
            y_pred: the predictions; a ``_keras_mask`` on them masks the loss values.
            sample_weight: optional weights, one per loss value or broadcastable to them (a
                trailing axis of size 1 is squeezed or added to match).
        """
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = _convert(y_pred, self.dtype)
        y_true = _convert(y_true, self.dtype)
        losses = self.call(y_true, y_pred)
        out_mask = self._loss_mask(y_true, y_pred)
        if out_mask is None:
            out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = ops.logical_and(in_mask, out_mask)
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=self.dtype,
        )

    def call(self, y_true, y_pred):
        """Returns the per-sample loss values; subclasses implement it.

        Args:
            y_true: the targets, converted to the loss dtype.
            y_pred: the predictions, converted to the loss dtype.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(self, y_true, y_pred)`, returning the "
            "per-sample loss values."
        )

    def _loss_mask(self, y_true, y_pred):
        """The mask of the values `call` returns that count (None: all of them)."""
        return None

    def get_config(self):
        """Returns the loss's config, which `from_config` turns back into the loss."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Returns a loss built from a `get_config()` dict.

        Args:
            config: the dict `get_config` returned.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


@keras_export("keras.src.losses.losses")  # where Keras 3 saves it (it is not public there)
class LossFunctionWrapper(Loss):
    """A `Loss` computing ``fn(y_true, y_pred, **kwargs)``, as Keras wraps its loss functions.

    The trailing axis of size 1 of `y_true` or `y_pred` is squeezed (or added) first, so
    targets of shape ``(N,)`` work with predictions of shape ``(N, 1)``.

    Args:
        fn: the loss function, ``fn(y_true, y_pred, **kwargs)`` returning per-sample values.
        reduction: see `Loss`.
        name: the loss's name.
        dtype: see `Loss`.
        **kwargs: keyword arguments passed to `fn`.

    Example:

    >>> import kcore
    >>> mse = kcore.losses.LossFunctionWrapper(kcore.losses.mean_squared_error, name="mse")
    >>> float(mse([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if _is_tensor_like(y_true) and _is_tensor_like(y_pred):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        try:
            return self.fn(y_true, y_pred, **self._fn_kwargs)
        except LossShapeError as error:
            raise LossShapeError(
                f"Loss {type(self).__name__} (name={self.name!r}): {error.detail}", error.detail
            ) from None

    def get_config(self):
        from kcore.saving import serialization

        config = super().get_config()
        if type(self) is not LossFunctionWrapper:
            # A built-in loss class: its arguments are the function's keyword arguments.
            return {**config, **self._fn_kwargs}
        config["fn"] = serialization.serialize_keras_object(self.fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        from kcore.saving import serialization

        if "fn" in config:
            config = serialization.deserialize_keras_object(config)
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class LossShapeError(ValueError):
    """`y_true` and `y_pred` have shapes a loss cannot pair; `detail` is the message body."""

    def __init__(self, message, detail=None):
        super().__init__(message)
        self.detail = detail if detail is not None else message


def standardize_reduction(reduction):
    """Returns `reduction` if Keras 3 knows it, else raises a ValueError listing the choices.

    Args:
        reduction: one of ``"sum_over_batch_size"``, ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, ``"none"`` or None.
    """
    if not isinstance(reduction, (str, type(None))) or reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {list(REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes the ranks of `x1` and `x2` equal when they differ by a trailing axis of size 1.

    The higher-rank one loses its trailing axis, except that a rank-1 partner gains one instead
    (with `expand_rank_1`): ``(3,)`` and ``(3, 1)`` both become ``(3, 1)``; ``(3, 2)`` and
    ``(3, 2, 1)`` both become ``(3, 2)``.

    Args:
        x1: a tensor.
        x2: a tensor.
        expand_rank_1: whether a rank-1 tensor gains an axis rather than its partner losing one.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) loss values as `reduction` says.

    Scalars and empty ``(0,)`` values are returned as they are.

    Args:
        values: the weighted loss values.
        sample_weight: the weights, for ``"mean_with_sample_weight"``.
        reduction: see `Loss`.
    """
    shape = tuple(values.shape)
    if reduction is None or reduction == "none" or shape in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return ops.divide_no_nan(loss, ops.cast(ops.sum(sample_weight), loss.dtype))
    count = _num_elements(values)
    if isinstance(count, int) and count > 0:
        return loss / count
    return ops.divide_no_nan(loss, ops.cast(count, loss.dtype))


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Weights `values` by `sample_weight` and `mask`, then reduces them (see `Loss`).

    With ``"sum_over_batch_size"`` or ``"mean"``, masked-out values are left out of the count,
    so the result is the mean over the values that count.

    Args:
        values: the per-sample loss values.
        sample_weight: optional weights broadcastable to `values` (up to a trailing axis of 1).
        mask: optional boolean mask of the values that count.
        reduction: see `Loss`.
        dtype: the dtype to compute in (default: that of `values`).
    """
    reduction = standardize_reduction(reduction)
    values = as_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = as_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype=values.dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merges a mask into the sample weights (rescaled so means count only unmasked values).

    Args:
        sample_weight: the weights, or None.
        mask: a boolean mask, or None.
        dtype: the dtype of the result.
        reduction: see `Loss`.
    """
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = ops.cast(_num_elements(mask), dtype)
        mask = mask * ops.divide_no_nan(total, ops.sum(mask))
    if sample_weight is None:
        return mask
    sample_weight = ops.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def check_shapes(loss, y_true, y_pred, rule="broadcast", axis=-1):
    """Raises a `LossShapeError` (a ValueError) unless `y_true` and `y_pred` fit `rule`.

    Only static dimensions are compared (None matches anything), so it works while tracing.

    Args:
        loss: the loss's name, for the message.
        y_true: the targets.
        y_pred: the predictions.
        rule: ``"broadcast"`` (the shapes broadcast together), ``"same"`` (equal ranks and
            sizes) or ``"sparse"`` (`y_true` is `y_pred` without its class axis `axis`).
        axis: the class axis, for ``"sparse"``.
    """
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    if rule == "broadcast":
        pairs = list(zip(reversed(true_shape), reversed(pred_shape)))
        ok = all(a is None or b is None or a == b or 1 in (a, b) for a, b in pairs)
        expected = "shapes that broadcast together"
    elif rule == "same":
        ok = len(true_shape) == len(pred_shape) and _same_dims(true_shape, pred_shape)
        expected = "the same shape"
    else:
        rank = len(pred_shape)
        if rank == 0:
            ok, expected = False, "y_pred with a class axis"
        else:
            class_axis = axis % rank
            without = pred_shape[:class_axis] + pred_shape[class_axis + 1 :]
            ok = len(true_shape) == len(without) and _same_dims(true_shape, without)
            expected = f"y_true of shape {without} (y_pred without its class axis {axis})"
    if not ok:
        detail = (
            f"y_true and y_pred have incompatible shapes: y_true.shape={true_shape}, "
            f"y_pred.shape={pred_shape}. Expected {expected}; reshape the targets or the "
            "model's output to match."
        )
        raise LossShapeError(f"Loss {loss}: {detail}", detail)


def matched(loss, y_true, y_pred, rule="broadcast", dtype_from_pred=True):
    """Converts `y_pred` to a tensor and `y_true` to its dtype, squeezes or expands a trailing
    axis of size 1 (`squeeze_or_expand_to_same_rank`), then checks the shapes (`check_shapes`).

    Args:
        loss: the loss function's name, for errors.
        y_true: the targets.
        y_pred: the predictions.
        rule: the shape rule, see `check_shapes`.
        dtype_from_pred: cast `y_true` to the dtype of `y_pred` (else only convert it).
    """
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    if dtype_from_pred:
        y_true = ops.cast(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_shapes(loss, y_true, y_pred, rule)
    return y_true, y_pred


def as_tensor(x, dtype=None):
    """`x` as a tensor of `dtype` (default: its own); a symbolic `KerasTensor` stays symbolic.

    Args:
        x: a tensor, `KerasTensor`, array or nested list of numbers.
        dtype: the dtype wanted, or None.
    """
    if isinstance(x, KerasTensor):
        return x if dtype is None else ops.cast(x, dtype)
    return ops.convert_to_tensor(x, dtype=dtype)


def _same_dims(shape1, shape2):
    return all(a is None or b is None or a == b for a, b in zip(shape1, shape2))


def _num_elements(x):
    shape = tuple(x.shape)
    if all(isinstance(d, int) for d in shape):
        return math.prod(shape)
    return ops.sum(ops.ones_like(x, dtype="int32"))  # dynamic (or symbolic) sizes


def _is_tensor_like(x):
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _convert(x, dtype):
    if isinstance(x, dict) or (
        isinstance(x, (list, tuple))
        and any(_is_tensor_like(leaf) for leaf in optree.tree_leaves(x, is_leaf=is_leaf))
    ):
        return optree.tree_map(lambda leaf: as_tensor(leaf, dtype=dtype), x, is_leaf=is_leaf)
    return as_tensor(x, dtype=dtype)
