"""Contract group ``numpy`` on TensorFlow, part one: element-wise math, comparisons, logic, bits.

Binary ops promote their operands with Keras's `result_type` (Python scalars are weak); two tensors
of one dtype skip promotion. "Float" functions turn int and bool inputs into floatx first. Dtypes
a TensorFlow kernel lacks (bool arithmetic, unsigned negation, ...) are computed in a wider one.
"""

from __future__ import annotations

import math

import tensorflow as tf

from kbackend_tf._utils import (
    dtype_name,
    float_array,
    is_inexact,
    promote,
    promote_dtype,
    to_tf,
    widen,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import INT_TYPES, result_type

_UNSIGNED = (tf.uint8, tf.uint16, tf.uint32, tf.uint64)
# Where a kernel lacks bools or unsigned ints: the signed dtype that holds their values.
_SIGNED = {
    tf.bool: tf.int32,
    tf.uint8: tf.int32,
    tf.uint16: tf.int32,
    tf.uint32: tf.int64,
    tf.uint64: tf.int64,
}
# The int dtype of the same width as each float, for reading sign bits.
_BITS = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32, tf.float64: tf.int64}


def _keeps_dtype(tensor, scalar) -> bool:
    """Whether a weak Python scalar leaves `tensor`'s dtype as the result dtype."""
    kind = type(scalar)
    if kind is float:
        return tensor.dtype.is_floating
    return kind is int and (tensor.dtype.is_floating or tensor.dtype.is_integer)


def _binary(fn, x1, x2):
    # Fast paths: two tensors of one dtype, or a tensor and a scalar that keeps its dtype.
    if isinstance(x1, tf.Tensor):
        if isinstance(x2, tf.Tensor):
            if x1.dtype == x2.dtype:
                return _broadcasting(fn, x1, x2)
        elif _keeps_dtype(x1, x2):
            return _broadcasting(fn, x1, to_tf(x2, x1.dtype))
    elif isinstance(x2, tf.Tensor) and _keeps_dtype(x2, x1):
        return _broadcasting(fn, to_tf(x1, x2.dtype), x2)
    x1, x2 = promote(x1, x2)
    return _broadcasting(fn, x1, x2)


def _binary_float(fn, x1, x2):
    """`fn` on `x1` and `x2` cast to `result_type(x1, x2, float)`."""
    dtype = promote_dtype(x1, x2, extra=(float,))
    return _broadcasting(fn, to_tf(x1, dtype), to_tf(x2, dtype))


def _broadcasting(fn, x1, x2):
    """`fn(x1, x2)`, with the kernel's error for shapes that do not broadcast as a ValueError
    (what numpy and the other backends raise)."""
    try:
        return fn(x1, x2)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(error.message) from None


def _signed(fn):
    """`fn` of same-dtype tensors, computed in a signed int dtype for bools and unsigned ints and
    cast back (wrapping as numpy does)."""

    def compute(x1, x2):
        wide = _SIGNED.get(x1.dtype)
        if wide is None:
            return fn(x1, x2)
        return tf.cast(fn(tf.cast(x1, wide), tf.cast(x2, wide)), x1.dtype)

    return compute


def _with_bool(fn, bool_fn):
    """`fn` of same-dtype tensors, `bool_fn` when they are bools."""

    def compute(x1, x2):
        return bool_fn(x1, x2) if x1.dtype == tf.bool else fn(x1, x2)

    return compute


def _int_to_float(dtype: str) -> str:
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def _unary_float(fn, name):
    def op(x):
        if isinstance(x, tf.Tensor) and x.dtype.is_floating:
            return fn(x)
        return fn(float_array(x))

    op.__name__ = op.__qualname__ = name
    return op


# ---------------------------------------------------------------------------------------------
# Arithmetic

_add = _with_bool(tf.math.add, tf.math.logical_or)
_multiply = _with_bool(tf.math.multiply, tf.math.logical_and)
_maximum = _with_bool(tf.math.maximum, tf.math.logical_or)
_minimum = _with_bool(tf.math.minimum, tf.math.logical_and)


def add(x1, x2):
    return _binary(_add, x1, x2)


def subtract(x1, x2):
    return _binary(tf.math.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(_multiply, x1, x2)


def divide(x1, x2):
    return _binary_float(tf.math.truediv, x1, x2)


def divide_no_nan(x1, x2):
    return _binary_float(tf.math.divide_no_nan, x1, x2)


def floor_divide(x1, x2):
    return _binary(_signed(tf.math.floordiv), x1, x2)


def mod(x1, x2):
    x1, x2 = promote(x1, x2)
    if x1.dtype == tf.bool:
        x1, x2 = tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)
    return tf.math.floormod(x1, x2)


def power(x1, x2):
    return _binary(_signed(tf.math.pow), x1, x2)


def negative(x):
    x = to_tf(x)
    if x.dtype in _UNSIGNED:
        return tf.zeros_like(x) - x
    return tf.math.negative(x)


def absolute(x):
    x = to_tf(x)
    if x.dtype in _UNSIGNED or x.dtype == tf.bool:
        return x
    return tf.math.abs(x)


def square(x):
    x = to_tf(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    return tf.math.square(x)


def reciprocal(x):
    return tf.math.reciprocal(float_array(x))


def sign(x):
    x = to_tf(x)
    if x.dtype == tf.bool:
        return x
    if x.dtype in _UNSIGNED:
        return tf.cast(x > 0, x.dtype)
    return tf.math.sign(x)


def maximum(x1, x2):
    return _binary(_maximum, x1, x2)


def minimum(x1, x2):
    return _binary(_minimum, x1, x2)


def clip(x, x_min, x_max):
    x = to_tf(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    return tf.clip_by_value(x, to_tf(x_min, x.dtype), to_tf(x_max, x.dtype))


def _gcd(x1, x2):
    if x1.dtype not in _UNSIGNED:
        x1, x2 = tf.math.abs(x1), tf.math.abs(x2)
    zero = tf.zeros((), x1.dtype)

    def step(a, b):
        nonzero = tf.not_equal(b, zero)
        remainder = tf.math.floormod(a, tf.where(nonzero, b, tf.ones_like(b)))
        return tf.where(nonzero, b, a), tf.where(nonzero, remainder, zero)

    a, _ = tf.while_loop(lambda a, b: tf.reduce_any(tf.not_equal(b, zero)), step, (x1, x2))
    return a


def gcd(x1, x2):
    return _binary(_gcd, x1, x2)


def _lcm(x1, x2):
    divisor = _gcd(x1, x2)
    zero = tf.equal(divisor, 0)
    product = tf.math.floordiv(x1, tf.where(zero, tf.ones_like(divisor), divisor)) * x2
    result = product if x1.dtype in _UNSIGNED else tf.math.abs(product)
    return tf.where(zero, tf.zeros_like(result), result)


def lcm(x1, x2):
    return _binary(_lcm, x1, x2)


def heaviside(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    x1, x2 = to_tf(x1, dtype), to_tf(x2, dtype)
    zeros, ones = tf.zeros_like(x1), tf.ones_like(x1)
    steps = tf.where(x1 < 0, zeros, tf.where(x1 > 0, ones, x2))
    return tf.where(tf.math.is_nan(x1), x1, steps)


def _replace_non_finite(x, nan, posinf, neginf):
    nan = tf.cast(nan, x.dtype)
    posinf = tf.constant(x.dtype.max, x.dtype) if posinf is None else tf.cast(posinf, x.dtype)
    neginf = tf.constant(x.dtype.min, x.dtype) if neginf is None else tf.cast(neginf, x.dtype)
    x = tf.where(tf.math.is_nan(x), nan, x)
    return tf.where(tf.math.is_inf(x), tf.where(x > 0, posinf, neginf), x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return x
    if x.dtype.is_complex:
        parts = (tf.math.real(x), tf.math.imag(x))
        return tf.complex(*(_replace_non_finite(p, nan, posinf, neginf) for p in parts))
    return _replace_non_finite(x, nan, posinf, neginf)


# ---------------------------------------------------------------------------------------------
# Float functions: int and bool inputs give floatx


def _cbrt(x):
    return tf.math.sign(x) * tf.math.pow(tf.math.abs(x), tf.cast(1.0 / 3.0, x.dtype))


def _exp2(x):
    return tf.math.pow(tf.cast(2.0, x.dtype), x)


def _log_base(base):
    def log(x):
        return tf.math.log(x) / tf.cast(math.log(base), x.dtype)

    return log


def _deg2rad(x):
    return x * tf.cast(math.pi / 180.0, x.dtype)


sqrt = _unary_float(tf.math.sqrt, "sqrt")
cbrt = _unary_float(_cbrt, "cbrt")
exp = _unary_float(tf.math.exp, "exp")
exp2 = _unary_float(_exp2, "exp2")
expm1 = _unary_float(tf.math.expm1, "expm1")
log = _unary_float(tf.math.log, "log")
log10 = _unary_float(_log_base(10.0), "log10")
log1p = _unary_float(tf.math.log1p, "log1p")
log2 = _unary_float(_log_base(2.0), "log2")
sin = _unary_float(tf.math.sin, "sin")
cos = _unary_float(tf.math.cos, "cos")
tan = _unary_float(tf.math.tan, "tan")
arcsin = _unary_float(tf.math.asin, "arcsin")
arccos = _unary_float(tf.math.acos, "arccos")
arctan = _unary_float(tf.math.atan, "arctan")
sinh = _unary_float(tf.math.sinh, "sinh")
cosh = _unary_float(tf.math.cosh, "cosh")
tanh = _unary_float(tf.math.tanh, "tanh")
arcsinh = _unary_float(tf.math.asinh, "arcsinh")
arccosh = _unary_float(tf.math.acosh, "arccosh")
arctanh = _unary_float(tf.math.atanh, "arctanh")
deg2rad = _unary_float(_deg2rad, "deg2rad")
ceil = _unary_float(tf.math.ceil, "ceil")
floor = _unary_float(tf.math.floor, "floor")


def _in_float32(fn):
    """`fn` of same-dtype float tensors, half floats computed in float32 and cast back."""

    def compute(x1, x2):
        return tf.cast(fn(widen(x1), widen(x2)), x1.dtype)

    return compute


def _logaddexp_base(log_of_two):
    """logaddexp in base e (`log_of_two` = ln 2) or base 2 (1): the larger operand plus the log
    of one plus the base to the minus distance (equal infinities and NaNs come out as `x1 + x2`)."""

    def compute(x1, x2):
        distance = x1 - x2
        top = tf.math.maximum(x1, x2)
        scale = tf.cast(log_of_two, x1.dtype)
        rest = tf.math.log1p(tf.math.exp(-tf.math.abs(distance) * scale)) / scale
        return tf.where(tf.math.is_nan(distance), x1 + x2, top + rest)

    return _in_float32(compute)


_logaddexp = _logaddexp_base(1.0)
_logaddexp2 = _logaddexp_base(math.log(2.0))


def logaddexp(x1, x2):
    return _binary_float(_logaddexp, x1, x2)


def logaddexp2(x1, x2):
    return _binary_float(_logaddexp2, x1, x2)


def arctan2(x1, x2):
    return _binary_float(tf.math.atan2, x1, x2)


def _hypot(x1, x2):
    a, b = tf.math.abs(x1), tf.math.abs(x2)
    top, bottom = tf.math.maximum(a, b), tf.math.minimum(a, b)
    ratio = bottom / tf.where(top > 0, top, tf.ones_like(top))
    result = top * tf.math.sqrt(1 + ratio * ratio)
    infinite = tf.math.logical_or(tf.math.is_inf(a), tf.math.is_inf(b))
    return tf.where(infinite, tf.constant(math.inf, result.dtype), result)


def hypot(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    return _hypot(to_tf(x1, dtype), to_tf(x2, dtype))


def angle(x):
    x = float_array(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    return tf.math.atan2(tf.zeros_like(x), x)


def round(x, decimals=0):
    x = to_tf(x)
    dtype = dtype_name(x)
    if dtype == "bool":
        return x
    if dtype in INT_TYPES:
        return _round_int(x, 10 ** (-decimals)) if decimals < 0 else x
    if decimals == 0:
        return tf.math.round(x)
    wide = widen(x)
    factor = tf.cast(10.0**decimals, wide.dtype)
    return tf.cast(tf.math.round(wide * factor) / factor, x.dtype)


def _round_int(x, factor):
    """Ints rounded to a multiple of `factor`, halves to even, exactly."""
    compute = tf.int64 if x.dtype in (tf.int64, tf.uint32, tf.uint64) else tf.int32
    if factor > compute.max:
        return tf.zeros_like(x)
    wide = tf.cast(x, compute)
    quotient, remainder = tf.math.floordiv(wide, factor), tf.math.floormod(wide, factor)
    half = 2 * remainder
    odd = tf.equal(tf.math.floormod(quotient, 2), 1)
    up = tf.math.logical_or(half > factor, tf.math.logical_and(tf.equal(half, factor), odd))
    return tf.cast((quotient + tf.cast(up, compute)) * factor, x.dtype)


def trunc(x):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return x
    return tf.where(x < 0, tf.math.ceil(x), tf.math.floor(x))


def ldexp(x1, x2):
    exponent = to_tf(x2)
    if dtype_name(exponent) not in INT_TYPES:
        raise TypeError(
            f"ldexp needs an integer exponent `x2`, but received dtype {dtype_name(exponent)}. "
            "Cast it with `ops.cast(x2, 'int32')`."
        )
    dtype = promote_dtype(x1, exponent, extra=(float,))
    mantissa = to_tf(x1, dtype)
    # Scale in float32 (at least): a float16 power of two overflows before the product would.
    compute = widen(mantissa)
    scale = tf.math.pow(tf.cast(2.0, compute.dtype), tf.cast(exponent, compute.dtype))
    return tf.cast(compute * scale, mantissa.dtype)


def _nextafter_bits(x1, x2):
    """nextafter for float16 and bfloat16, by stepping the bit pattern of `x1` toward `x2`."""
    bits_dtype = _BITS[x1.dtype]
    bits = tf.bitcast(x1, bits_dtype)
    toward_zero = tf.math.logical_xor(x2 > x1, x1 > 0)
    stepped = tf.bitcast(tf.where(toward_zero, bits - 1, bits + 1), x1.dtype)
    # From zero, the smallest subnormal with the sign of the target.
    tiny = tf.bitcast(tf.ones_like(bits), x1.dtype)
    stepped = tf.where(tf.equal(x1, 0), tf.where(x2 > 0, tiny, -tiny), stepped)
    stepped = tf.where(tf.equal(x1, x2), x2, stepped)
    return tf.where(tf.math.logical_or(tf.math.is_nan(x1), tf.math.is_nan(x2)), x1 + x2, stepped)


def nextafter(x1, x2):
    dtype = promote_dtype(x1, x2, extra=(float,))
    x1, x2 = to_tf(x1, dtype), to_tf(x2, dtype)
    if x1.dtype in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    return _nextafter_bits(x1, x2)


# ---------------------------------------------------------------------------------------------
# Complex numbers


def real(x):
    return tf.math.real(to_tf(x))


def imag(x):
    return tf.math.imag(to_tf(x))


def conjugate(x):
    return tf.math.conj(to_tf(x))


def isreal(x):
    x = to_tf(x)
    if not x.dtype.is_complex:
        return tf.ones_like(x, tf.bool)
    return tf.equal(tf.math.imag(x), 0)


def copy(x):
    return tf.identity(to_tf(x))


# ---------------------------------------------------------------------------------------------
# Comparisons and logic


def _ordered(fn):
    """A comparison of same-dtype tensors (bools compared as ints)."""

    def compare(x1, x2):
        if x1.dtype == tf.bool:
            x1, x2 = tf.cast(x1, tf.int8), tf.cast(x2, tf.int8)
        return fn(x1, x2)

    return compare


_greater = _ordered(tf.math.greater)
_greater_equal = _ordered(tf.math.greater_equal)
_less = _ordered(tf.math.less)
_less_equal = _ordered(tf.math.less_equal)


def equal(x1, x2):
    return _binary(tf.math.equal, x1, x2)


def not_equal(x1, x2):
    return _binary(tf.math.not_equal, x1, x2)


def greater(x1, x2):
    return _binary(_greater, x1, x2)


def greater_equal(x1, x2):
    return _binary(_greater_equal, x1, x2)


def less(x1, x2):
    return _binary(_less, x1, x2)


def less_equal(x1, x2):
    return _binary(_less_equal, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    if not is_inexact(dtype_name(x1)):
        x1, x2 = tf.cast(x1, tf.float64), tf.cast(x2, tf.float64)
    distance = tf.math.abs(x1 - x2)
    limit = tf.cast(atol, distance.dtype) + tf.cast(rtol, distance.dtype) * tf.math.abs(x2)
    close = tf.math.logical_or(tf.equal(x1, x2), distance <= limit)
    if equal_nan:
        both_nan = tf.math.logical_and(_isnan(x1), _isnan(x2))
        close = tf.math.logical_or(close, both_nan)
    return close


def _isnan(x):
    if x.dtype.is_complex:
        return tf.math.logical_or(tf.math.is_nan(tf.math.real(x)), tf.math.is_nan(tf.math.imag(x)))
    return tf.math.is_nan(x)


def isfinite(x):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return tf.ones_like(x, tf.bool)
    if x.dtype.is_complex:
        return tf.math.logical_and(
            tf.math.is_finite(tf.math.real(x)), tf.math.is_finite(tf.math.imag(x))
        )
    return tf.math.is_finite(x)


def isinf(x):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return tf.zeros_like(x, tf.bool)
    if x.dtype.is_complex:
        return tf.math.logical_or(tf.math.is_inf(tf.math.real(x)), tf.math.is_inf(tf.math.imag(x)))
    return tf.math.is_inf(x)


def isnan(x):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return tf.zeros_like(x, tf.bool)
    return _isnan(x)


def _isinf_signed(x, positive):
    x = to_tf(x)
    if not is_inexact(dtype_name(x)):
        return tf.zeros_like(x, tf.bool)
    part = tf.math.real(x) if x.dtype.is_complex else x
    side = part > 0 if positive else part < 0
    return tf.math.logical_and(isinf(x), side)


def isneginf(x):
    return _isinf_signed(x, positive=False)


def isposinf(x):
    return _isinf_signed(x, positive=True)


def signbit(x):
    x = to_tf(x)
    if x.dtype == tf.bool or x.dtype in _UNSIGNED:
        return tf.zeros_like(x, tf.bool)
    if x.dtype in _BITS:
        return tf.bitcast(x, _BITS[x.dtype]) < 0
    return x < 0


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    found = tf.reduce_any(tf.equal(x1[..., None], tf.reshape(x2, [-1])), axis=-1)
    return tf.math.logical_not(found) if invert else found


def _as_bool(x):
    x = to_tf(x)
    return x if x.dtype == tf.bool else tf.cast(x, tf.bool)


def logical_and(x1, x2):
    return tf.math.logical_and(_as_bool(x1), _as_bool(x2))


def logical_or(x1, x2):
    return tf.math.logical_or(_as_bool(x1), _as_bool(x2))


def logical_xor(x1, x2):
    return tf.math.logical_xor(_as_bool(x1), _as_bool(x2))


def logical_not(x):
    return tf.math.logical_not(_as_bool(x))


# ---------------------------------------------------------------------------------------------
# Bitwise operations


def bitwise_and(x, y):
    return _binary(_with_bool(tf.bitwise.bitwise_and, tf.math.logical_and), x, y)


def bitwise_or(x, y):
    return _binary(_with_bool(tf.bitwise.bitwise_or, tf.math.logical_or), x, y)


def bitwise_xor(x, y):
    return _binary(_with_bool(tf.bitwise.bitwise_xor, tf.math.logical_xor), x, y)


def bitwise_invert(x):
    x = to_tf(x)
    if x.dtype == tf.bool:
        return tf.math.logical_not(x)
    return tf.bitwise.invert(x)


def _shift(fn, x, y):
    if isinstance(y, int) and not isinstance(y, bool):
        x = to_tf(x)
        return fn(x, tf.constant(y, x.dtype))
    return _binary(fn, x, y)


def bitwise_left_shift(x, y):
    return _shift(tf.bitwise.left_shift, x, y)


def bitwise_right_shift(x, y):
    return _shift(tf.bitwise.right_shift, x, y)


__all__ = exported(globals())
