"""Contract group ``numpy`` on JAX, part one: element-wise math, comparisons, logic, bits.

Binary ops promote their operands with Keras's `result_type` (Python scalars are weak) before
calling `jax.numpy`; "float" functions turn int and bool inputs into floatx first.
"""

from __future__ import annotations

import jax.numpy as jnp

from kbackend_jax._utils import (
    dtype_name,
    float_array,
    is_inexact,
    jnp_dtype,
    promote,
    promote_dtype,
    to_jax,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import INT_TYPES, result_type


def _binary(fn, x1, x2):
    x1, x2 = promote(x1, x2)
    return fn(x1, x2)


def _binary_float(fn, x1, x2):
    """`fn` on `x1` and `x2` cast to `result_type(x1, x2, float)`."""
    dtype = promote_dtype(x1, x2, extra=(float,))
    return fn(to_jax(x1, dtype), to_jax(x2, dtype))


def _int_to_float(dtype: str) -> str:
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def _unary_float(fn):
    def op(x):
        return fn(float_array(x))

    op.__name__ = fn.__name__
    return op


# ---------------------------------------------------------------------------------------------
# Arithmetic


def add(x1, x2):
    return _binary(jnp.add, x1, x2)


def subtract(x1, x2):
    return _binary(jnp.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(jnp.multiply, x1, x2)


def divide(x1, x2):
    return _binary_float(jnp.true_divide, x1, x2)


def _safe_divide(x1, x2):
    zero = x2 == 0
    return jnp.where(
        zero, jnp.zeros((), x1.dtype), x1 / jnp.where(zero, jnp.ones((), x2.dtype), x2)
    )


def divide_no_nan(x1, x2):
    return _binary_float(_safe_divide, x1, x2)


def floor_divide(x1, x2):
    return _binary(jnp.floor_divide, x1, x2)


def mod(x1, x2):
    x1, x2 = promote(x1, x2)
    if dtype_name(x1) == "bool":
        x1, x2 = x1.astype(jnp.int32), x2.astype(jnp.int32)
    return jnp.mod(x1, x2)


def power(x1, x2):
    return _binary(jnp.power, x1, x2)


def negative(x):
    return jnp.negative(to_jax(x))


def absolute(x):
    return jnp.absolute(to_jax(x))


def square(x):
    x = to_jax(x)
    if dtype_name(x) == "bool":
        x = x.astype(jnp.int32)
    return jnp.square(x)


def reciprocal(x):
    return jnp.reciprocal(float_array(x))


def sign(x):
    return jnp.sign(to_jax(x))


def maximum(x1, x2):
    return _binary(jnp.maximum, x1, x2)


def minimum(x1, x2):
    return _binary(jnp.minimum, x1, x2)


def clip(x, x_min, x_max):
    x = to_jax(x)
    dtype = "int32" if dtype_name(x) == "bool" else dtype_name(x)
    x = x.astype(jnp_dtype(dtype))
    return jnp.clip(x, x_min, x_max).astype(x.dtype)


def gcd(x1, x2):
    return _binary(jnp.gcd, x1, x2)


def lcm(x1, x2):
    return _binary(jnp.lcm, x1, x2)


def heaviside(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    return jnp.heaviside(to_jax(x1, dtype), to_jax(x2, dtype))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = to_jax(x)
    if not is_inexact(dtype_name(x)):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------------------------------------
# Float functions: int and bool inputs give floatx

sqrt = _unary_float(jnp.sqrt)
cbrt = _unary_float(jnp.cbrt)
exp = _unary_float(jnp.exp)
exp2 = _unary_float(jnp.exp2)
expm1 = _unary_float(jnp.expm1)
log = _unary_float(jnp.log)
log10 = _unary_float(jnp.log10)
log1p = _unary_float(jnp.log1p)
log2 = _unary_float(jnp.log2)
sin = _unary_float(jnp.sin)
cos = _unary_float(jnp.cos)
tan = _unary_float(jnp.tan)
arcsin = _unary_float(jnp.arcsin)
arccos = _unary_float(jnp.arccos)
arctan = _unary_float(jnp.arctan)
sinh = _unary_float(jnp.sinh)
cosh = _unary_float(jnp.cosh)
tanh = _unary_float(jnp.tanh)
arcsinh = _unary_float(jnp.arcsinh)
arccosh = _unary_float(jnp.arccosh)
arctanh = _unary_float(jnp.arctanh)
deg2rad = _unary_float(jnp.deg2rad)
ceil = _unary_float(jnp.ceil)
floor = _unary_float(jnp.floor)


def logaddexp(x1, x2):
    return _binary_float(jnp.logaddexp, x1, x2)


def logaddexp2(x1, x2):
    return _binary_float(jnp.logaddexp2, x1, x2)


def arctan2(x1, x2):
    return _binary_float(jnp.arctan2, x1, x2)


def hypot(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    return jnp.hypot(to_jax(x1, dtype), to_jax(x2, dtype))


def angle(x):
    return jnp.angle(float_array(x))


def round(x, decimals=0):
    x = to_jax(x)
    dtype = dtype_name(x)
    if dtype == "bool":
        return x
    if dtype in INT_TYPES and decimals < 0:
        return _round_int(x, 10 ** (-decimals))
    return jnp.round(x, decimals)


def _round_int(x, factor):
    """Ints rounded to a multiple of `factor`, halves to even, exactly (jnp.round has no
    negative `decimals` for ints)."""
    compute = jnp.promote_types(x.dtype, jnp.int32)
    if factor > jnp.iinfo(compute).max:
        return jnp.zeros_like(x)
    wide = x.astype(compute)
    quotient, remainder = jnp.floor_divide(wide, factor), jnp.remainder(wide, factor)
    up = (2 * remainder > factor) | ((2 * remainder == factor) & (quotient % 2 == 1))
    return ((quotient + up.astype(compute)) * factor).astype(x.dtype)


def trunc(x):
    x = to_jax(x)
    if not is_inexact(dtype_name(x)):
        return x
    return jnp.trunc(x)


def ldexp(x1, x2):
    exponent = to_jax(x2)
    if dtype_name(exponent) not in INT_TYPES:
        raise TypeError(
            f"ldexp needs an integer exponent `x2`, but received dtype {dtype_name(exponent)}. "
            "Cast it with `ops.cast(x2, 'int32')`."
        )
    dtype = promote_dtype(x1, exponent, extra=(float,))
    mantissa = to_jax(x1, dtype)
    # Scale in float32 (at least): a float16 power of two overflows before the product would.
    compute = jnp.promote_types(mantissa.dtype, jnp.float32)
    scale = jnp.exp2(exponent.astype(compute))
    return (mantissa.astype(compute) * scale).astype(mantissa.dtype)


def nextafter(x1, x2):
    dtype = promote_dtype(x1, x2, extra=(float,))
    return jnp.nextafter(to_jax(x1, dtype), to_jax(x2, dtype))


# ---------------------------------------------------------------------------------------------
# Complex numbers


def real(x):
    return jnp.real(to_jax(x))


def imag(x):
    return jnp.imag(to_jax(x))


def conjugate(x):
    return jnp.conjugate(to_jax(x))


def isreal(x):
    return jnp.isreal(to_jax(x))


def copy(x):
    return jnp.array(to_jax(x), copy=True)


# ---------------------------------------------------------------------------------------------
# Comparisons and logic


def equal(x1, x2):
    return _binary(jnp.equal, x1, x2)


def not_equal(x1, x2):
    return _binary(jnp.not_equal, x1, x2)


def greater(x1, x2):
    return _binary(jnp.greater, x1, x2)


def greater_equal(x1, x2):
    return _binary(jnp.greater_equal, x1, x2)


def less(x1, x2):
    return _binary(jnp.less, x1, x2)


def less_equal(x1, x2):
    return _binary(jnp.less_equal, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    if dtype_name(x1) == "bool":
        x1, x2 = x1.astype(jnp.int32), x2.astype(jnp.int32)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isfinite(x):
    return jnp.isfinite(to_jax(x))


def isinf(x):
    return jnp.isinf(to_jax(x))


def isnan(x):
    return jnp.isnan(to_jax(x))


def isneginf(x):
    x = to_jax(x)
    if dtype_name(x).startswith("complex"):
        return jnp.isinf(x) & (x.real < 0)
    return jnp.isneginf(x)


def isposinf(x):
    x = to_jax(x)
    if dtype_name(x).startswith("complex"):
        return jnp.isinf(x) & (x.real > 0)
    return jnp.isposinf(x)


def signbit(x):
    x = to_jax(x)
    if not is_inexact(dtype_name(x)):
        return x < 0
    return jnp.signbit(x)


def isin(x1, x2, assume_unique=False, invert=False):
    return jnp.isin(to_jax(x1), to_jax(x2), assume_unique=assume_unique, invert=invert)


def logical_and(x1, x2):
    return jnp.logical_and(to_jax(x1), to_jax(x2))


def logical_or(x1, x2):
    return jnp.logical_or(to_jax(x1), to_jax(x2))


def logical_xor(x1, x2):
    return jnp.logical_xor(to_jax(x1), to_jax(x2))


def logical_not(x):
    return jnp.logical_not(to_jax(x))


# ---------------------------------------------------------------------------------------------
# Bitwise operations


def bitwise_and(x, y):
    return _binary(jnp.bitwise_and, x, y)


def bitwise_or(x, y):
    return _binary(jnp.bitwise_or, x, y)


def bitwise_xor(x, y):
    return _binary(jnp.bitwise_xor, x, y)


def bitwise_invert(x):
    return jnp.invert(to_jax(x))


def _shift(fn, x, y):
    if isinstance(y, int) and not isinstance(y, bool):
        x = to_jax(x)
        return fn(x, jnp.asarray(y, x.dtype))
    return _binary(fn, x, y)


def bitwise_left_shift(x, y):
    return _shift(jnp.left_shift, x, y)


def bitwise_right_shift(x, y):
    return _shift(jnp.right_shift, x, y)


__all__ = exported(globals())
