"""Contract group ``numpy`` on JAX, part two: creation, shape manipulation, joining, indexing."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kbackend_jax._utils import (
    axis_arg,
    dtype_name,
    jnp_dtype,
    promote,
    promote_dtype,
    to_jax,
)
from kbackend_jax.numpy_reduce import reduction_dtype
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_float_dtype, result_type, standardize_dtype


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, (list, tuple)):
        return tuple(int(d) for d in shape)
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else jnp_dtype(dtype)


# ---------------------------------------------------------------------------------------------
# Creation


def zeros(shape, dtype=None):
    return jnp.zeros(_shape(shape), dtype=jnp_dtype(dtype))


def ones(shape, dtype=None):
    return jnp.ones(_shape(shape), dtype=jnp_dtype(dtype))


def empty(shape, dtype=None):
    return jnp.empty(_shape(shape), dtype=jnp_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return jnp.full(_shape(shape), to_jax(fill_value), dtype=jnp_dtype(dtype))


def zeros_like(x, dtype=None):
    x = to_jax(x)
    return jnp.zeros_like(x, dtype=_like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = to_jax(x)
    return jnp.ones_like(x, dtype=_like_dtype(x, dtype))


def empty_like(x, dtype=None):
    x = to_jax(x)
    return jnp.empty_like(x, dtype=_like_dtype(x, dtype))


def full_like(x, fill_value, dtype=None):
    x = to_jax(x)
    return jnp.full(x.shape, to_jax(fill_value), dtype=_like_dtype(x, dtype))


def array(x, dtype=None):
    return jnp.array(to_jax(x, dtype), copy=True)


def identity(n, dtype=None):
    return jnp.identity(int(n), dtype=jnp_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(int(N), None if M is None else int(M), int(k), dtype=jnp_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(int(N), None if M is None else int(M), int(k), dtype=jnp_dtype(dtype))


def _exact(dtype: str):
    """The dtype to compute a `dtype` result in before the final cast (floats in float32+)."""
    if is_float_dtype(dtype):
        return jnp.promote_types(jnp_dtype(dtype), jnp.float32)
    return jnp_dtype(dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        bounds = (v for v in (start, stop, step) if v is not None)
        dtype = promote_dtype(*bounds)
    dtype = standardize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    return jnp.arange(start, stop, step, dtype=_exact(dtype)).astype(jnp_dtype(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is None:
        return promote_dtype(start, stop, extra=(float,))
    return standardize_dtype(dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = jnp.promote_types(_exact(dtype), jnp.float32)
    values, step = jnp.linspace(
        to_jax(start).astype(compute),
        to_jax(stop).astype(compute),
        num=int(num),
        endpoint=endpoint,
        retstep=True,
        dtype=compute,
        axis=axis,
    )
    if not is_float_dtype(dtype) and "complex" not in dtype:
        values = jnp.floor(values)
    values = values.astype(jnp_dtype(dtype))
    if not retstep:
        return values
    step_dtype = dtype if is_float_dtype(dtype) else config.floatx()
    return values, jnp.asarray(step).astype(jnp_dtype(step_dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = jnp.promote_types(_exact(dtype), jnp.float32)
    values = jnp.logspace(
        to_jax(start).astype(compute),
        to_jax(stop).astype(compute),
        num=int(num),
        endpoint=endpoint,
        base=to_jax(base).astype(compute),
        dtype=compute,
        axis=axis,
    )
    return values.astype(jnp_dtype(dtype))


def _window(window, x, *args):
    return window(int(x), *args).astype(jnp_dtype(config.floatx()))


def bartlett(x):
    return _window(jnp.bartlett, x)


def blackman(x):
    return _window(jnp.blackman, x)


def hamming(x):
    return _window(jnp.hamming, x)


def hanning(x):
    return _window(jnp.hanning, x)


def kaiser(x, beta):
    return _window(jnp.kaiser, x, to_jax(beta, "float32"))


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid indexing must be 'xy' or 'ij', got indexing={indexing!r}")
    return list(jnp.meshgrid(*(to_jax(v) for v in x), indexing=indexing))


def vander(x, N=None, increasing=False):
    x = to_jax(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D x, got shape {x.shape}")
    compute = jnp.int32 if dtype_name(x) == "bool" else _exact(dtype_name(x))
    N = None if N is None else int(N)
    return jnp.vander(x.astype(compute), N, increasing=increasing).astype(x.dtype)


# ---------------------------------------------------------------------------------------------
# Shape manipulation


def reshape(x, newshape):
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return jnp.reshape(to_jax(x), newshape)


def ravel(x):
    return jnp.ravel(to_jax(x))


def broadcast_to(x, shape):
    return jnp.broadcast_to(to_jax(x), _shape(shape))


def expand_dims(x, axis):
    return jnp.expand_dims(to_jax(x), axis_arg(axis))


def squeeze(x, axis=None):
    return jnp.squeeze(to_jax(x), axis=axis_arg(axis))


def transpose(x, axes=None):
    return jnp.transpose(to_jax(x), axis_arg(axes))


def moveaxis(x, source, destination):
    return jnp.moveaxis(to_jax(x), axis_arg(source), axis_arg(destination))


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(to_jax(x), axis1, axis2)


def flip(x, axis=None):
    return jnp.flip(to_jax(x), axis=axis_arg(axis))


def rot90(array, k=1, axes=(0, 1)):
    array = to_jax(array)
    if array.ndim < 2:
        raise ValueError(f"rot90 needs an array of at least 2 dims, got shape {array.shape}")
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] % array.ndim == axes[1] % array.ndim:
        raise ValueError(f"rot90 axes must be two different axes, got axes={axes}")
    return jnp.rot90(array, int(k), axes)


def roll(x, shift, axis=None):
    return jnp.roll(to_jax(x), axis_arg(shift), axis=axis_arg(axis))


def repeat(x, repeats, axis=None):
    if isinstance(repeats, (list, tuple)):
        repeats = np.asarray(repeats)
    return jnp.repeat(to_jax(x), repeats, axis=axis)


def tile(x, repeats):
    return jnp.tile(to_jax(x), axis_arg(repeats))


_PAD_MODES = ("constant", "reflect", "symmetric")


def pad(x, pad_width, mode="constant", constant_values=None):
    if mode not in _PAD_MODES:
        raise ValueError(f"pad mode must be one of {_PAD_MODES}, got mode={mode!r}")
    x = to_jax(x)
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                f"pad takes constant_values only with mode='constant', got mode={mode!r}; "
                "drop constant_values or use mode='constant'."
            )
        kwargs["constant_values"] = to_jax(constant_values).astype(x.dtype)
    pad_width = np.asarray(pad_width, dtype=np.int64)
    return jnp.pad(x, pad_width, mode=mode, **kwargs)


# ---------------------------------------------------------------------------------------------
# Joining and splitting


def concatenate(xs, axis=0):
    return jnp.concatenate(promote(*xs), axis=axis)


def stack(x, axis=0):
    return jnp.stack(promote(*x), axis=axis)


def hstack(xs):
    return jnp.hstack(promote(*xs))


def vstack(xs):
    return jnp.vstack(promote(*xs))


def dstack(xs):
    return jnp.dstack(promote(*xs))


def append(x1, x2, axis=None):
    x1, x2 = promote(to_jax(x1), to_jax(x2))
    return jnp.append(x1, x2, axis=axis)


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    indices = np.asarray(indices_or_sections)
    return int(indices) if indices.ndim == 0 else [int(i) for i in indices]


def split(x, indices_or_sections, axis=0):
    return list(jnp.split(to_jax(x), _sections(indices_or_sections), axis=axis))


def array_split(x, indices_or_sections, axis=0):
    return list(jnp.array_split(to_jax(x), _sections(indices_or_sections), axis=axis))


def vsplit(x, indices_or_sections):
    return list(jnp.vsplit(to_jax(x), _sections(indices_or_sections)))


# ---------------------------------------------------------------------------------------------
# Indexing


def _index(key):
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if key is None or key is Ellipsis or isinstance(key, (slice, int, np.integer)):
        return key
    if isinstance(key, (np.ndarray, jax.Array)):
        return key
    return to_jax(key)


def get_item(x, key):
    return to_jax(x)[_index(key)]


def take(x, indices, axis=None):
    x = to_jax(x)
    indices = to_jax(indices)
    if axis is None:
        x, axis = x.ravel(), 0
    size = x.shape[axis]
    # Negative indices count from the end, as in numpy.
    indices = jnp.where(indices < 0, indices + size, indices)
    return jnp.take(x, indices, axis=axis, mode="clip")


def take_along_axis(x, indices, axis=None):
    x, indices = to_jax(x), to_jax(indices)
    if axis is None:
        x, axis = x.ravel(), 0
    size = x.shape[axis]
    indices = jnp.where(indices < 0, indices + size, indices)
    return jnp.take_along_axis(x, indices, axis=axis, mode="clip")


def nonzero(x):
    return tuple(i.astype(jnp.int32) for i in jnp.nonzero(to_jax(x)))


def where(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("where needs both x1 and x2, or neither (to get nonzero(condition))")
    if x1 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    return jnp.where(to_jax(condition).astype(bool), x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select needs one choice per condition, got {len(condlist)} conditions and "
            f"{len(choicelist)} choices"
        )
    *choices, default = promote(*choicelist, default)
    conditions = [to_jax(c).astype(bool) for c in condlist]
    return jnp.select(conditions, choices, default)


def diag(x, k=0):
    x = to_jax(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"diag needs a 1-D or 2-D x, got shape {x.shape}")
    return jnp.diag(x, int(k))


def diagflat(x, k=0):
    return jnp.diagflat(to_jax(x), int(k))


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(to_jax(x), int(offset), axis1, axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = to_jax(x)
    dtype = reduction_dtype(dtype_name(x))
    compute = jnp.float32 if dtype in ("float16", "bfloat16") else jnp_dtype(dtype)
    total = jnp.trace(x.astype(compute), int(offset), axis1, axis2)
    return total.astype(jnp_dtype(dtype))


def tril(x, k=0):
    return jnp.tril(to_jax(x), int(k))


def triu(x, k=0):
    return jnp.triu(to_jax(x), int(k))


def unravel_index(indices, shape):
    indices = to_jax(indices)
    dtype = jnp_dtype(result_type(indices.dtype))
    return tuple(c.astype(dtype) for c in jnp.unravel_index(indices, _shape(shape)))


def ndim(x):
    return int(jnp.ndim(to_jax(x)))


def size(x):
    return int(jnp.size(to_jax(x)))


def view(x, dtype=None):
    x = to_jax(x)
    return x if dtype is None else x.view(jnp_dtype(dtype))


__all__ = exported(globals())
