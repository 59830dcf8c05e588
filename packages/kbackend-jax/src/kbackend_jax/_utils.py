"""Helpers shared by the JAX backend's modules: dtypes, conversion and Keras type promotion."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

from kcore.backend.dtypes import result_type, standardize_dtype

_NUMPY_NAMES = {"bfloat16": ml_dtypes.bfloat16}
_HALF = ("float16", "bfloat16")
_SCALARS = (bool, int, float, complex)


def jnp_dtype(dtype):
    """The jax.numpy dtype for a kcore dtype name (or anything `standardize_dtype` accepts);
    ``None`` means floatx."""
    return _jnp_dtype(standardize_dtype(dtype))


@functools.cache
def _jnp_dtype(name: str):
    return jnp.dtype(_NUMPY_NAMES.get(name, name))


def dtype_name(x) -> str:
    """The kcore dtype name of an array (or of anything with a ``dtype``)."""
    return standardize_dtype(x.dtype)


def _leaf_types(x, out):
    if isinstance(x, (list, tuple)):
        for item in x:
            _leaf_types(item, out)
    else:
        out.append(getattr(x, "dtype", type(x)))
    return out


def to_jax(x, dtype=None) -> jax.Array:
    """`convert_to_tensor` for the JAX backend: jax arrays, numpy arrays, Python scalars, nested
    lists and kcore Variables (their ``.value``) become a jax array.

    With `dtype=None`, arrays keep their dtype; Python floats become floatx, ints int32, bools
    bool (lists take the `result_type` of their leaves).
    """
    if hasattr(x, "_kcore_variable"):
        x = x.value
    if isinstance(x, jax.Array):
        if dtype is not None and x.dtype != jnp_dtype(dtype):
            return x.astype(jnp_dtype(dtype))
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return jnp.asarray(x, dtype=None if dtype is None else jnp_dtype(dtype))
    if dtype is None:
        if isinstance(x, _SCALARS):
            dtype = result_type(type(x))
        elif isinstance(x, (list, tuple)):
            leaves = _leaf_types(x, [])
            dtype = result_type(*leaves) if leaves else None
        else:
            return jnp.asarray(x)
    return jnp.asarray(x, dtype=jnp_dtype(dtype))


def promotion_key(value):
    """What `result_type` sees of a value: the weak Python type of a scalar, else its dtype."""
    if isinstance(value, _SCALARS):
        return type(value)
    if hasattr(value, "_kcore_variable"):
        value = value.value
    dtype = getattr(value, "dtype", None)
    return dtype if dtype is not None else to_jax(value).dtype


def promote_dtype(*values, extra=()) -> str:
    """The `result_type` of `values` (Python scalars weak), with extra dtypes or types."""
    return result_type(*(promotion_key(v) for v in values), *extra)


def promote(*values):
    """`values` as jax arrays of their common dtype (Keras promotion, Python scalars weak)."""
    dtype = promote_dtype(*values)
    return [to_jax(v, dtype) for v in values]


def is_inexact(dtype: str) -> bool:
    return dtype.startswith(("float", "bfloat", "complex"))


def float_dtype_of(x) -> str:
    """The float dtype of a "float" op on `x`: ints and bools give floatx, floats keep theirs."""
    dtype = dtype_name(x)
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def float_array(x) -> jax.Array:
    """`x` as a jax array of a float dtype (ints and bools become floatx)."""
    x = to_jax(x)
    dtype = float_dtype_of(x)
    return x if dtype_name(x) == dtype else x.astype(jnp_dtype(dtype))


def widen(x: jax.Array) -> jax.Array:
    """`x`, with float16 and bfloat16 widened to float32 for computing."""
    return x.astype(jnp.float32) if dtype_name(x) in _HALF else x


def axis_arg(axis):
    """An `axis` argument as jax.numpy takes it (lists become tuples)."""
    return tuple(axis) if isinstance(axis, list) else axis
