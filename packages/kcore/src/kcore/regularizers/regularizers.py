"""Keras 3's weight regularizers: `Regularizer`, `L1`, `L2`, `L1L2`, `OrthogonalRegularizer`."""

from __future__ import annotations

import math

from kcore import ops
from kcore.backend.dtypes import standardize_dtype


def validate_float_arg(value, name):
    """Returns `value` as a float, or raises ValueError unless it is a finite number >= 0.

    Args:
        value: the penalty factor to check.
        name: the argument's name, for the error message.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


def _factor(value, x):
    return ops.cast(value, standardize_dtype(x.dtype))


class Regularizer:
    """Base class of regularizers: callables turning a weight tensor into a scalar penalty.

    Layers add the penalties of their ``kernel_regularizer``, ``bias_regularizer`` and
    ``activity_regularizer`` to the loss. A subclass implements ``__call__(x)`` and
    ``get_config()``; any function of a tensor that returns a scalar also works as a regularizer.

    Example:

    >>> import kcore
    >>> class L2Half(kcore.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return 0.5 * kcore.ops.sum(kcore.ops.square(x))
    ...     def get_config(self):
    ...         return {}
    >>> float(L2Half()(kcore.ops.ones((2, 2))))
    2.0
    """

    _keras_module = "keras.regularizers"  # kcore subclasses are saved under it

    def __call__(self, x):
        """Returns the penalty for the tensor `x` (0.0 for the base class).

        Args:
            x: the weight (or activity) tensor.
        """
        return 0.0

    @classmethod
    def from_config(cls, config):
        """Builds a regularizer from a `get_config()` dict.

        Args:
            config: the dict `get_config()` returned.
        """
        return cls(**config)

    def get_config(self):
        """Returns the regularizer's constructor arguments as a JSON-serializable dict."""
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """Penalty ``l1 * sum(abs(x)) + l2 * sum(square(x))``.

    Args:
        l1: the L1 factor (None means 0).
        l2: the L2 factor (None means 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x):
        regularization = ops.convert_to_tensor(0.0, dtype=standardize_dtype(x.dtype))
        if self.l1:
            regularization = regularization + _factor(self.l1, x) * ops.sum(ops.absolute(x))
        if self.l2:
            regularization = regularization + _factor(self.l2, x) * ops.sum(ops.square(x))
        return regularization

    def get_config(self):
        return {"l1": float(self.l1), "l2": float(self.l2)}


class L1(Regularizer):
    """Penalty ``l1 * sum(abs(x))``.

    Args:
        l1: the L1 factor (None means 0.01).

    Example:

    >>> import kcore
    >>> float(kcore.regularizers.L1(0.5)(kcore.ops.convert_to_tensor([-1.0, 3.0])))
    2.0
    """

    def __init__(self, l1=0.01):
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")

    def __call__(self, x):
        return _factor(self.l1, x) * ops.sum(ops.absolute(x))

    def get_config(self):
        return {"l1": float(self.l1)}


class L2(Regularizer):
    """Penalty ``l2 * sum(square(x))``.

    Args:
        l2: the L2 factor (None means 0.01).
    """

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x):
        return _factor(self.l2, x) * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": float(self.l2)}


class OrthogonalRegularizer(Regularizer):
    """Penalty that pushes the rows (or columns) of a 2D weight to be orthogonal.

    The penalty is ``factor * 0.5 * sum(abs(p)) / num_pairs``, where ``p`` holds the dot products
    of distinct pairs of L2-normalized rows (``mode="rows"``) or columns (``mode="columns"``).

    Args:
        factor: the regularization factor.
        mode: ``"rows"`` or ``"columns"``.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                "Invalid value for argument `mode`. Expected one of ('rows', 'columns'). "
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, inputs):
        if len(inputs.shape) != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. "
                f"Received: inputs.shape={tuple(inputs.shape)}"
            )
        if self.mode == "rows":
            inputs = ops.normalize(inputs, axis=1)
            product = ops.matmul(inputs, ops.transpose(inputs))
            size = inputs.shape[0]
        else:
            inputs = ops.normalize(inputs, axis=0)
            product = ops.matmul(ops.transpose(inputs), inputs)
            size = inputs.shape[1]
        off_diagonal = product * (1.0 - ops.eye(size, dtype=standardize_dtype(inputs.dtype)))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.absolute(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": float(self.factor), "mode": self.mode}
