"""Contract group ``numpy`` on JAX, part three: reductions, cumulative ops, statistics, counting.

float16 and bfloat16 inputs accumulate in float32 and are rounded to their dtype once.
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp

from kbackend_jax._utils import (
    axis_arg,
    dtype_name,
    float_dtype_of,
    is_inexact,
    jnp_dtype,
    promote_dtype,
    to_jax,
    widen,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype

_HALF = ("float16", "bfloat16")


def reduction_dtype(dtype: str) -> str:
    """The dtype of a sum or product: bools and small ints accumulate as 32-bit ints."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def _compute_dtype(dtype: str):
    """The jax dtype to compute a `dtype` result in (half floats in float32)."""
    return jnp.float32 if dtype in _HALF else jnp_dtype(dtype)


def _statistic(fn, x, dtype, **kwargs):
    """`fn` on `x` computed in float32 at least, with a result of `dtype`."""
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    return fn(x.astype(compute), **kwargs).astype(jnp_dtype(dtype))


# ---------------------------------------------------------------------------------------------
# Reductions


def sum(x, axis=None, keepdims=False):
    x = to_jax(x)
    dtype = reduction_dtype(dtype_name(x))
    total = jnp.sum(x, axis=axis_arg(axis), keepdims=keepdims, dtype=_compute_dtype(dtype))
    return total.astype(jnp_dtype(dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = to_jax(x)
    dtype = reduction_dtype(dtype_name(x)) if dtype is None else standardize_dtype(dtype)
    product = jnp.prod(x.astype(_compute_dtype(dtype)), axis=axis_arg(axis), keepdims=keepdims)
    return product.astype(jnp_dtype(dtype))


def mean(x, axis=None, keepdims=False):
    x = to_jax(x)
    dtype = dtype_name(x)
    dtype = dtype if is_inexact(dtype) else result_type(dtype, "float32")
    return _statistic(jnp.mean, x, dtype, axis=axis_arg(axis), keepdims=keepdims)


def _extremum(fn, x, axis, keepdims, initial):
    x = to_jax(x)
    if x.size == 0 and initial is None:
        raise ValueError(
            f"Cannot take the {fn.__name__} of an empty tensor (shape {x.shape}) without "
            "`initial`. Pass `initial=` or use a non-empty tensor."
        )
    return fn(x, axis=axis_arg(axis), keepdims=keepdims, initial=initial)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(jnp.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(jnp.min, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum(jnp.max, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum(jnp.min, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = to_jax(x)
    if x.size == 0:
        raise ValueError(f"Cannot take the range of an empty tensor (shape {x.shape}).")
    return jnp.ptp(x, axis=axis_arg(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(to_jax(x), axis=axis_arg(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(to_jax(x), axis=axis_arg(axis), keepdims=keepdims)


def _arg_extremum(fn, x, axis, keepdims):
    x = to_jax(x)
    dtype = dtype_name(x)
    if is_inexact(dtype) and not dtype.startswith("complex") and x.ndim:
        # -0.0 counts below 0.0: move it to the largest negative float32.
        x = x.astype(jnp.promote_types(x.dtype, jnp.float32))
        negative_zero = (x == 0.0) & jnp.signbit(x)
        x = jnp.where(negative_zero, -jnp.finfo(x.dtype).tiny, x)
    return fn(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg_extremum(jnp.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extremum(jnp.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(to_jax(x), axis=axis_arg(axis)).astype(jnp.int32)


def nansum(x, axis=None, keepdims=False):
    x = to_jax(x)
    dtype = reduction_dtype(dtype_name(x))
    total = jnp.nansum(x, axis=axis_arg(axis), keepdims=keepdims, dtype=_compute_dtype(dtype))
    return total.astype(jnp_dtype(dtype))


def nanprod(x, axis=None, keepdims=False):
    x = to_jax(x)
    dtype = reduction_dtype(dtype_name(x))
    product = jnp.nanprod(x.astype(_compute_dtype(dtype)), axis=axis_arg(axis), keepdims=keepdims)
    return product.astype(jnp_dtype(dtype))


def nanmean(x, axis=None, keepdims=False):
    x = to_jax(x)
    return _statistic(jnp.nanmean, x, float_dtype_of(x), axis=axis_arg(axis), keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return jnp.nanmax(to_jax(x), axis=axis_arg(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return jnp.nanmin(to_jax(x), axis=axis_arg(axis), keepdims=keepdims)


def _cumulative(fn, x, axis, dtype):
    x = to_jax(x)
    dtype = standardize_dtype(dtype or x.dtype)
    if dtype == "bool":
        dtype = "int32"
    compute = _compute_dtype(dtype)
    return fn(x.astype(compute), axis=axis, dtype=compute).astype(jnp_dtype(dtype))


def cumsum(x, axis=None, dtype=None):
    return _cumulative(jnp.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(jnp.cumprod, x, axis, dtype)


def diff(a, n=1, axis=-1):
    return jnp.diff(to_jax(a), n=n, axis=axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_jax(y)
    dtype = float_dtype_of(y)
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    x = None if x is None else to_jax(x).astype(compute)
    dx = to_jax(dx).astype(compute) if not isinstance(dx, (int, float)) else float(dx)
    return jnp.trapezoid(y.astype(compute), x, dx=dx, axis=axis).astype(jnp_dtype(dtype))


# ---------------------------------------------------------------------------------------------
# Statistics: bool and int inputs give floatx


def var(x, axis=None, keepdims=False):
    x = to_jax(x)
    dtype = float_dtype_of(x)
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    result = jnp.var(x.astype(compute), axis=axis_arg(axis), keepdims=keepdims)
    return (result.real if "complex" in dtype else result).astype(jnp_dtype(dtype))


def std(x, axis=None, keepdims=False):
    x = to_jax(x)
    return _statistic(jnp.std, x, float_dtype_of(x), axis=axis_arg(axis), keepdims=keepdims)


def average(x, axis=None, weights=None):
    x = to_jax(x)
    if weights is None:
        return mean(x.astype(jnp_dtype(result_type(x.dtype, float))), axis=axis)
    weights = to_jax(weights)
    dtype = result_type(x.dtype, float, weights.dtype)
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    result = jnp.average(x.astype(compute), axis=axis_arg(axis), weights=weights.astype(compute))
    return result.astype(jnp_dtype(dtype))


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_jax(x)
    dtype = float_dtype_of(x)
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    result = jnp.quantile(
        x.astype(compute),
        to_jax(q).astype(compute),
        axis=axis_arg(axis),
        method=method,
        keepdims=keepdims,
    )
    return result.astype(jnp_dtype(dtype))


def median(x, axis=None, keepdims=False):
    x = to_jax(x)
    return _statistic(jnp.median, x, float_dtype_of(x), axis=axis_arg(axis), keepdims=keepdims)


def corrcoef(x):
    x = to_jax(x)
    return _statistic(jnp.corrcoef, x, float_dtype_of(x))


def correlate(x1, x2, mode="valid"):
    dtype = promote_dtype(x1, x2)
    dtype = dtype if is_inexact(dtype) else result_type(dtype, float)
    x1, x2 = to_jax(x1), to_jax(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(
            f"correlate needs two 1-D tensors, but received shapes {x1.shape} and {x2.shape}."
        )
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    result = jnp.correlate(x1.astype(compute), x2.astype(compute), mode=mode)
    return result.astype(jnp_dtype(dtype))


# ---------------------------------------------------------------------------------------------
# Counting (the result length of bincount depends on values: not traceable)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported by the JAX backend.")
    x = to_jax(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"bincount needs a 1-D or 2-D `x`, but received shape {x.shape}.")
    if x.size and int(jnp.min(x)) < 0:
        raise ValueError("bincount needs non-negative values in `x`.")
    length = builtins.max(int(minlength), int(jnp.max(x)) + 1 if x.size else 0)
    if weights is None:
        dtype = "int32"
    else:
        weights = to_jax(weights)
        dtype = result_type(x.dtype, weights.dtype)
        weights = weights.astype(jnp.promote_types(jnp_dtype(dtype), jnp.float32))

    def count(row, row_weights):
        return jnp.bincount(row, weights=row_weights, length=length)

    if x.ndim == 2:
        counts = (
            jax.vmap(count)(x, weights)
            if weights is not None
            else jax.vmap(lambda row: count(row, None))(x)
        )
    else:
        counts = count(x, weights)
    return counts.astype(jnp_dtype(dtype))


def histogram(x, bins=10, range=None):
    x = to_jax(x)
    if x.ndim != 1:
        raise ValueError(f"histogram needs a 1-D `x`, but received shape {x.shape}.")
    dtype = float_dtype_of(x)
    compute = jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    counts, edges = jnp.histogram(x.astype(compute), bins=bins, range=range)
    return counts.astype(jnp.int32), edges.astype(jnp_dtype(dtype))


def digitize(x, bins):
    x, bins = widen(to_jax(x)), widen(to_jax(bins))
    return jnp.digitize(x, bins).astype(jnp.int32)


__all__ = exported(globals())
