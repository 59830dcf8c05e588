"""`InputSpec`: what a layer accepts (rank, axis sizes, dtype), checked on every call."""

from __future__ import annotations

import optree

from kcore.backend.dtypes import standardize_dtype


class InputSpec:
    """The rank, dtype and axis sizes a layer's input must have.

    Args:
        dtype: the expected dtype, or None.
        shape: the expected shape (``None`` for any size on that axis), or None.
        ndim, max_ndim, min_ndim: the expected rank, or bounds on it.
        axes: a dict `{axis: size}` of axis sizes that must match (negative axes count from the end).
        allow_last_axis_squeeze: accept inputs whose last axis of size 1 is missing or extra.
        name: the input's name (for dict inputs).
        optional: whether the input may be None.

    Example:

    >>> spec = InputSpec(ndim=2, axes={-1: 3})
    >>> spec
    InputSpec(ndim=2, axes={-1: 3})
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = tuple(shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (TypeError, ValueError):
            raise TypeError(f"InputSpec axes keys must be ints, got axes={axes!r}") from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            top = (self.ndim or self.max_ndim) - 1
            if max(self.axes) > top:
                raise ValueError(f"InputSpec axis {max(self.axes)} is beyond the rank {top + 1}.")

    def __repr__(self):
        fields = [
            f"{key}={value}"
            for key, value in (
                ("dtype", self.dtype),
                ("shape", self.shape),
                ("ndim", self.ndim),
                ("max_ndim", self.max_ndim),
                ("min_ndim", self.min_ndim),
                ("axes", self.axes or None),
            )
            if value is not None
        ]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self) -> dict:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _leaves(structure) -> list:
    return optree.tree_leaves(structure, none_is_leaf=True, is_leaf=lambda x: hasattr(x, "shape"))


def assert_input_compatibility(input_spec, inputs, layer_name: str) -> None:
    """Raises a ValueError naming the layer, the expectation and the received shape when `inputs`
    do not fit `input_spec` (one `InputSpec`, or a list of them, one per flat input)."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    if isinstance(inputs, dict) and all(s.name for s in specs if s is not None):
        flat = [inputs.get(s.name) for s in specs]
    else:
        flat = _leaves(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} '
            f"input tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        if x is None:
            if spec.optional:
                continue
            raise ValueError(f'Input {index} of layer "{layer_name}" is None but is not optional.')
        _check_one(spec, x, index, layer_name)


def _check_one(spec: InputSpec, x, index: int, layer_name: str) -> None:
    shape = tuple(x.shape)
    rank = len(shape)
    where = f'Input {index} of layer "{layer_name}" is incompatible with the layer'

    if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
        raise ValueError(
            f"{where}: expected ndim={spec.ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise ValueError(
            f"{where}: expected max_ndim={spec.max_ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise ValueError(
            f"{where}: expected min_ndim={spec.min_ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.dtype is not None:
        dtype = standardize_dtype(x.dtype)
        if dtype != spec.dtype:
            raise ValueError(f"{where}: expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        position = axis if axis >= 0 else rank + axis
        if not 0 <= position < rank or shape[position] not in (size, None):
            raise ValueError(
                f"{where}: expected axis {axis} of input shape to have value {size}, but received "
                f"input with shape {shape}"
            )
    if spec.shape is not None:
        expected = spec.shape
        if spec.allow_last_axis_squeeze:
            shape = shape[:-1] if shape and shape[-1] == 1 else shape
            expected = expected[:-1] if expected and expected[-1] == 1 else expected
        if len(expected) != len(shape) or any(
            e is not None and s is not None and e != s for e, s in zip(expected, shape)
        ):
            raise ValueError(f"{where}: expected shape={spec.shape}, found shape={tuple(x.shape)}")
