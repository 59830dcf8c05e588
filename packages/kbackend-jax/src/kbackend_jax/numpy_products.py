"""Contract group ``numpy`` on JAX, part four: sorting and searching, products, `vectorize`.

Products of float16 and bfloat16 operands accumulate in float32 (`preferred_element_type`) and
are rounded to their dtype once.
"""

from __future__ import annotations

import jax.numpy as jnp

from kbackend_jax._utils import dtype_name, float_array, jnp_dtype, promote, to_jax
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

_HALF = ("float16", "bfloat16")


# ---------------------------------------------------------------------------------------------
# Sorting and searching


def sort(x, axis=-1):
    return jnp.sort(to_jax(x), axis=axis)


def argsort(x, axis=-1):
    return jnp.argsort(to_jax(x), axis=axis, stable=True).astype(jnp.int32)


def argpartition(x, kth, axis=-1):
    return jnp.argpartition(to_jax(x), kth, axis=axis).astype(jnp.int32)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence = to_jax(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "searchsorted needs a 1-D sorted_sequence, got shape "
            f"{sorted_sequence.shape}; map over the leading axes with ops.vectorized_map."
        )
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted side must be 'left' or 'right', got side={side!r}")
    sorted_sequence, values = promote(sorted_sequence, values)
    return jnp.searchsorted(sorted_sequence, values, side=side).astype(jnp.int32)


# ---------------------------------------------------------------------------------------------
# Products


def _operands(*operands):
    """The operands as jax arrays of their `result_type`, that dtype, and the accumulation dtype."""
    arrays = [to_jax(x) for x in operands]
    dtype = result_type(*(a.dtype for a in arrays))
    target = jnp_dtype(dtype)
    accumulate = jnp.float32 if dtype in _HALF else target
    return [a.astype(target) for a in arrays], target, accumulate


def matmul(x1, x2):
    x1, x2 = to_jax(x1), to_jax(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    if dtype in ("bool", "int8", "uint8", "int16", "uint16"):
        dtype = "int32"
        x1, x2 = x1.astype(jnp.int32), x2.astype(jnp.int32)
        return jnp.matmul(x1, x2, preferred_element_type=jnp.int32)
    (x1, x2), target, accumulate = _operands(x1, x2)
    return jnp.matmul(x1, x2, preferred_element_type=accumulate).astype(target)


def dot(x1, x2):
    (x1, x2), target, accumulate = _operands(x1, x2)
    return jnp.dot(x1, x2, preferred_element_type=accumulate).astype(target)


def inner(x1, x2):
    (x1, x2), target, accumulate = _operands(x1, x2)
    return jnp.inner(x1, x2, preferred_element_type=accumulate).astype(target)


def outer(x1, x2):
    (x1, x2), _, _ = _operands(x1, x2)
    return jnp.outer(x1, x2)


def vdot(x1, x2):
    (x1, x2), target, accumulate = _operands(x1, x2)
    return jnp.vdot(x1, x2, preferred_element_type=accumulate).astype(target)


def kron(x1, x2):
    (x1, x2), _, _ = _operands(x1, x2)
    return jnp.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    (x1, x2), target, accumulate = _operands(x1, x2)
    x1, x2 = x1.astype(accumulate), x2.astype(accumulate)
    return jnp.cross(x1, x2, axisa, axisb, axisc, axis).astype(target)


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else a for a in axes)
    (x1, x2), target, accumulate = _operands(x1, x2)
    return jnp.tensordot(x1, x2, axes, preferred_element_type=accumulate).astype(target)


def einsum(subscripts, *operands, **kwargs):
    arrays = [to_jax(x) for x in operands]
    if {dtype_name(a) for a in arrays} == {"int8"}:
        return jnp.einsum(subscripts, *arrays, preferred_element_type=jnp.int32, **kwargs)
    arrays, target, accumulate = _operands(*arrays)
    return jnp.einsum(subscripts, *arrays, preferred_element_type=accumulate, **kwargs).astype(
        target
    )


def slogdet(x):
    x = float_array(x)
    sign, logabsdet = jnp.linalg.slogdet(x.astype(jnp.promote_types(x.dtype, jnp.float32)))
    return sign.astype(x.dtype), logabsdet.astype(x.dtype)


# ---------------------------------------------------------------------------------------------
# Functions


def vectorize(pyfunc, *, excluded=None, signature=None):
    return jnp.vectorize(pyfunc, excluded=excluded or set(), signature=signature)


__all__ = exported(globals())
