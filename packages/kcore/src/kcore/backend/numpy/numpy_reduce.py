"""Contract group ``numpy`` on numpy, part three: reductions, cumulative ops and statistics.

Statistics are computed in float64 and rounded to the result dtype once.
"""

from __future__ import annotations

import builtins

import numpy as np

from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype
from kcore.backend.numpy._math_helpers import (
    _HALF,
    _axis,
    _dtype,
    _float_of,
    _int_to_float,
    _is_inexact,
    _out,
    _quiet,
    _reduction_dtype,
    _wide,
)
from kcore.backend.numpy._utils import np_dtype, promotion_key, to_array

# ---------------------------------------------------------------------------------------------
# Reductions


def sum(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _reduction_dtype(_dtype(x))
    return np.asarray(np.sum(_wide(x), axis=_axis(axis), keepdims=keepdims)).astype(np_dtype(dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = to_array(x)
    dtype = _reduction_dtype(_dtype(x)) if dtype is None else standardize_dtype(dtype)
    compute = np.float32 if dtype in _HALF else np_dtype(dtype)
    return _out(np.prod(x.astype(compute), axis=_axis(axis), keepdims=keepdims), dtype)


def mean(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _dtype(x)
    dtype = dtype if _is_inexact(dtype) else result_type(dtype, "float32")
    compute = np.complex128 if dtype.startswith("complex") else np.float64
    with _quiet():
        return _out(np.mean(x.astype(compute), axis=_axis(axis), keepdims=keepdims), dtype)


def _extremum(fn, x, axis, keepdims, initial):
    x = to_array(x)
    if x.size == 0 and initial is None:
        raise ValueError(
            f"Cannot take the {fn.__name__} of an empty tensor (shape {x.shape}) without "
            "`initial`. Pass `initial=` or use a non-empty tensor."
        )
    extra = {} if initial is None else {"initial": initial}
    return _out(fn(_wide(x), axis=_axis(axis), keepdims=keepdims, **extra), _dtype(x))


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(np.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(np.min, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum(np.max, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum(np.min, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = to_array(x)
    if x.size == 0:
        raise ValueError(f"Cannot take the range of an empty tensor (shape {x.shape}).")
    return _out(np.ptp(_wide(x), axis=_axis(axis), keepdims=keepdims), _dtype(x))


def all(x, axis=None, keepdims=False):
    return np.asarray(np.all(to_array(x), axis=_axis(axis), keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    return np.asarray(np.any(to_array(x), axis=_axis(axis), keepdims=keepdims))


def _arg_extremum(fn, x, axis, keepdims):
    x = to_array(x)
    if _is_inexact(_dtype(x)) and not _dtype(x).startswith("complex"):
        x = x.astype(np.float64)
        # -0.0 sorts below 0.0, as in JAX.
        x = np.where((x == 0.0) & np.signbit(x), -np.finfo(np.float64).tiny, x)
    return _out(fn(x, axis=axis, keepdims=keepdims), "int32")


def argmax(x, axis=None, keepdims=False):
    return _arg_extremum(np.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extremum(np.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    return _out(np.count_nonzero(to_array(x), axis=_axis(axis)), "int32")


def nansum(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _reduction_dtype(_dtype(x))
    return _out(np.nansum(_wide(x), axis=_axis(axis), keepdims=keepdims), dtype)


def nanprod(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _reduction_dtype(_dtype(x))
    compute = np.float32 if dtype in _HALF else np_dtype(dtype)
    return _out(np.nanprod(x.astype(compute), axis=_axis(axis), keepdims=keepdims), dtype)


def nanmean(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    compute = np.complex128 if dtype.startswith("complex") else np.float64
    with _quiet():
        return _out(np.nanmean(x.astype(compute), axis=_axis(axis), keepdims=keepdims), dtype)


def _nan_extremum(fn, x, axis, keepdims):
    x = to_array(x)
    with _quiet():
        return _out(fn(_wide(x), axis=_axis(axis), keepdims=keepdims), _dtype(x))


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(np.nanmax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(np.nanmin, x, axis, keepdims)


def _cumulative(fn, x, axis, dtype):
    x = to_array(x)
    dtype = standardize_dtype(dtype or x.dtype)
    if dtype == "bool":
        dtype = "int32"
    compute = np.float32 if dtype in _HALF else np_dtype(dtype)
    return _out(fn(x.astype(compute), axis=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(np.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(np.cumprod, x, axis, dtype)


def diff(a, n=1, axis=-1):
    a = to_array(a)
    return _out(np.diff(_wide(a), n=n, axis=axis), _dtype(a))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_array(y)
    dtype = _float_of(y)
    x = None if x is None else to_array(x).astype(np.float64)
    dx = float(dx) if isinstance(dx, (int, float)) else to_array(dx).astype(np.float64)
    return _out(np.trapezoid(y.astype(np.float64), x, dx=dx, axis=axis), dtype)


# ---------------------------------------------------------------------------------------------
# Statistics


def var(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    compute = np.complex128 if dtype.startswith("complex") else np.float64
    with _quiet():
        result = np.var(x.astype(compute), axis=_axis(axis), keepdims=keepdims)
    return _out(result.real if dtype.startswith("complex") else result, dtype)


def std(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    with _quiet():
        return _out(np.std(x.astype(np.float64), axis=_axis(axis), keepdims=keepdims), dtype)


def average(x, axis=None, weights=None):
    x = to_array(x)
    if weights is None:
        return mean(x.astype(np_dtype(result_type(x.dtype, float))), axis=axis)
    weights = to_array(weights)
    dtype = result_type(x.dtype, float, weights.dtype)
    values, weights = x.astype(np.float64), weights.astype(np.float64)
    axis = _axis(axis)
    if weights.shape != values.shape:
        if not isinstance(axis, int) or weights.ndim != 1 or len(weights) != values.shape[axis]:
            raise ValueError(
                f"average: 1-D `weights` must have the length of `x` along `axis`; received "
                f"x of shape {values.shape}, weights of shape {weights.shape}, axis={axis}."
            )
        shape = [1] * values.ndim
        shape[axis] = -1
        weights = np.broadcast_to(weights.reshape(shape), values.shape)
    with _quiet():
        total = np.sum(values * weights, axis=axis) / np.sum(weights, axis=axis)
    return _out(total, dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    q = to_array(q).astype(np.float64)
    with _quiet():
        result = np.quantile(
            x.astype(np.float64), q, axis=_axis(axis), method=method, keepdims=keepdims
        )
    return _out(result, dtype)


def median(x, axis=None, keepdims=False):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    with _quiet():
        return _out(np.median(x.astype(np.float64), axis=_axis(axis), keepdims=keepdims), dtype)


def corrcoef(x):
    x = to_array(x)
    dtype = _int_to_float(_dtype(x))
    with _quiet():
        return _out(np.corrcoef(x.astype(np.float64)), dtype)


def correlate(x1, x2, mode="valid"):
    dtype = _int_to_float(result_type(promotion_key(x1), promotion_key(x2)))
    x1, x2 = to_array(x1), to_array(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(
            f"correlate needs two 1-D tensors, but received shapes {x1.shape} and {x2.shape}."
        )
    compute = np.complex128 if dtype.startswith("complex") else np.float64
    return _out(np.correlate(x1.astype(compute), x2.astype(compute), mode=mode), dtype)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported by the numpy backend.")
    x = to_array(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"bincount needs a 1-D or 2-D `x`, but received shape {x.shape}.")
    if x.size and x.min() < 0:
        raise ValueError("bincount needs non-negative values in `x`.")
    if weights is None:
        dtype = "int32"
    else:
        weights = to_array(weights)
        dtype = result_type(x.dtype, weights.dtype)
    length = builtins.max(int(minlength), int(x.max()) + 1 if x.size else 0)
    rows = x.reshape(-1, x.shape[-1]) if x.ndim == 2 else x[None]
    row_weights = [None] * len(rows) if weights is None else weights.reshape(rows.shape)
    counts = [
        np.bincount(row.astype(np.int64), weights=w, minlength=length)
        for row, w in zip(rows, row_weights)
    ]
    counts = np.stack(counts) if counts else np.zeros((0, length))
    return _out(counts if x.ndim == 2 else counts[0], dtype)


def histogram(x, bins=10, range=None):
    x = to_array(x)
    if x.ndim != 1:
        raise ValueError(f"histogram needs a 1-D `x`, but received shape {x.shape}.")
    dtype = _int_to_float(_dtype(x))
    counts, edges = np.histogram(x.astype(np.float64), bins=bins, range=range)
    return _out(counts, "int32"), _out(edges, dtype)


def digitize(x, bins):
    x, bins = to_array(x), to_array(bins)
    return _out(np.digitize(_wide(x), _wide(bins)), "int32")


__all__ = exported(globals())
