"""Contract group ``numpy`` on torch, part one: element-wise math, comparisons, logic, bits.

Binary ops promote their operands with Keras's `result_type` (Python scalars are weak) before
calling torch; "float" functions turn int and bool inputs into floatx first. Tensors that need no
promotion (same dtypes, or a number tensor with a Python number of its kind) take a fast path.
"""

from __future__ import annotations

import torch

from kbackend_torch._utils import (
    dtype_name,
    float_array,
    is_inexact,
    promote,
    promote_dtype,
    to_torch,
    widen,
)
from kcore.backend.contract import exported
from kcore.backend.dtypes import INT_TYPES, result_type

_Tensor = torch.Tensor


def _weak_scalar_fits(x: torch.Tensor, scalar) -> bool:
    """Whether `x` op `scalar` keeps `x`'s dtype under Keras promotion, as it does in torch:
    floats with Python ints and floats, ints with Python ints."""
    kind = type(scalar)
    if kind is float:
        return x.is_floating_point()
    if kind is int:
        return x.is_floating_point() or (x.dtype != torch.bool and not x.is_complex())
    return False


def promoted_operands(x1, x2):
    """`x1` and `x2` ready for a torch binary op with Keras's result dtype: tensors of one
    dtype, or a tensor and a Python number that keeps the tensor's dtype."""
    if isinstance(x1, _Tensor):
        if isinstance(x2, _Tensor):
            if x1.dtype == x2.dtype:
                return x1, x2
        elif _weak_scalar_fits(x1, x2):
            return x1, x2
    elif isinstance(x2, _Tensor) and _weak_scalar_fits(x2, x1):
        return x1, x2
    return promote(x1, x2)


# torch's uint16/uint32 tensors have no arithmetic kernels: such ops run in int64 and wrap back
# (kcore's seed generators count in uint32).
_WIDE_UNSIGNED = {torch.uint16: 0xFFFF, torch.uint32: 0xFFFFFFFF}


def _unsigned_dtype(x1, x2):
    dtype = getattr(x1, "dtype", None)
    return dtype if dtype in _WIDE_UNSIGNED else None


def _in_int64(fn, x1, x2, dtype):
    """`fn` on uint16/uint32 operands computed in int64, wrapped back into `dtype`."""
    wide = [x.to(torch.int64) if isinstance(x, _Tensor) else x for x in (x1, x2)]
    result = fn(*wide)
    if result.dtype == torch.bool:
        return result
    return torch.bitwise_and(result, _WIDE_UNSIGNED[dtype]).to(dtype)


def _apply(fn, x1, x2):
    """`fn(x1, x2)`, with torch's RuntimeError for operands that do not broadcast raised as the
    ValueError kcore's ops give for bad shapes."""
    unsigned = _unsigned_dtype(x1, x2)
    if unsigned is not None:
        return _in_int64(fn, x1, x2, unsigned)
    try:
        return fn(x1, x2)
    except RuntimeError as error:
        raise ValueError(str(error)) from error


def _binary(fn, x1, x2):
    x1, x2 = promoted_operands(x1, x2)
    return _apply(fn, x1, x2)


def _as_tensor_like(value, like: torch.Tensor) -> torch.Tensor:
    if isinstance(value, _Tensor):
        return value
    return torch.tensor(value, dtype=like.dtype, device=like.device)


def _binary_tensors(fn, x1, x2):
    """`_binary` for torch functions that take no Python numbers."""
    x1, x2 = promoted_operands(x1, x2)
    if not isinstance(x1, _Tensor):
        x1 = _as_tensor_like(x1, x2)
    return _apply(fn, x1, _as_tensor_like(x2, x1))


def _float_pair(x1, x2):
    """`x1` and `x2` as tensors of `result_type(x1, x2, float)`."""
    if isinstance(x1, _Tensor) and isinstance(x2, _Tensor):
        if x1.dtype == x2.dtype and x1.is_floating_point():
            return x1, x2
    dtype = promote_dtype(x1, x2, extra=(float,))
    return to_torch(x1, dtype), to_torch(x2, dtype)


def _binary_float(fn, x1, x2):
    """`fn` on `x1` and `x2` cast to `result_type(x1, x2, float)`."""
    return _apply(fn, *_float_pair(x1, x2))


def _int_to_float(dtype: str) -> str:
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def _float_input(x) -> torch.Tensor:
    if isinstance(x, _Tensor) and x.is_floating_point():
        return x
    return float_array(x)


def _unary_float(fn, name):
    def op(x):
        return fn(_float_input(x))

    op.__name__ = op.__qualname__ = name
    return op


def _tensor(x) -> torch.Tensor:
    return x if isinstance(x, _Tensor) else to_torch(x)


# ---------------------------------------------------------------------------------------------
# Arithmetic


def add(x1, x2):
    return _binary(torch.add, x1, x2)


def subtract(x1, x2):
    return _binary(torch.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(torch.multiply, x1, x2)


def divide(x1, x2):
    return _binary_float(torch.true_divide, x1, x2)


def _safe_divide(x1, x2):
    zero = x2 == 0
    quotient = x1 / torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, torch.zeros_like(quotient), quotient)


def divide_no_nan(x1, x2):
    return _binary_float(_safe_divide, x1, x2)


def _int_operands(x1, x2):
    """Promoted operands, with bools as int32 (torch has no bool division)."""
    x1, x2 = promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.int(), x2.int()
    return x1, x2


def _integer_division(fn, x1, x2):
    """`fn` (floor division or remainder) on the promoted operands; ints divided by zero give
    0, as in numpy, where torch raises."""
    x1, x2 = _int_operands(x1, x2)
    unsigned = _unsigned_dtype(x1, x2)
    if unsigned is not None:
        return _in_int64(lambda a, b: _integer_division(fn, a, b), x1, x2, unsigned)
    if x1.is_floating_point() or x1.is_complex():
        return fn(x1, x2)
    zero = x2 == 0
    result = fn(x1, torch.where(zero, torch.ones_like(x2), x2))
    return torch.where(zero, torch.zeros_like(result), result)


def _floor_divide(x1, x2):
    return torch.div(x1, x2, rounding_mode="floor")


def floor_divide(x1, x2):
    return _integer_division(_floor_divide, x1, x2)


def mod(x1, x2):
    return _integer_division(torch.remainder, x1, x2)


def power(x1, x2):
    return _binary(torch.pow, x1, x2)


def negative(x):
    return torch.neg(_tensor(x))


def absolute(x):
    x = _tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


def square(x):
    x = _tensor(x)
    if x.dtype == torch.bool:
        x = x.int()
    return torch.square(x)


def reciprocal(x):
    return torch.reciprocal(_float_input(x))


def sign(x):
    x = _tensor(x)
    return torch.sgn(x) if x.is_complex() else torch.sign(x)


def maximum(x1, x2):
    return _binary_tensors(torch.maximum, x1, x2)


def minimum(x1, x2):
    return _binary_tensors(torch.minimum, x1, x2)


def _bound(value, dtype):
    if value is None or isinstance(value, (int, float)):
        return value
    return to_torch(value, dtype)


def clip(x, x_min, x_max):
    x = _tensor(x)
    if x.dtype == torch.bool:
        x = x.int()
    # Tensor bounds take x's dtype; Python bounds keep their value and the result is cast back.
    low, high = _bound(x_min, x.dtype), _bound(x_max, x.dtype)
    return torch.clamp(x, low, high).to(x.dtype)


def gcd(x1, x2):
    return _binary_tensors(torch.gcd, x1, x2)


def lcm(x1, x2):
    return _binary_tensors(torch.lcm, x1, x2)


def heaviside(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    return torch.heaviside(to_torch(x1, dtype), to_torch(x2, dtype))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _tensor(x)
    if not (x.is_floating_point() or x.is_complex()):
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------------------------------------
# Float functions: int and bool inputs give floatx


def _cbrt(x):
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


sqrt = _unary_float(torch.sqrt, "sqrt")
cbrt = _unary_float(_cbrt, "cbrt")
exp = _unary_float(torch.exp, "exp")
exp2 = _unary_float(torch.exp2, "exp2")
expm1 = _unary_float(torch.expm1, "expm1")
log = _unary_float(torch.log, "log")
log10 = _unary_float(torch.log10, "log10")
log1p = _unary_float(torch.log1p, "log1p")
log2 = _unary_float(torch.log2, "log2")
sin = _unary_float(torch.sin, "sin")
cos = _unary_float(torch.cos, "cos")
tan = _unary_float(torch.tan, "tan")
arcsin = _unary_float(torch.arcsin, "arcsin")
arccos = _unary_float(torch.arccos, "arccos")
arctan = _unary_float(torch.arctan, "arctan")
sinh = _unary_float(torch.sinh, "sinh")
cosh = _unary_float(torch.cosh, "cosh")
tanh = _unary_float(torch.tanh, "tanh")
arcsinh = _unary_float(torch.arcsinh, "arcsinh")
arccosh = _unary_float(torch.arccosh, "arccosh")
arctanh = _unary_float(torch.arctanh, "arctanh")
deg2rad = _unary_float(torch.deg2rad, "deg2rad")
ceil = _unary_float(torch.ceil, "ceil")
floor = _unary_float(torch.floor, "floor")


def logaddexp(x1, x2):
    return _binary_float(torch.logaddexp, x1, x2)


def logaddexp2(x1, x2):
    return _binary_float(torch.logaddexp2, x1, x2)


def arctan2(x1, x2):
    return _binary_float(torch.atan2, x1, x2)


def hypot(x1, x2):
    dtype = _int_to_float(promote_dtype(x1, x2))
    return torch.hypot(to_torch(x1, dtype), to_torch(x2, dtype))


def angle(x):
    return torch.angle(_float_input(x))


def round(x, decimals=0):
    x = _tensor(x)
    if x.dtype == torch.bool:
        return x
    if dtype_name(x) in INT_TYPES:
        return _round_int(x, 10 ** (-decimals)) if decimals < 0 else x
    if decimals == 0:
        return torch.round(x)
    return torch.round(widen(x), decimals=decimals).to(x.dtype)


def _round_int(x, factor):
    """Ints rounded to a multiple of `factor`, halves to even, exactly."""
    wide = x.long()
    if factor > torch.iinfo(torch.int64).max:
        return torch.zeros_like(x)
    quotient, remainder = torch.div(wide, factor, rounding_mode="floor"), wide % factor
    up = (2 * remainder > factor) | ((2 * remainder == factor) & (quotient % 2 == 1))
    return ((quotient + up.long()) * factor).to(x.dtype)


def trunc(x):
    x = _tensor(x)
    return torch.trunc(x) if x.is_floating_point() else x


def ldexp(x1, x2):
    exponent = _tensor(x2)
    if dtype_name(exponent) not in INT_TYPES:
        raise TypeError(
            f"ldexp needs an integer exponent `x2`, but received dtype {dtype_name(exponent)}. "
            "Cast it with `ops.cast(x2, 'int32')`."
        )
    dtype = promote_dtype(x1, exponent, extra=(float,))
    mantissa = to_torch(x1, dtype)
    # Scale in float32 (at least): a float16 power of two overflows before the product would.
    compute = torch.promote_types(mantissa.dtype, torch.float32)
    scale = torch.exp2(exponent.to(compute))
    return (mantissa.to(compute) * scale).to(mantissa.dtype)


def nextafter(x1, x2):
    return _binary_float(torch.nextafter, x1, x2)


# ---------------------------------------------------------------------------------------------
# Complex numbers


def real(x):
    return torch.real(_tensor(x))


def imag(x):
    x = _tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def conjugate(x):
    return torch.conj_physical(_tensor(x))


def isreal(x):
    return torch.isreal(_tensor(x))


def copy(x):
    return torch.clone(_tensor(x))


# ---------------------------------------------------------------------------------------------
# Comparisons and logic


def equal(x1, x2):
    return _binary(torch.eq, x1, x2)


def not_equal(x1, x2):
    return _binary(torch.ne, x1, x2)


def greater(x1, x2):
    return _binary(torch.gt, x1, x2)


def greater_equal(x1, x2):
    return _binary(torch.ge, x1, x2)


def less(x1, x2):
    return _binary(torch.lt, x1, x2)


def less_equal(x1, x2):
    return _binary(torch.le, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.int(), x2.int()
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isfinite(x):
    return torch.isfinite(_tensor(x))


def isinf(x):
    return torch.isinf(_tensor(x))


def isnan(x):
    return torch.isnan(_tensor(x))


def isneginf(x):
    x = _tensor(x)
    if x.is_complex():
        return torch.isinf(x) & (x.real < 0)
    return torch.isneginf(x)


def isposinf(x):
    x = _tensor(x)
    if x.is_complex():
        return torch.isinf(x) & (x.real > 0)
    return torch.isposinf(x)


def signbit(x):
    x = _tensor(x)
    if x.dtype == torch.bool:
        return torch.zeros_like(x)
    return torch.signbit(x)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def logical_and(x1, x2):
    return torch.logical_and(_tensor(x1), _tensor(x2))


def logical_or(x1, x2):
    return torch.logical_or(_tensor(x1), _tensor(x2))


def logical_xor(x1, x2):
    return torch.logical_xor(_tensor(x1), _tensor(x2))


def logical_not(x):
    return torch.logical_not(_tensor(x))


# ---------------------------------------------------------------------------------------------
# Bitwise operations


def bitwise_and(x, y):
    return _binary(torch.bitwise_and, x, y)


def bitwise_or(x, y):
    return _binary(torch.bitwise_or, x, y)


def bitwise_xor(x, y):
    return _binary(torch.bitwise_xor, x, y)


def bitwise_invert(x):
    return torch.bitwise_not(_tensor(x))


def _shift(fn, x, y):
    if isinstance(y, int) and not isinstance(y, bool):
        x = _tensor(x)
        return fn(x, torch.tensor(y, dtype=x.dtype, device=x.device))
    return _binary(fn, x, y)


def bitwise_left_shift(x, y):
    return _shift(torch.bitwise_left_shift, x, y)


def bitwise_right_shift(x, y):
    return _shift(torch.bitwise_right_shift, x, y)


__all__ = exported(globals())
