"""Contract group ``numpy`` on numpy."""

from __future__ import annotations

import numpy as np

from kcore.backend.numpy._utils import to_array

__all__ = []

from kcore import config
from kcore.backend.dtypes import result_type, standardize_dtype
from kcore.backend.numpy._utils import np_dtype, promote

__all__ += ["add", "matmul", "reshape", "sum", "zeros"]


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=np_dtype(dtype or config.floatx()))


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.add(x1, x2)


def matmul(x1, x2):
    x1, x2 = to_array(x1), to_array(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    if dtype in ("bool", "int8", "uint8", "int16", "uint16"):
        dtype = "int32"
    return np.matmul(x1.astype(np_dtype(dtype)), x2.astype(np_dtype(dtype)))


def sum(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16"):
        dtype = "int32"
    elif dtype in ("uint8", "uint16"):
        dtype = "uint32"
    axis = tuple(axis) if isinstance(axis, list) else axis
    return np.asarray(np.sum(x, axis=axis, keepdims=keepdims, dtype=np_dtype(dtype)))


def reshape(x, newshape):
    return np.reshape(to_array(x), newshape)
