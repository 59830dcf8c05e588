"""Shared helpers of the numpy backend's element-wise and reduction modules."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from kcore.backend.dtypes import result_type, standardize_dtype
from kcore.backend.numpy._utils import float_result, np_dtype, promote, promotion_key, to_array

_HALF = ("float16", "bfloat16")


def _dtype(x) -> str:
    return standardize_dtype(x.dtype)


def _is_inexact(dtype: str) -> bool:
    return dtype.startswith(("float", "bfloat", "complex"))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _wide(x: np.ndarray) -> np.ndarray:
    """`x`, with float16 and bfloat16 widened to float32 for computing."""
    return x.astype(np.float32) if _dtype(x) in _HALF else x


def _out(value, dtype) -> np.ndarray:
    return np.asarray(value).astype(np_dtype(dtype), copy=False)


@contextlib.contextmanager
def _quiet():
    """Silences numpy's floating-point and empty-slice warnings (NaN results are intended)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _unary_float(fn, x) -> np.ndarray:
    """`fn` on `x` as floats: ints and bools become floatx, floats keep their dtype."""
    x = float_result(x)
    with _quiet():
        return _out(fn(_wide(x)), _dtype(x))


def _float_of(*values) -> str:
    """`result_type` of `values` and a weak float."""
    return result_type(*(promotion_key(v) for v in values), float)


def _binary_float(fn, x1, x2) -> np.ndarray:
    dtype = _float_of(x1, x2)
    x1, x2 = to_array(x1, dtype), to_array(x2, dtype)
    with _quiet():
        return _out(fn(_wide(x1), _wide(x2)), dtype)


def _binary(fn, x1, x2) -> np.ndarray:
    """`fn` on `x1` and `x2` promoted to their `result_type`, with a result of that dtype."""
    x1, x2 = promote(x1, x2)
    dtype = _dtype(x1)
    with _quiet():
        return _out(fn(_wide(x1), _wide(x2)), dtype)


def _compare(fn, x1, x2) -> np.ndarray:
    x1, x2 = promote(x1, x2)
    return np.asarray(fn(x1, x2))


def _int_to_float(dtype: str) -> str:
    """Keras's rule for ops that are float-only: int and bool results become floats."""
    return dtype if _is_inexact(dtype) else result_type(dtype, float)


def _reduction_dtype(dtype: str) -> str:
    """The dtype of a sum or product: bools and small ints accumulate as 32-bit ints."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype
