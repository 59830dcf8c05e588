"""Helpers of the nn, math, linalg, random, image and rnn modules, on top of `kbackend_jax._utils`:
computing float ops in a wide enough dtype, and argument normalization."""

from __future__ import annotations

import numpy as np

from kbackend_jax._utils import dtype_name, float_array, to_jax, widen
from kcore.backend.dtypes import result_type

HALF = ("float16", "bfloat16")

float_input = float_array

__all__ = [
    "HALF",
    "as_tuple",
    "dtype_name",
    "float_input",
    "float_op",
    "pair_float_dtype",
    "to_jax",
    "widen",
]


def float_op(fn, x):
    """`fn` on `x` as floats (half floats computed in float32), cast back to `x`'s float dtype."""
    x = float_array(x)
    return fn(widen(x)).astype(x.dtype)


def pair_float_dtype(a, b) -> str:
    """The float result dtype of a binary op on `a` and `b` (ints and bools give floatx)."""
    return result_type(dtype_name(a), dtype_name(b), float)


def as_tuple(value, n, name):
    """An int or a sequence of `n` ints as a tuple of `n` ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, got {value!r}.")
    return value
