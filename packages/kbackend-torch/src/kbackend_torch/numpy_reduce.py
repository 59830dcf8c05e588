"""Contract group ``numpy`` on torch, part three: reductions, cumulative ops, statistics, counting.

float16 and bfloat16 inputs accumulate in float32 and are rounded to their dtype once. Reductions
over several axes use torch's tuple `dim` where torch has one, else the axes are merged into one.
"""

from __future__ import annotations

import builtins

import torch

from kbackend_torch._compute import compute_dtype, dims, merge_axes
from kbackend_torch._utils import (
    axis_arg,
    dtype_name,
    float_dtype_of,
    is_inexact,
    promote_dtype,
    to_torch,
    torch_dtype,
    widen,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype

_HALF = (torch.float16, torch.bfloat16)
_SMALL_INTS = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32"}


def reduction_dtype(dtype: str) -> str:
    """The dtype of a sum or product: bools and small ints accumulate as 32-bit ints."""
    return _SMALL_INTS.get(dtype, dtype)


def _accumulator(dtype: str) -> torch.dtype:
    """The torch dtype to accumulate a `dtype` result in (half floats in float32, uint32 in
    int64: torch has few uint32 kernels)."""
    if dtype == "uint32":
        return torch.int64
    target = torch_dtype(dtype)
    return torch.float32 if target in _HALF else target


def _no_axes(axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def _cast(x: torch.Tensor, dtype) -> torch.Tensor:
    dtype = torch_dtype(dtype)
    return x if x.dtype == dtype else x.to(dtype)


def _reduced_shape(x, axis, keepdims):
    reduced = dims(axis, x.ndim)
    if keepdims:
        return [1 if d in reduced else s for d, s in enumerate(x.shape)]
    return [s for d, s in enumerate(x.shape) if d not in reduced]


def _single_dim(fn, x, axis, keepdims, **kwargs):
    """`fn(x, dim=-1, **kwargs)` over the `axis` dims of `x` merged into one."""
    merged, kept_shape = merge_axes(x, axis)
    result = fn(merged, dim=-1, **kwargs)
    return result.reshape(kept_shape) if keepdims else result


# ---------------------------------------------------------------------------------------------
# Reductions


def sum(x, axis=None, keepdims=False):
    x = to_torch(x)
    dtype = reduction_dtype(dtype_name(x))
    if _no_axes(axis):
        return _cast(x, dtype)
    accumulate = _accumulator(dtype)
    if axis is None and not keepdims:
        total = torch.sum(x, dtype=accumulate)
    else:
        total = torch.sum(x, dim=axis_arg(axis), keepdim=keepdims, dtype=accumulate)
    return _cast(total, dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = to_torch(x)
    dtype = reduction_dtype(dtype_name(x)) if dtype is None else standardize_dtype(dtype)
    x = _cast(x, _accumulator(dtype))
    if _no_axes(axis):
        return _cast(x, dtype)
    return _cast(_single_dim(torch.prod, x, axis, keepdims), dtype)


def mean(x, axis=None, keepdims=False):
    x = to_torch(x)
    dtype = dtype_name(x)
    dtype = dtype if is_inexact(dtype) else result_type(dtype, "float32")
    x = _cast(x, compute_dtype(dtype))
    if _no_axes(axis):
        return _cast(x, dtype)
    if axis is None and not keepdims:
        return _cast(torch.mean(x), dtype)
    return _cast(torch.mean(x, dim=axis_arg(axis), keepdim=keepdims), dtype)


def _extremum(fn, x, axis, keepdims, initial):
    x = to_torch(x)
    if x.numel() == 0:
        if initial is None:
            raise ValueError(
                f"Cannot take the {fn.__name__} of an empty tensor (shape {tuple(x.shape)}) "
                "without `initial`. Pass `initial=` or use a non-empty tensor."
            )
        shape = _reduced_shape(x, axis, keepdims)
        return torch.full(shape, initial, dtype=x.dtype, device=x.device)
    if _no_axes(axis):
        result = x
    else:
        wide = widen(x)
        result = fn(wide, dim=axis_arg(axis), keepdim=keepdims) if axis is not None else fn(wide)
        if axis is None and keepdims:
            result = result.reshape([1] * x.ndim)
    if initial is not None:
        bound = torch.tensor(initial, dtype=result.dtype, device=x.device)
        result = torch.maximum(result, bound) if fn is torch.amax else torch.minimum(result, bound)
    return _cast(result, x.dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(torch.amax, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(torch.amin, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum(torch.amax, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum(torch.amin, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = to_torch(x)
    if x.numel() == 0:
        raise ValueError(f"Cannot take the range of an empty tensor (shape {tuple(x.shape)}).")
    return _extremum(torch.amax, x, axis, keepdims, None) - _extremum(
        torch.amin, x, axis, keepdims, None
    )


def _logical(fn, x, axis, keepdims):
    x = to_torch(x)
    x = x if x.dtype == torch.bool else x != 0
    if _no_axes(axis):
        return x
    if axis is None:
        result = fn(x)
        return result.reshape([1] * x.ndim) if keepdims else result
    return fn(x, dim=axis_arg(axis), keepdim=keepdims)


def all(x, axis=None, keepdims=False):
    return _logical(torch.all, x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    return _logical(torch.any, x, axis, keepdims)


def _arg_extremum(fn, x, axis, keepdims):
    x = to_torch(x)
    if x.dtype.is_floating_point and x.ndim:
        # -0.0 counts below 0.0: move it to the largest negative float.
        x = widen(x)
        negative_zero = (x == 0.0) & torch.signbit(x)
        x = torch.where(negative_zero, -torch.finfo(x.dtype).tiny, x)
    elif x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        result = fn(x.reshape(-1))
        return result.reshape([1] * x.ndim).int() if keepdims else result.int()
    return fn(x, dim=axis, keepdim=keepdims).int()


def argmax(x, axis=None, keepdims=False):
    return _arg_extremum(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extremum(torch.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    x = to_torch(x)
    if _no_axes(axis):
        return (x != 0).int()
    return torch.count_nonzero(x, dim=axis_arg(axis)).int()


def nansum(x, axis=None, keepdims=False):
    x = to_torch(x)
    if x.dtype.is_floating_point or x.dtype.is_complex:
        x = torch.where(torch.isnan(x), torch.zeros((), dtype=x.dtype, device=x.device), x)
    return sum(x, axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    x = to_torch(x)
    if x.dtype.is_floating_point or x.dtype.is_complex:
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype, device=x.device), x)
    return prod(x, axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = to_torch(x)
    dtype = float_dtype_of(x)
    x = _cast(x, compute_dtype(dtype))
    if _no_axes(axis):
        return _cast(x, dtype)
    return _cast(torch.nanmean(x, dim=axis_arg(axis), keepdim=keepdims), dtype)


def _nan_extremum(fn, x, axis, keepdims):
    x = to_torch(x)
    if not x.dtype.is_floating_point:
        return _extremum(fn, x, axis, keepdims, None)
    fill = -torch.inf if fn is torch.amax else torch.inf
    nan = torch.isnan(x)
    result = _extremum(fn, torch.where(nan, fill, x), axis, keepdims, None)
    all_nan = _logical(torch.all, nan, axis, keepdims)
    return torch.where(all_nan, torch.nan, result)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(torch.amax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(torch.amin, x, axis, keepdims)


def _cumulative(fn, x, axis, dtype):
    x = to_torch(x)
    dtype = standardize_dtype(dtype or dtype_name(x))
    if dtype == "bool":
        dtype = "int32"
    x = _cast(x, _accumulator(dtype))
    if axis is None:
        x, axis = x.reshape(-1), 0
    return _cast(fn(x, dim=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(torch.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(torch.cumprod, x, axis, dtype)


def diff(a, n=1, axis=-1):
    a = to_torch(a)
    if n == 0:
        return a
    return _cast(torch.diff(widen(a), n=n, dim=axis), a.dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = to_torch(y)
    dtype = float_dtype_of(y)
    compute = compute_dtype(dtype)
    y = _cast(y, compute)
    if x is not None:
        result = torch.trapezoid(y, _cast(to_torch(x), compute), dim=axis)
    elif isinstance(dx, (int, float)):
        result = torch.trapezoid(y, dx=float(dx), dim=axis)
    else:
        result = torch.trapezoid(y, dim=axis) * _cast(to_torch(dx), compute)
    return _cast(result, dtype)


# ---------------------------------------------------------------------------------------------
# Statistics: bool and int inputs give floatx


def _moment(fn, x, axis, keepdims):
    x = to_torch(x)
    dtype = float_dtype_of(x)
    x = _cast(x, compute_dtype(dtype))
    if _no_axes(axis):
        result = fn(x.unsqueeze(-1), dim=-1, correction=0)
    else:
        result = fn(x, dim=axis_arg(axis), correction=0, keepdim=keepdims)
    if result.is_complex():
        result = result.real
    return _cast(result, dtype)


def var(x, axis=None, keepdims=False):
    return _moment(torch.var, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _moment(torch.std, x, axis, keepdims)


def average(x, axis=None, weights=None):
    x = to_torch(x)
    if weights is None:
        return mean(_cast(x, result_type(dtype_name(x), float)), axis=axis)
    weights = to_torch(weights)
    dtype = result_type(dtype_name(x), float, dtype_name(weights))
    compute = compute_dtype(dtype)
    x, weights = _cast(x, compute), _cast(weights, compute)
    axis = axis_arg(axis)
    if weights.shape != x.shape:
        if not isinstance(axis, int) or weights.ndim != 1 or len(weights) != x.shape[axis]:
            raise ValueError(
                "average: 1-D `weights` must have the length of `x` along `axis`; received x of "
                f"shape {tuple(x.shape)}, weights of shape {tuple(weights.shape)}, axis={axis}."
            )
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    total = torch.sum(x * weights, dim=axis) / torch.sum(weights.expand_as(x), dim=axis)
    return _cast(total, dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_torch(x)
    dtype = float_dtype_of(x)
    compute = compute_dtype(dtype)
    x = _cast(x, compute)
    q = _cast(to_torch(q), compute).to(x.device)
    merged, kept_shape = merge_axes(x, axis)
    result = torch.quantile(merged, q, dim=-1, interpolation=method)
    if keepdims:
        result = result.reshape(*q.shape, *kept_shape)
    return _cast(result, dtype)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def corrcoef(x):
    x = to_torch(x)
    dtype = float_dtype_of(x)
    return _cast(torch.corrcoef(_cast(x, compute_dtype(dtype))), dtype)


def correlate(x1, x2, mode="valid"):
    dtype = promote_dtype(x1, x2)
    dtype = dtype if is_inexact(dtype) else result_type(dtype, float)
    x1, x2 = to_torch(x1), to_torch(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(
            "correlate needs two 1-D tensors, but received shapes "
            f"{tuple(x1.shape)} and {tuple(x2.shape)}."
        )
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"mode must be 'valid', 'same' or 'full', got mode={mode!r}.")
    compute = compute_dtype(dtype)
    a, v = _cast(x1, compute), _cast(x2, compute)
    m, n = a.shape[0], v.shape[0]
    # Full cross-correlation: out[k] = sum_j a[k + j - (n - 1)] * conj(v[j]).
    padded = torch.nn.functional.pad(a, (n - 1, n - 1))
    full = padded.unfold(0, n, 1) @ v.conj()
    if mode == "valid":
        start, length = builtins.min(m, n) - 1, abs(m - n) + 1
    elif mode == "same":
        # Centered as numpy centers it (which swaps the inputs when `x2` is the longer one).
        length = builtins.max(m, n)
        start = (n - 1) // 2 if m >= n else (m - 1) - (m - 1) // 2
    else:
        start, length = 0, m + n - 1
    return _cast(full[start : start + length], dtype)


# ---------------------------------------------------------------------------------------------
# Counting (the result length of bincount depends on values: not traceable)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: `sparse=True` is not supported by the torch backend.")
    x = to_torch(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"bincount needs a 1-D or 2-D `x`, but received shape {tuple(x.shape)}.")
    if x.numel() and int(torch.min(x)) < 0:
        raise ValueError("bincount needs non-negative values in `x`.")
    length = builtins.max(int(minlength), int(torch.max(x)) + 1 if x.numel() else 0)
    rows = x.reshape(-1, x.shape[-1]).long()
    if weights is None:
        dtype, accumulate = "int32", torch.int64
        values = torch.ones(rows.shape, dtype=accumulate, device=x.device)
    else:
        weights = to_torch(weights)
        dtype = result_type(dtype_name(x), dtype_name(weights))
        accumulate = _accumulator(dtype)
        values = _cast(weights, accumulate).reshape(rows.shape)
    counts = torch.zeros((rows.shape[0], length), dtype=accumulate, device=x.device)
    counts = counts.scatter_add(1, rows, values)
    return _cast(counts if x.ndim == 2 else counts[0], dtype)


def histogram(x, bins=10, range=None):
    x = to_torch(x)
    if x.ndim != 1:
        raise ValueError(f"histogram needs a 1-D `x`, but received shape {tuple(x.shape)}.")
    dtype = float_dtype_of(x)
    values = x.to(torch.float64)
    if range is None:
        low, high = (float(values.min()), float(values.max())) if values.numel() else (0.0, 1.0)
    else:
        low, high = (float(r) for r in range)
    if low == high:
        low, high = low - 0.5, high + 0.5
    counts, edges = torch.histogram(values.cpu(), bins=int(bins), range=(low, high))
    return counts.int().to(x.device), _cast(edges, dtype).to(x.device)


def digitize(x, bins):
    x, bins = widen(to_torch(x)), widen(to_torch(bins))
    common = torch_dtype(result_type(dtype_name(x), dtype_name(bins)))
    x, bins = _cast(x, common), _cast(bins, common)
    increasing = torch.bucketize(x, bins, right=True)
    # Decreasing bins: index i with bins[i - 1] > x >= bins[i].
    decreasing = bins.shape[0] - torch.bucketize(x, bins.flip(0), right=True)
    if bins.shape[0] > 1:
        result = torch.where(bins[-1] < bins[0], decreasing, increasing)
    else:
        result = increasing
    return result.int()


__all__ = exported(globals())
