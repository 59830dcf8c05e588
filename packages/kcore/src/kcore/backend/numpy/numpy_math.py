"""Contract group ``numpy`` on numpy, part one: element-wise math, logic, reductions, statistics."""

from __future__ import annotations

import numpy as np

from kcore.backend.dtypes import standardize_dtype
from kcore.backend.numpy._utils import np_dtype, promote, to_array

__all__ = ["add", "sum"]


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.add(x1, x2)


def sum(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16"):
        dtype = "int32"
    elif dtype in ("uint8", "uint16"):
        dtype = "uint32"
    axis = tuple(axis) if isinstance(axis, list) else axis
    return np.asarray(np.sum(x, axis=axis, keepdims=keepdims, dtype=np_dtype(dtype)))
