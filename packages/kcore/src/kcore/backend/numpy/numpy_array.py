"""Contract group ``numpy`` on numpy, part two: creation, shapes, indexing, sorting, products."""

from __future__ import annotations

import functools

import numpy as np

from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_float_dtype, result_type, standardize_dtype
from kcore.backend.numpy._utils import float_result, np_dtype, promote, promotion_key, to_array

_HALF = ("float16", "bfloat16")


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in np.asarray(shape).reshape(-1)) if np.ndim(shape) else int(shape)


def _dtype_or_floatx(dtype):
    return np_dtype(dtype or config.floatx())


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else np_dtype(dtype)


# Creation


def zeros(shape, dtype=None):
    return np.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype))


def ones(shape, dtype=None):
    return np.ones(_shape(shape), dtype=_dtype_or_floatx(dtype))


def empty(shape, dtype=None):
    return np.empty(_shape(shape), dtype=_dtype_or_floatx(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(_shape(shape), to_array(fill_value), dtype=_dtype_or_floatx(dtype))


def zeros_like(x, dtype=None):
    x = to_array(x)
    return np.zeros(x.shape, dtype=_like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = to_array(x)
    return np.ones(x.shape, dtype=_like_dtype(x, dtype))


def empty_like(x, dtype=None):
    x = to_array(x)
    return np.empty(x.shape, dtype=_like_dtype(x, dtype))


def full_like(x, fill_value, dtype=None):
    x = to_array(x)
    return np.full(x.shape, to_array(fill_value), dtype=_like_dtype(x, dtype))


def array(x, dtype=None):
    return np.array(to_array(x, dtype))


def identity(n, dtype=None):
    return np.identity(int(n), dtype=_dtype_or_floatx(dtype))


def eye(N, M=None, k=0, dtype=None):
    M = None if M is None else int(M)
    return np.eye(int(N), M, int(k), dtype=_dtype_or_floatx(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = None if M is None else int(M)
    return np.tri(int(N), M, int(k), dtype=_dtype_or_floatx(dtype))


def _exact_dtype(dtype):
    """The numpy dtype to compute a `dtype` result in exactly before the final cast."""
    if is_float_dtype(dtype):
        return np.float64
    if "complex" in dtype:
        return np.complex128
    return np_dtype(dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = result_type(*(promotion_key(v) for v in (start, stop, step) if v is not None))
    dtype = standardize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    values = np.arange(to_array(start), to_array(stop), to_array(step), dtype=_exact_dtype(dtype))
    return values.astype(np_dtype(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is None:
        return result_type(promotion_key(start), promotion_key(stop), float)
    return standardize_dtype(dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = _exact_dtype(dtype)
    values, step = np.linspace(
        to_array(start).astype(np.float64),
        to_array(stop).astype(np.float64),
        num=int(num),
        endpoint=endpoint,
        retstep=True,
        dtype=compute,
        axis=axis,
    )
    values = values.astype(np_dtype(dtype))
    if not retstep:
        return values
    step_dtype = dtype if is_float_dtype(dtype) else config.floatx()
    return values, np.asarray(step).astype(np_dtype(step_dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    values = np.logspace(
        to_array(start).astype(np.float64),
        to_array(stop).astype(np.float64),
        num=int(num),
        endpoint=endpoint,
        base=to_array(base).astype(np.float64),
        dtype=_exact_dtype(dtype),
        axis=axis,
    )
    return values.astype(np_dtype(dtype))


def _window(window, x):
    return window(int(to_array(x))).astype(np_dtype(config.floatx()))


def bartlett(x):
    return _window(np.bartlett, x)


def blackman(x):
    return _window(np.blackman, x)


def hamming(x):
    return _window(np.hamming, x)


def hanning(x):
    return _window(np.hanning, x)


def kaiser(x, beta):
    return _window(lambda m: np.kaiser(m, float(to_array(beta))), x)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid indexing must be 'xy' or 'ij', got indexing={indexing!r}")
    return [np.array(grid) for grid in np.meshgrid(*(to_array(v) for v in x), indexing=indexing)]


def vander(x, N=None, increasing=False):
    x = to_array(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D x, got shape {x.shape}")
    dtype = result_type(x.dtype)
    compute = np.int64 if dtype == "bool" else _exact_dtype(dtype)
    N = None if N is None else int(N)
    return np.vander(x.astype(compute), N, increasing=increasing).astype(np_dtype(dtype))


# Shape manipulation


def reshape(x, newshape):
    return np.reshape(to_array(x), newshape)


def ravel(x):
    return np.ravel(to_array(x))


def broadcast_to(x, shape):
    return np.array(np.broadcast_to(to_array(x), _shape(shape)))


def expand_dims(x, axis):
    return np.expand_dims(to_array(x), _axis(axis))


def squeeze(x, axis=None):
    return np.squeeze(to_array(x), axis=_axis(axis))


def transpose(x, axes=None):
    return np.transpose(to_array(x), _axis(axes))


def moveaxis(x, source, destination):
    return np.moveaxis(to_array(x), source, destination)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(to_array(x), axis1, axis2)


def flip(x, axis=None):
    return np.flip(to_array(x), axis=_axis(axis))


def rot90(array, k=1, axes=(0, 1)):
    array = to_array(array)
    if array.ndim < 2:
        raise ValueError(f"rot90 needs an array of at least 2 dims, got shape {array.shape}")
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] % array.ndim == axes[1] % array.ndim:
        raise ValueError(f"rot90 axes must be two different axes, got axes={axes}")
    return np.rot90(array, int(k), axes)


def roll(x, shift, axis=None):
    shift = tuple(shift) if isinstance(shift, list) else shift
    return np.roll(to_array(x), shift, axis=_axis(axis))


def repeat(x, repeats, axis=None):
    return np.repeat(to_array(x), to_array(repeats), axis=axis)


def tile(x, repeats):
    return np.tile(to_array(x), repeats)


_PAD_MODES = ("constant", "reflect", "symmetric")


def pad(x, pad_width, mode="constant", constant_values=None):
    if mode not in _PAD_MODES:
        raise ValueError(f"pad mode must be one of {_PAD_MODES}, got mode={mode!r}")
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                f"pad takes constant_values only with mode='constant', got mode={mode!r}; "
                "drop constant_values or use mode='constant'."
            )
        kwargs["constant_values"] = to_array(constant_values)
    pad_width = np.asarray(to_array(pad_width), dtype=np.int64)
    return np.pad(to_array(x), pad_width, mode=mode, **kwargs)


# Joining and splitting


def concatenate(xs, axis=0):
    return np.concatenate(promote(*xs), axis=axis)


def stack(x, axis=0):
    return np.stack(promote(*x), axis=axis)


def hstack(xs):
    return np.hstack(promote(*xs))


def vstack(xs):
    return np.vstack(promote(*xs))


def dstack(xs):
    return np.dstack(promote(*xs))


def append(x1, x2, axis=None):
    x1, x2 = promote(to_array(x1), to_array(x2))
    return np.append(x1, x2, axis=axis)


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    indices = np.asarray(to_array(indices_or_sections))
    return int(indices) if indices.ndim == 0 else [int(i) for i in indices]


def split(x, indices_or_sections, axis=0):
    return list(np.split(to_array(x), _sections(indices_or_sections), axis=axis))


def array_split(x, indices_or_sections, axis=0):
    return list(np.array_split(to_array(x), _sections(indices_or_sections), axis=axis))


def vsplit(x, indices_or_sections):
    return list(np.vsplit(to_array(x), _sections(indices_or_sections)))


# Indexing


def _index(key):
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if key is None or key is Ellipsis or isinstance(key, (slice, int, np.integer)):
        return key
    return to_array(key)


def get_item(x, key):
    return np.asarray(to_array(x)[_index(key)])


def take(x, indices, axis=None):
    return np.take(to_array(x), to_array(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    return np.take_along_axis(to_array(x), to_array(indices), axis=axis)


def nonzero(x):
    return tuple(indices.astype(np.int32) for indices in np.nonzero(to_array(x)))


def where(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("where needs both x1 and x2, or neither (to get nonzero(condition))")
    if x1 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    return np.where(to_array(condition).astype(bool), x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select needs one choice per condition, got {len(condlist)} conditions and "
            f"{len(choicelist)} choices"
        )
    *choices, default = promote(*choicelist, default)
    conditions = [to_array(c).astype(bool) for c in condlist]
    return np.asarray(np.select(conditions, choices, default))


def diag(x, k=0):
    x = to_array(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"diag needs a 1-D or 2-D x, got shape {x.shape}")
    return np.array(np.diag(x, int(k)))


def diagflat(x, k=0):
    return np.diagflat(to_array(x), int(k))


def diagonal(x, offset=0, axis1=0, axis2=1):
    return np.array(np.diagonal(to_array(x), int(offset), axis1, axis2))


def trace(x, offset=0, axis1=0, axis2=1):
    x = to_array(x)
    dtype = standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16"):
        dtype = "int32"
    elif dtype in ("uint8", "uint16"):
        dtype = "uint32"
    compute = np.float32 if dtype in _HALF else np_dtype(dtype)
    total = np.trace(x, int(offset), axis1, axis2, dtype=compute)
    return np.asarray(total).astype(np_dtype(dtype))


def tril(x, k=0):
    return np.tril(to_array(x), int(k))


def triu(x, k=0):
    return np.triu(to_array(x), int(k))


def unravel_index(indices, shape):
    indices = to_array(indices)
    dtype = np_dtype(result_type(indices.dtype))
    coordinates = np.unravel_index(indices.astype(np.int64), _shape(shape))
    return tuple(np.asarray(c).astype(dtype) for c in coordinates)


def ndim(x):
    return int(np.ndim(to_array(x)))


def size(x):
    return int(np.size(to_array(x)))


def view(x, dtype=None):
    x = to_array(x)
    return x.view() if dtype is None else x.view(np_dtype(dtype))


# Sorting and searching


def sort(x, axis=-1):
    return np.sort(to_array(x), axis=axis)


def argsort(x, axis=-1):
    return np.argsort(to_array(x), axis=axis, kind="stable").astype(np.int32)


def argpartition(x, kth, axis=-1):
    return np.argpartition(to_array(x), kth, axis=axis).astype(np.int32)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence = to_array(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "searchsorted needs a 1-D sorted_sequence, got shape "
            f"{sorted_sequence.shape}; map over the leading axes with ops.vectorized_map."
        )
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted side must be 'left' or 'right', got side={side!r}")
    sorted_sequence, values = promote(sorted_sequence, values)
    return np.asarray(np.searchsorted(sorted_sequence, values, side=side)).astype(np.int32)


# Products


def _product_operands(*operands):
    """The operands in their `result_type`, half floats computed in float32; and that dtype."""
    arrays = [to_array(x) for x in operands]
    dtype = result_type(*(a.dtype for a in arrays))
    compute = "float32" if dtype in _HALF else dtype
    return [a.astype(np_dtype(compute)) for a in arrays], np_dtype(dtype)


def matmul(x1, x2):
    x1, x2 = to_array(x1), to_array(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    if dtype in ("bool", "int8", "uint8", "int16", "uint16"):
        dtype = "int32"
    target = np_dtype(dtype)
    # numpy computes bfloat16 products in float32: cast the result back.
    return np.asarray(np.matmul(x1.astype(target), x2.astype(target))).astype(target)


def dot(x1, x2):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.asarray(np.dot(x1, x2)).astype(dtype)


def inner(x1, x2):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.asarray(np.inner(x1, x2)).astype(dtype)


def outer(x1, x2):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.outer(x1, x2).astype(dtype)


def vdot(x1, x2):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.asarray(np.vdot(x1, x2)).astype(dtype)


def kron(x1, x2):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.kron(x1, x2).astype(dtype)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.cross(x1, x2, axisa, axisb, axisc, axis).astype(dtype)


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else a for a in axes)
    (x1, x2), dtype = _product_operands(x1, x2)
    return np.asarray(np.tensordot(x1, x2, axes)).astype(dtype)


def einsum(subscripts, *operands, **kwargs):
    arrays = [to_array(x) for x in operands]
    dtypes = {standardize_dtype(a.dtype) for a in arrays}
    if dtypes == {"int8"}:
        arrays, dtype = [a.astype(np.int32) for a in arrays], np.dtype(np.int32)
    else:
        arrays, dtype = _product_operands(*arrays)
    return np.asarray(np.einsum(subscripts, *arrays, **kwargs)).astype(dtype)


def slogdet(x):
    x = float_result(x)
    sign, logabsdet = np.linalg.slogdet(x.astype(np.float64))
    return np.asarray(sign).astype(x.dtype), np.asarray(logabsdet).astype(x.dtype)


# Functions


def vectorize(pyfunc, *, excluded=None, signature=None):
    vectorized = np.vectorize(pyfunc, excluded=excluded or set(), signature=signature)

    @functools.wraps(pyfunc)
    def wrapper(*args, **kwargs):
        result = vectorized(*args, **kwargs)
        if isinstance(result, tuple):
            return tuple(np.asarray(r) for r in result)
        return np.asarray(result)

    return wrapper


__all__ = exported(globals())
