"""Helpers of the reduction, product, nn, math, linalg, random, image and rnn modules, on top of
`kbackend_torch._utils`: computing float ops in a wide enough dtype, axis handling and argument
normalization."""

from __future__ import annotations

import numpy as np
import torch

from kbackend_torch._utils import dtype_name, float_array, to_torch, torch_dtype, widen
from kcore.backend.dtypes import result_type

_HALF_TORCH = (torch.float16, torch.bfloat16)

float_input = float_array

__all__ = [
    "as_tuple",
    "compute_dtype",
    "dims",
    "dtype_name",
    "float_input",
    "float_op",
    "merge_axes",
    "pair_float_dtype",
    "to_torch",
    "torch_dtype",
    "widen",
]


def float_op(fn, x):
    """`fn` on `x` as floats (half floats computed in float32), cast back to `x`'s float dtype."""
    x = float_array(x)
    if x.dtype in _HALF_TORCH:
        return fn(x.float()).to(x.dtype)
    return fn(x)


def pair_float_dtype(a, b) -> str:
    """The float result dtype of a binary op on `a` and `b` (ints and bools give floatx)."""
    return result_type(dtype_name(a), dtype_name(b), float)


def compute_dtype(dtype) -> torch.dtype:
    """The torch dtype to compute a float `dtype` result in: float32 at least."""
    dtype = torch_dtype(dtype)
    if dtype in _HALF_TORCH or not (dtype.is_floating_point or dtype.is_complex):
        return torch.float32
    return dtype


def as_tuple(value, n, name):
    """An int or a sequence of `n` ints as a tuple of `n` ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, got {value!r}.")
    return value


def dims(axis, ndim):
    """An `axis` argument as a sorted tuple of non-negative dims (all of them for None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return tuple(sorted(int(a) % max(ndim, 1) for a in axis))


def merge_axes(x: torch.Tensor, axis):
    """`x` with the `axis` dims moved to the end and flattened into one, for torch ops that
    reduce a single dim; also the shape of the result with kept (size-1) dims."""
    reduced = dims(axis, x.ndim)
    kept_shape = [1 if d in reduced else size for d, size in enumerate(x.shape)]
    others = [d for d in range(x.ndim) if d not in reduced]
    moved = x.permute(*others, *reduced) if x.ndim else x.reshape(1)
    return moved.reshape(*(x.shape[d] for d in others), -1), kept_shape
