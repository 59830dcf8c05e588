"""Conversions shared by the numpy backend's modules."""

from __future__ import annotations

import functools

import numpy as np

from kcore.backend.dtypes import result_type, standardize_dtype


@functools.cache
def np_dtype(dtype) -> np.dtype:
    """The numpy dtype for a kcore dtype name (bfloat16 and float8 come from ml_dtypes)."""
    name = standardize_dtype(dtype)
    if name == "string":
        return np.dtype(object)
    if name == "bfloat16" or name.startswith("float8"):
        import ml_dtypes

        return np.dtype(getattr(ml_dtypes, name))
    return np.dtype(name)


def _leaf_dtypes(x, out):
    if isinstance(x, (list, tuple)):
        for item in x:
            _leaf_dtypes(item, out)
    else:
        out.append(getattr(x, "dtype", type(x)))
    return out


def to_array(x, dtype=None) -> np.ndarray:
    """`convert_to_tensor` for the numpy backend."""
    if isinstance(x, (np.ndarray, np.generic)):
        if dtype is not None and standardize_dtype(x.dtype) != standardize_dtype(dtype):
            return np.asarray(x).astype(np_dtype(dtype))
        return np.asarray(x)
    if hasattr(x, "__array__") and not isinstance(x, (list, tuple)):
        return to_array(np.asarray(x), dtype)
    if dtype is None:
        leaves = _leaf_dtypes(x, [])
        if leaves and all(t is str for t in leaves):
            return np.array(x, dtype=object)
        dtype = result_type(*leaves) if leaves else None
    return np.array(x, dtype=np_dtype(dtype))


def promotion_key(value):
    """What `result_type` sees of a value: its dtype, or the weak Python type of a scalar."""
    if isinstance(value, (bool, int, float, complex)):
        return type(value)
    dtype = getattr(value, "dtype", None)
    return dtype if dtype is not None else to_array(value).dtype


def promote(*values):
    """Converts `values` to arrays of their common dtype by Keras's promotion rules."""
    dtype = result_type(*(promotion_key(v) for v in values))
    return [to_array(v, dtype) for v in values]


def float_result(x) -> np.ndarray:
    """`x` as an array of a float dtype: ints and bools become floatx, floats keep theirs."""
    x = to_array(x)
    dtype = standardize_dtype(x.dtype)
    if dtype.startswith(("float", "bfloat", "complex")):
        return x
    return x.astype(np_dtype(result_type(dtype, float)))
