"""Contract group ``numpy`` on TensorFlow, part three: reductions, cumulative ops, statistics and
counting.

float16 and bfloat16 inputs accumulate in float32 and are rounded to their dtype once. Every op
works inside `tf.function` (value checks, such as an empty input, run only where values or static
shapes are known).
"""

from __future__ import annotations

import builtins

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import compute_dtype, moveaxis, shape_of
from kbackend_tf._utils import (
    axis_arg,
    dtype_name,
    float_dtype_of,
    is_inexact,
    promote_dtype,
    tf_dtype,
    to_tf,
    widen,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype


def reduction_dtype(dtype: str) -> str:
    """The dtype of a sum or product: bools and small ints accumulate as 32-bit ints."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def _as(x, dtype):
    """`x` cast to tf dtype `dtype` (no op when it already has it)."""
    return x if x.dtype == dtype else tf.cast(x, dtype)


def _statistic_dtype(dtype) -> tf.DType:
    """The dtype a float statistic of result `dtype` (a tf dtype) computes in: float32 at
    least."""
    return tf_dtype(result_type(dtype.name, "float32"))


def _axes(axis, rank):
    """`axis` as a sorted list of non-negative axes (all axes for None)."""
    if axis is None:
        return list(range(rank))
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return sorted(int(a) % rank for a in axes)


def _is_empty(x) -> bool:
    """Whether `x` is statically known to hold no element."""
    return x.shape.num_elements() == 0


# ---------------------------------------------------------------------------------------------
# Reductions


def sum(x, axis=None, keepdims=False):
    x = to_tf(x)
    dtype = tf_dtype(reduction_dtype(dtype_name(x)))
    total = tf.reduce_sum(_as(x, compute_dtype(dtype)), axis=axis_arg(axis), keepdims=keepdims)
    return _as(total, dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = to_tf(x)
    dtype = reduction_dtype(dtype_name(x)) if dtype is None else standardize_dtype(dtype)
    dtype = tf_dtype(dtype)
    product = tf.reduce_prod(_as(x, compute_dtype(dtype)), axis=axis_arg(axis), keepdims=keepdims)
    return _as(product, dtype)


def mean(x, axis=None, keepdims=False):
    x = to_tf(x)
    dtype = dtype_name(x)
    dtype = tf_dtype(dtype if is_inexact(dtype) else result_type(dtype, "float32"))
    compute = _statistic_dtype(dtype)
    return _as(tf.reduce_mean(_as(x, compute), axis=axis_arg(axis), keepdims=keepdims), dtype)


def _bool_safe(reduce, x):
    """`reduce` on `x`, with bools reduced as uint8 (TF has no bool max or min)."""
    if x.dtype == tf.bool:
        return lambda *a, **k: tf.cast(reduce(tf.cast(x, tf.uint8), *a, **k), tf.bool)
    return lambda *a, **k: reduce(x, *a, **k)


def _extremum(reduce, combine, x, axis, keepdims, initial, what):
    x = to_tf(x)
    if _is_empty(x) and initial is None:
        raise ValueError(
            f"Cannot take the {what} of an empty tensor (shape {x.shape}) without `initial`. "
            "Pass `initial=` or use a non-empty tensor."
        )
    if initial is not None and _is_empty(x):
        # An empty reduction gives the dtype's identity, which `initial` then replaces.
        shape = _reduced_shape(x, axis, keepdims)
        return tf.fill(shape, tf.constant(initial, x.dtype))
    result = _bool_safe(reduce, x)(axis=axis_arg(axis), keepdims=keepdims)
    if initial is not None:
        result = combine(result, tf.constant(initial, x.dtype))
    return result


def _reduced_shape(x, axis, keepdims):
    shape = shape_of(x)
    axes = _axes(axis, len(shape))
    if keepdims:
        return [1 if i in axes else d for i, d in enumerate(shape)]
    return [d for i, d in enumerate(shape) if i not in axes]


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(tf.reduce_max, tf.maximum, x, axis, keepdims, initial, "max")


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(tf.reduce_min, tf.minimum, x, axis, keepdims, initial, "min")


def amax(x, axis=None, keepdims=False):
    return max(x, axis, keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis, keepdims)


def ptp(x, axis=None, keepdims=False):
    x = to_tf(x)
    if _is_empty(x):
        raise ValueError(f"Cannot take the range of an empty tensor (shape {x.shape}).")
    return max(x, axis, keepdims) - min(x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    return tf.reduce_all(tf.cast(to_tf(x), tf.bool), axis=axis_arg(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return tf.reduce_any(tf.cast(to_tf(x), tf.bool), axis=axis_arg(axis), keepdims=keepdims)


def _arg_extremum(fn, x, axis, keepdims):
    x = to_tf(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.uint8)
    elif x.dtype.is_floating:
        # -0.0 counts below 0.0: move it to the smallest negative normal float32.
        x = widen(x)
        negative_zero = tf.equal(x, 0.0) & tf.math.less(tf.math.reciprocal(x), 0.0)
        x = tf.where(negative_zero, tf.constant(-np.finfo(np.float32).tiny, x.dtype), x)
    if axis is None:
        result = fn(tf.reshape(x, [-1]), axis=0, output_type=tf.int32)
        return tf.reshape(result, [1] * x.shape.rank) if keepdims else result
    result = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(result, axis) if keepdims else result


def argmax(x, axis=None, keepdims=False):
    return _arg_extremum(tf.math.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extremum(tf.math.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    x = to_tf(x)
    nonzero = tf.cast(x, tf.bool) if x.dtype != tf.bool else x
    return tf.reduce_sum(tf.cast(nonzero, tf.int32), axis=axis_arg(axis))


def _without_nan(x, fill):
    if not x.dtype.is_floating:
        return x
    return tf.where(tf.math.is_nan(x), tf.constant(fill, x.dtype), x)


def nansum(x, axis=None, keepdims=False):
    return sum(_without_nan(to_tf(x), 0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_without_nan(to_tf(x), 1), axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = to_tf(x)
    dtype = tf_dtype(float_dtype_of(x))
    x = _as(x, _statistic_dtype(dtype))
    present = tf.cast(~tf.math.is_nan(x), x.dtype)
    total = tf.reduce_sum(_without_nan(x, 0), axis=axis_arg(axis), keepdims=keepdims)
    count = tf.reduce_sum(present, axis=axis_arg(axis), keepdims=keepdims)
    return _as(total / count, dtype)


def _nan_extremum(reduce, fill, x, axis, keepdims):
    x = to_tf(x)
    if not x.dtype.is_floating:
        return _bool_safe(reduce, x)(axis=axis_arg(axis), keepdims=keepdims)
    result = reduce(_without_nan(x, fill), axis=axis_arg(axis), keepdims=keepdims)
    all_nan = tf.reduce_all(tf.math.is_nan(x), axis=axis_arg(axis), keepdims=keepdims)
    return tf.where(all_nan, tf.constant(np.nan, x.dtype), result)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(tf.reduce_max, -np.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(tf.reduce_min, np.inf, x, axis, keepdims)


def _cumulative(fn, x, axis, dtype):
    x = to_tf(x)
    dtype = standardize_dtype(dtype or dtype_name(x))
    if dtype == "bool":
        dtype = "int32"
    dtype = tf_dtype(dtype)
    x = _as(x, compute_dtype(dtype))
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return _as(fn(x, axis=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(tf.math.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(tf.math.cumprod, x, axis, dtype)


def _slice_along(x, axis, start, stop):
    """`x[..., start:stop, ...]` on `axis` (None bounds for open ends)."""
    index = [slice(None)] * x.shape.rank
    index[axis] = slice(start, stop)
    return x[tuple(index)]


def diff(a, n=1, axis=-1):
    a = to_tf(a)
    axis = int(axis) % a.shape.rank
    for _ in range(int(n)):
        if a.dtype == tf.bool:
            a = tf.not_equal(_slice_along(a, axis, 1, None), _slice_along(a, axis, None, -1))
        else:
            a = _slice_along(a, axis, 1, None) - _slice_along(a, axis, None, -1)
    return a


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_tf(y)
    dtype = tf_dtype(float_dtype_of(y))
    compute = _statistic_dtype(dtype)
    y = _as(y, compute)
    axis = int(axis) % y.shape.rank
    if x is None:
        spacing = _as(to_tf(dx), compute) if not isinstance(dx, (int, float)) else float(dx)
    elif to_tf(x).shape.rank == 1:
        # 1-D sample points lie along `axis`.
        x = _as(to_tf(x), compute)
        shape = [1] * y.shape.rank
        shape[axis] = -1
        spacing = tf.reshape(x[1:] - x[:-1], shape)
    else:
        x = _as(to_tf(x), compute)
        spacing = _slice_along(x, axis, 1, None) - _slice_along(x, axis, None, -1)
    heights = (_slice_along(y, axis, 1, None) + _slice_along(y, axis, None, -1)) / 2.0
    return _as(tf.reduce_sum(heights * spacing, axis=axis), dtype)


# ---------------------------------------------------------------------------------------------
# Statistics: bool and int inputs give floatx


def var(x, axis=None, keepdims=False):
    x = to_tf(x)
    dtype = tf_dtype(float_dtype_of(x))
    x = _as(x, _statistic_dtype(dtype))
    axis = axis_arg(axis)
    centered = x - tf.reduce_mean(x, axis=axis, keepdims=True)
    if x.dtype.is_complex:
        squared = tf.math.real(centered * tf.math.conj(centered))
        return _as(tf.reduce_mean(squared, axis=axis, keepdims=keepdims), dtype.real_dtype)
    return _as(tf.reduce_mean(tf.square(centered), axis=axis, keepdims=keepdims), dtype)


def std(x, axis=None, keepdims=False):
    x = to_tf(x)
    dtype = tf_dtype(float_dtype_of(x))
    variance = var(_as(x, _statistic_dtype(dtype)), axis, keepdims)
    return _as(tf.sqrt(variance), dtype.real_dtype if dtype.is_complex else dtype)


def average(x, axis=None, weights=None):
    x = to_tf(x)
    if weights is None:
        return mean(_as(x, tf_dtype(result_type(dtype_name(x), float))), axis=axis)
    weights = to_tf(weights)
    dtype = tf_dtype(result_type(dtype_name(x), float, dtype_name(weights)))
    compute = _statistic_dtype(dtype)
    x, weights = _as(x, compute), _as(weights, compute)
    axis = axis_arg(axis)
    if weights.shape.rank != x.shape.rank:
        if not isinstance(axis, int) or weights.shape.rank != 1:
            raise ValueError(
                f"average: 1-D `weights` must have the length of `x` along `axis`; received "
                f"x of shape {x.shape}, weights of shape {weights.shape}, axis={axis}."
            )
        shape = [1] * x.shape.rank
        shape[axis] = -1
        weights = tf.reshape(weights, shape)
    total = tf.reduce_sum(x * weights, axis=axis) / tf.reduce_sum(
        weights * tf.ones_like(x), axis=axis
    )
    return _as(total, dtype)


def _sorted_along_last(x, axis):
    """`x` with the axes of `axis` flattened into one last axis and sorted along it, and the
    shape the result takes with `keepdims`."""
    rank = x.shape.rank
    axes = _axes(axis, rank)
    kept = [i for i in range(rank) if i not in axes]
    shape = shape_of(x)
    keep_shape = [1 if i in axes else d for i, d in enumerate(shape)]
    moved = tf.transpose(x, kept + axes) if kept + axes != list(range(rank)) else x
    flat = tf.reshape(moved, [shape[i] for i in kept] + [-1])
    return tf.sort(flat, axis=-1), keep_shape


def _quantile_of_sorted(values, q, method):
    """Quantiles `q` (1-D) of `values` sorted on the last axis: shape `(len(q), ...)`."""
    count = tf.cast(tf.shape(values)[-1], q.dtype)
    position = q * (count - 1.0)
    if method == "linear":
        low = tf.floor(position)
    elif method in ("lower", "midpoint"):
        low = tf.floor(position)
    elif method == "higher":
        low = tf.math.ceil(position)
    elif method == "nearest":
        low = tf.round(position)
    else:
        raise ValueError(
            f"Unknown quantile method {method!r}; expected 'linear', 'lower', 'higher', "
            "'midpoint' or 'nearest'."
        )
    high = tf.minimum(low + 1.0, count - 1.0) if method in ("linear", "midpoint") else low
    below = tf.gather(values, tf.cast(low, tf.int32), axis=-1)
    above = tf.gather(values, tf.cast(high, tf.int32), axis=-1)
    if method == "linear":
        fraction = position - low
    elif method == "midpoint":
        fraction = tf.where(tf.equal(position, low), tf.zeros_like(q), 0.5 * tf.ones_like(q))
    else:
        return moveaxis(below, -1, 0)
    result = below + (above - below) * fraction
    # NaN anywhere makes the quantile NaN, as numpy's is.
    has_nan = tf.reduce_any(tf.math.is_nan(values), axis=-1, keepdims=True)
    result = tf.where(has_nan, tf.constant(np.nan, values.dtype), result)
    return moveaxis(result, -1, 0)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_tf(x)
    dtype = tf_dtype(float_dtype_of(x))
    compute = _statistic_dtype(dtype)
    values, keep_shape = _sorted_along_last(_as(x, compute), axis)
    q = _as(to_tf(q), compute)
    scalar_q = q.shape.rank == 0
    result = _quantile_of_sorted(values, tf.reshape(q, [-1]), method)
    if keepdims:
        result = tf.reshape(result, [-1] + keep_shape)
    if scalar_q:
        result = result[0]
    else:
        result = tf.reshape(result, tf.concat([tf.shape(q), tf.shape(result)[1:]], 0))
    return _as(result, dtype)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def corrcoef(x):
    x = to_tf(x)
    dtype = tf_dtype(float_dtype_of(x))
    x = _as(x, _statistic_dtype(dtype))
    if x.shape.rank == 1:
        x = x[None]
    centered = x - tf.reduce_mean(x, axis=-1, keepdims=True)
    covariance = tf.matmul(centered, tf.math.conj(centered), transpose_b=True)
    scale = tf.sqrt(tf.math.real(tf.linalg.diag_part(covariance)))
    scale = tf.cast(scale, x.dtype)
    result = covariance / scale[:, None] / scale[None, :]
    if not x.dtype.is_complex:
        result = tf.clip_by_value(result, -1.0, 1.0)
    if x.shape[0] == 1:
        result = tf.reshape(result, [])
    return _as(result, dtype)


def correlate(x1, x2, mode="valid"):
    dtype = promote_dtype(x1, x2)
    dtype = tf_dtype(dtype if is_inexact(dtype) else result_type(dtype, float))
    x1, x2 = to_tf(x1), to_tf(x2)
    if x1.shape.rank != 1 or x2.shape.rank != 1:
        raise ValueError(
            f"correlate needs two 1-D tensors, but received shapes {x1.shape} and {x2.shape}."
        )
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate mode must be 'valid', 'same' or 'full', got {mode!r}.")
    compute = _statistic_dtype(dtype)
    a, v = _as(x1, compute), _as(x2, compute)
    m, n = a.shape[0], v.shape[0]
    # full[k] = sum_j a[j + k - (n - 1)] * conj(v[j]), for k in [0, m + n - 1).
    padded = tf.pad(a, [[n - 1, n - 1]])
    windows = tf.signal.frame(padded, n, 1)
    full = tf.linalg.matvec(windows, tf.math.conj(v))
    if mode == "full":
        result = full
    elif mode == "valid":
        result = full[builtins.min(m, n) - 1 : builtins.max(m, n)]
    else:
        start = (n - 1) // 2 if m >= n else m - 1 - (m - 1) // 2
        result = full[start : start + builtins.max(m, n)]
    return _as(result, dtype)


# ---------------------------------------------------------------------------------------------
# Counting


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported by the TensorFlow backend.")
    x = to_tf(x)
    if x.shape.rank not in (1, 2):
        raise ValueError(f"bincount needs a 1-D or 2-D `x`, but received shape {x.shape}.")
    x = _as(x, tf.int32)
    if tf.executing_eagerly() and tf.size(x) > 0 and tf.reduce_min(x) < 0:
        raise ValueError("bincount needs non-negative values in `x`.")
    if weights is None:
        dtype = tf.int32
    else:
        weights = to_tf(weights)
        dtype = tf_dtype(result_type(dtype_name(x), dtype_name(weights)))
        weights = _as(weights, _statistic_dtype(dtype) if dtype.is_floating else tf.float64)
    counts = tf.math.bincount(
        x,
        weights=weights,
        minlength=int(minlength),
        dtype=tf.int32 if weights is None else weights.dtype,
        axis=-1 if x.shape.rank == 2 else None,
    )
    return _as(counts, dtype)


def histogram(x, bins=10, range=None):
    x = to_tf(x)
    if x.shape.rank != 1:
        raise ValueError(f"histogram needs a 1-D `x`, but received shape {x.shape}.")
    dtype = tf_dtype(float_dtype_of(x))
    compute = tf.float64 if dtype == tf.float64 else tf.float32
    x = _as(x, compute)
    bins = int(bins)
    if range is None:
        low, high = tf.reduce_min(x), tf.reduce_max(x)
    else:
        low, high = tf.constant(range[0], compute), tf.constant(range[1], compute)
    same = tf.equal(low, high)
    low, high = tf.where(same, low - 0.5, low), tf.where(same, high + 0.5, high)
    steps = tf.range(bins + 1, dtype=compute) / bins
    edges = low + (high - low) * steps
    inside = (x >= low) & (x <= high)
    index = tf.searchsorted(edges[None, :], x[None, :], side="right", out_type=tf.int32)[0] - 1
    index = tf.clip_by_value(index, 0, bins - 1)
    counts = tf.math.bincount(
        tf.boolean_mask(index, inside), minlength=bins, maxlength=bins, dtype=tf.int32
    )
    return tf.reshape(counts, [bins]), _as(edges, dtype)


def digitize(x, bins):
    x, bins = widen(to_tf(x)), widen(to_tf(bins))
    if x.dtype != bins.dtype:
        common = tf_dtype(result_type(dtype_name(x), dtype_name(bins)))
        x, bins = _as(x, common), _as(bins, common)
    flat = tf.reshape(x, [1, -1])
    found = tf.searchsorted(bins[None, :], flat, side="right", out_type=tf.int32)
    return tf.reshape(found, tf.shape(x))


__all__ = exported(globals())
