"""`KerasTensor`: a symbolic tensor (shape and dtype, no value) for building Functional models.

Every `kcore.ops` function accepts KerasTensors and returns KerasTensors with the shape and dtype
the eager op would produce; ``None`` marks a dimension unknown until run time.

Example:

>>> import kcore
>>> x = kcore.KerasTensor((None, 3))
>>> y = kcore.ops.matmul(x, kcore.ops.ones((3, 5)))
>>> y.shape, y.dtype
((None, 5), 'float32')
"""

from __future__ import annotations

from kcore.backend._operators import install_operators


class KerasTensor:
    """A symbolic tensor: a shape (``None`` for unknown dims) and a dtype, but no value."""

    # The graph node that produced it and its index among that node's outputs (`kcore.ops.node`).
    _keras_history = None
    # The symbolic mask that goes with it (masking layers), or None.
    _keras_mask = None

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None):
        from kcore.backend.dtypes import standardize_dtype

        try:
            self._shape = tuple(None if d is None else int(d) for d in shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"KerasTensor shape must be a tuple of ints or None, got shape={shape!r}"
            ) from None
        if any(d is not None and d < 0 for d in self._shape):
            raise ValueError(f"KerasTensor shape dims must be >= 0 or None, got shape={shape!r}")
        self._dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self._shape}, dtype={self._dtype}{name}>"

    def __len__(self):
        if not self._shape or self._shape[0] is None:
            raise TypeError(f"len() of a KerasTensor with shape {self._shape} is unknown")
        return self._shape[0]

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported; use kcore.ops.unstack."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no truth value; use kcore.ops.cond or kcore.ops.where."
        )

    def __array__(self, dtype=None, copy=None):
        raise ValueError(
            "A KerasTensor is symbolic: it holds no value and cannot be converted to numpy. "
            "Call the model or op on real data instead."
        )

    def reshape(self, newshape):
        return _ops().reshape(self, newshape)

    def squeeze(self, axis=None):
        return _ops().squeeze(self, axis=axis)

    @property
    def T(self):
        return _ops().transpose(self)

    def astype(self, dtype):
        return _ops().cast(self, dtype)

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    def __neg__(self):
        return _ops().negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops().absolute(self)

    def __invert__(self):
        return _ops().logical_not(self) if self.dtype == "bool" else _ops().bitwise_invert(self)


install_operators(KerasTensor)
KerasTensor.__hash__ = object.__hash__


def _ops():
    import kcore.ops

    return kcore.ops


def is_keras_tensor(x) -> bool:
    """Whether `x` is a symbolic `KerasTensor`."""
    return isinstance(x, KerasTensor)
