"""Contract group ``numpy`` on numpy, part one: element-wise math, comparisons, logic, bits.

float16 and bfloat16 values are computed in float32 and rounded back once, so the reference is as
exact as its result dtype allows.
"""

from __future__ import annotations

import numpy as np

from kcore.backend.contract import exported
from kcore.backend.dtypes import INT_TYPES, result_type
from kcore.backend.numpy._math_helpers import (
    _binary,
    _binary_float,
    _compare,
    _dtype,
    _float_of,
    _int_to_float,
    _is_inexact,
    _out,
    _quiet,
    _unary_float,
    _wide,
)
from kcore.backend.numpy._utils import float_result, np_dtype, promote, promotion_key, to_array

# ---------------------------------------------------------------------------------------------
# Arithmetic


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.add(x1, x2)


def subtract(x1, x2):
    return _binary(np.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(np.multiply, x1, x2)


def divide(x1, x2):
    return _binary_float(np.divide, x1, x2)


def divide_no_nan(x1, x2):
    def safe_divide(a, b):
        return np.where(b == 0, np.zeros((), a.dtype), a / np.where(b == 0, 1, b))

    return _binary_float(safe_divide, x1, x2)


def floor_divide(x1, x2):
    return _binary(np.floor_divide, x1, x2)


def mod(x1, x2):
    x1, x2 = promote(x1, x2)
    if _dtype(x1) == "bool":
        x1, x2 = x1.astype(np.int32), x2.astype(np.int32)
    return _binary(np.mod, x1, x2)


def power(x1, x2):
    return _binary(np.power, x1, x2)


def negative(x):
    x = to_array(x)
    return _out(np.negative(_wide(x)), _dtype(x))


def absolute(x):
    x = to_array(x)
    return np.asarray(np.absolute(x))


def square(x):
    x = to_array(x)
    if _dtype(x) == "bool":
        x = x.astype(np.int32)
    return _out(np.square(_wide(x)), _dtype(x))


def reciprocal(x):
    return _unary_float(np.reciprocal, x)


def sign(x):
    x = to_array(x)
    return _out(np.sign(_wide(x)), _dtype(x))


def maximum(x1, x2):
    return _binary(np.maximum, x1, x2)


def minimum(x1, x2):
    return _binary(np.minimum, x1, x2)


def clip(x, x_min, x_max):
    x = to_array(x)
    dtype = "int32" if _dtype(x) == "bool" else _dtype(x)
    x_min = x_min if x_min is None else to_array(x_min)
    x_max = x_max if x_max is None else to_array(x_max)
    return _out(np.clip(_wide(x.astype(np_dtype(dtype))), x_min, x_max), dtype)


def gcd(x1, x2):
    return _binary(np.gcd, x1, x2)


def lcm(x1, x2):
    return _binary(np.lcm, x1, x2)


def heaviside(x1, x2):
    dtype = _int_to_float(result_type(promotion_key(x1), promotion_key(x2)))
    x1, x2 = to_array(x1, dtype), to_array(x2, dtype)
    return _out(np.heaviside(_wide(x1), _wide(x2)), dtype)


def _finfo(dtype: str):
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.finfo(ml_dtypes.bfloat16)
    return np.finfo(np_dtype(dtype))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = to_array(x)
    dtype = _dtype(x)
    if not _is_inexact(dtype):
        return x.copy()
    if dtype.startswith("complex"):
        parts = [nan_to_num(part, nan, posinf, neginf) for part in (x.real, x.imag)]
        return _out(parts[0] + 1j * parts[1], dtype)
    info = _finfo(dtype)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    wide = _wide(x)
    wide = np.where(np.isnan(wide), nan, wide)
    wide = np.where(np.isposinf(wide), posinf, wide)
    wide = np.where(np.isneginf(wide), neginf, wide)
    return _out(wide, dtype)


# ---------------------------------------------------------------------------------------------
# Float functions


def sqrt(x):
    return _unary_float(np.sqrt, x)


def cbrt(x):
    return _unary_float(np.cbrt, x)


def exp(x):
    return _unary_float(np.exp, x)


def exp2(x):
    return _unary_float(np.exp2, x)


def expm1(x):
    return _unary_float(np.expm1, x)


def log(x):
    return _unary_float(np.log, x)


def log10(x):
    return _unary_float(np.log10, x)


def log1p(x):
    return _unary_float(np.log1p, x)


def log2(x):
    return _unary_float(np.log2, x)


def logaddexp(x1, x2):
    return _binary_float(np.logaddexp, x1, x2)


def logaddexp2(x1, x2):
    return _binary_float(np.logaddexp2, x1, x2)


def sin(x):
    return _unary_float(np.sin, x)


def cos(x):
    return _unary_float(np.cos, x)


def tan(x):
    return _unary_float(np.tan, x)


def arcsin(x):
    return _unary_float(np.arcsin, x)


def arccos(x):
    return _unary_float(np.arccos, x)


def arctan(x):
    return _unary_float(np.arctan, x)


def arctan2(x1, x2):
    return _binary_float(np.arctan2, x1, x2)


def sinh(x):
    return _unary_float(np.sinh, x)


def cosh(x):
    return _unary_float(np.cosh, x)


def tanh(x):
    return _unary_float(np.tanh, x)


def arcsinh(x):
    return _unary_float(np.arcsinh, x)


def arccosh(x):
    return _unary_float(np.arccosh, x)


def arctanh(x):
    return _unary_float(np.arctanh, x)


def hypot(x1, x2):
    dtype = _int_to_float(result_type(promotion_key(x1), promotion_key(x2)))
    x1, x2 = to_array(x1, dtype), to_array(x2, dtype)
    return _out(np.hypot(_wide(x1), _wide(x2)), dtype)


def deg2rad(x):
    return _unary_float(np.deg2rad, x)


def angle(x):
    x = float_result(x)
    dtype = _dtype(x)
    result = {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)
    return _out(np.angle(_wide(x)), result)


def ceil(x):
    return _unary_float(np.ceil, x)


def floor(x):
    return _unary_float(np.floor, x)


def round(x, decimals=0):
    x = to_array(x)
    dtype = _dtype(x)
    if dtype == "bool":
        return x.copy()
    with _quiet():
        return _out(np.round(_wide(x), decimals), dtype)


def trunc(x):
    x = to_array(x)
    if not _is_inexact(_dtype(x)):
        return x.copy()
    return _out(np.trunc(_wide(x)), _dtype(x))


def ldexp(x1, x2):
    exponent = to_array(x2)
    if _dtype(exponent) not in INT_TYPES:
        raise TypeError(
            f"ldexp needs an integer exponent `x2`, but received dtype {_dtype(exponent)}. "
            "Cast it with `ops.cast(x2, 'int32')`."
        )
    dtype = _float_of(x1, exponent)
    with _quiet():
        return _out(np.ldexp(to_array(x1, "float64"), exponent.astype(np.int32)), dtype)


def nextafter(x1, x2):
    dtype = _float_of(x1, x2)
    x1, x2 = to_array(x1, dtype), to_array(x2, dtype)
    return np.asarray(np.nextafter(x1, x2))


# ---------------------------------------------------------------------------------------------
# Complex numbers


def real(x):
    return np.array(np.real(to_array(x)))


def imag(x):
    return np.array(np.imag(to_array(x)))


def conjugate(x):
    return np.asarray(np.conjugate(to_array(x)))


def isreal(x):
    x = to_array(x)
    if _dtype(x).startswith("complex"):
        return np.asarray(x.imag == 0)
    return np.ones(x.shape, dtype=bool)


def copy(x):
    return np.array(to_array(x), copy=True)


# ---------------------------------------------------------------------------------------------
# Comparisons and logic


def equal(x1, x2):
    return _compare(np.equal, x1, x2)


def not_equal(x1, x2):
    return _compare(np.not_equal, x1, x2)


def greater(x1, x2):
    return _compare(np.greater, x1, x2)


def greater_equal(x1, x2):
    return _compare(np.greater_equal, x1, x2)


def less(x1, x2):
    return _compare(np.less, x1, x2)


def less_equal(x1, x2):
    return _compare(np.less_equal, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    if _dtype(x1) == "bool":
        x1, x2 = x1.astype(np.int32), x2.astype(np.int32)
    return np.asarray(np.isclose(_wide(x1), _wide(x2), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isfinite(x):
    return np.asarray(np.isfinite(_wide(to_array(x))))


def isinf(x):
    return np.asarray(np.isinf(_wide(to_array(x))))


def isnan(x):
    return np.asarray(np.isnan(_wide(to_array(x))))


def isneginf(x):
    x = to_array(x)
    if _dtype(x).startswith("complex"):
        return np.asarray(np.isinf(x) & (x.real < 0))
    return np.asarray(np.isneginf(_wide(x)))


def isposinf(x):
    x = to_array(x)
    if _dtype(x).startswith("complex"):
        return np.asarray(np.isinf(x) & (x.real > 0))
    return np.asarray(np.isposinf(_wide(x)))


def signbit(x):
    x = to_array(x)
    if not _is_inexact(_dtype(x)):
        return np.asarray(x < 0)
    return np.asarray(np.signbit(_wide(x)))


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = to_array(x1), to_array(x2)
    return np.asarray(np.isin(x1, x2, assume_unique=assume_unique, invert=invert))


def logical_and(x1, x2):
    return np.asarray(np.logical_and(to_array(x1), to_array(x2)))


def logical_or(x1, x2):
    return np.asarray(np.logical_or(to_array(x1), to_array(x2)))


def logical_xor(x1, x2):
    return np.asarray(np.logical_xor(to_array(x1), to_array(x2)))


def logical_not(x):
    return np.asarray(np.logical_not(to_array(x)))


# ---------------------------------------------------------------------------------------------
# Bitwise operations


def bitwise_and(x, y):
    x, y = promote(x, y)
    return np.asarray(np.bitwise_and(x, y))


def bitwise_or(x, y):
    x, y = promote(x, y)
    return np.asarray(np.bitwise_or(x, y))


def bitwise_xor(x, y):
    x, y = promote(x, y)
    return np.asarray(np.bitwise_xor(x, y))


def bitwise_invert(x):
    return np.asarray(np.invert(to_array(x)))


def _shift(fn, x, y):
    if isinstance(y, int) and not isinstance(y, bool):
        x = to_array(x)
        return np.asarray(fn(x, np.asarray(y, dtype=x.dtype)))
    x, y = promote(x, y)
    return np.asarray(fn(x, y))


def bitwise_left_shift(x, y):
    return _shift(np.left_shift, x, y)


def bitwise_right_shift(x, y):
    return _shift(np.right_shift, x, y)


__all__ = exported(globals())
