"""Contract group ``numpy`` on numpy, part two: creation, shapes, indexing, sorting, products."""

from __future__ import annotations

import numpy as np

from kcore import config
from kcore.backend.dtypes import result_type
from kcore.backend.numpy._utils import np_dtype, to_array

__all__ = ["matmul", "reshape", "zeros"]


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=np_dtype(dtype or config.floatx()))


def matmul(x1, x2):
    x1, x2 = to_array(x1), to_array(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    if dtype in ("bool", "int8", "uint8", "int16", "uint16"):
        dtype = "int32"
    return np.matmul(x1.astype(np_dtype(dtype)), x2.astype(np_dtype(dtype)))


def reshape(x, newshape):
    return np.reshape(to_array(x), newshape)
