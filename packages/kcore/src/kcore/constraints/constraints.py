"""Keras 3's weight constraints: `Constraint`, `MaxNorm`, `MinMaxNorm`, `NonNeg`, `UnitNorm`.

A constraint maps a weight to its projection; optimizers apply it after each update.
"""

from __future__ import annotations

from kcore import ops
from kcore.config import epsilon


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class of weight constraints: a stateless projection ``w -> constrained w``.

    A subclass overrides ``__call__(w)`` (and ``get_config()`` if it takes arguments).

    Example:

    >>> import kcore
    >>> class NonNegative(kcore.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return kcore.ops.maximum(w, 0.0)
    >>> kcore.ops.convert_to_numpy(NonNegative()([-1.0, 1.0])).tolist()
    [0.0, 1.0]
    """

    _keras_module = "keras.constraints"  # kcore subclasses are saved under it

    def __call__(self, w):
        """Returns the constrained weight (the base class returns `w` unchanged).

        Args:
            w: the weight tensor.
        """
        return w

    def get_config(self):
        """Returns the constraint's constructor arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds a constraint from a `get_config()` dict.

        Args:
            config: the dict `get_config()` returned.
        """
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales the weights of each unit so their norm is at most `max_value`.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norms are computed along: 0 for a ``Dense`` kernel
            ``(input_dim, units)``, ``[0, 1, 2]`` for a channels-last ``Conv2D`` kernel.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return ops.cast(w, norms.dtype) * (desired / (epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to 0."""

    def __call__(self, w):
        return ops.maximum(ops.convert_to_tensor(w), 0)


class UnitNorm(Constraint):
    """Rescales the weights of each unit to norm 1.

    Args:
        axis: the axis (or axes) the norms are computed along (see `MaxNorm`).
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return ops.cast(w, norms.dtype) / (epsilon() + norms)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Rescales the weights of each unit so their norm lies in ``[min_value, max_value]``.

    Args:
        min_value: the smallest norm allowed.
        max_value: the largest norm allowed.
        rate: how strictly: the norm becomes ``(1 - rate) * norm + rate * clip(norm, min_value,
            max_value)`` (1.0 enforces the bounds at once).
        axis: the axis (or axes) the norms are computed along (see `MaxNorm`).
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return ops.cast(w, norms.dtype) * (desired / (epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
