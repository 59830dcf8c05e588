"""Contract group ``numpy``, part one: element-wise math, comparisons, logic, reductions, statistics.

Dtype rules follow Keras 3: binary element-wise ops promote with `result_type` (Python scalars are
weak); "float" ops turn bool and int inputs into floatx and keep float dtypes; comparisons and
logic give bool; index results (`argmax`, `digitize`, counts) are int32.
"""

from __future__ import annotations

import math

from kcore.backend.contract._spec import ops
from kcore.backend.contract.numpy import group


def _promotion_key(value):
    """What `result_type` sees of an op argument: the weak type of a Python scalar, else its dtype."""
    if isinstance(value, (bool, int, float, complex)):
        return type(value)
    return ops.dtype(value)


def _float_compute(fn, *values):
    """`fn` on `values` cast to `result_type(*values, float)`; float16 and bfloat16 are computed in
    float32 and rounded back once."""
    from kcore.backend.dtypes import result_type

    dtype = result_type(*(_promotion_key(v) for v in values), float)
    compute = "float32" if dtype in ("float16", "bfloat16") else dtype
    return ops.cast(fn(*(ops.cast(v, compute) for v in values)), dtype)


# ---------------------------------------------------------------------------------------------
# Arithmetic


@group.required
def add(x1, x2):
    """Element-wise `x1 + x2`, with broadcasting and Keras type promotion (`result_type`)."""


@group.required
def subtract(x1, x2):
    """Element-wise `x1 - x2`, with broadcasting and `result_type` promotion."""


@group.required
def multiply(x1, x2):
    """Element-wise `x1 * x2`, with broadcasting and `result_type` promotion."""


@group.required
def divide(x1, x2):
    """Element-wise true division; the result dtype is `result_type(x1, x2, float)`."""


group.alias("true_divide", "divide")


@group.required
def divide_no_nan(x1, x2):
    """Element-wise `x1 / x2`, with 0 wherever `x2 == 0`; dtype `result_type(x1, x2, float)`."""


@group.required
def floor_divide(x1, x2):
    """Element-wise `floor(x1 / x2)`, in `result_type(x1, x2)`."""


@group.required
def mod(x1, x2):
    """Element-wise remainder with the sign of `x2` (Python's `%`); bool operands give int32."""


@group.required
def power(x1, x2):
    """Element-wise `x1 ** x2`, in `result_type(x1, x2)`."""


@group.required
def negative(x):
    """Element-wise `-x`, same dtype."""


@group.required
def absolute(x):
    """Element-wise absolute value; same dtype (complex inputs give their real dtype)."""


group.alias("abs", "absolute")


@group.optional
def square(x):
    """Element-wise `x * x`; bool inputs give int32, other dtypes are kept."""
    x = ops.convert_to_tensor(x)
    if ops.dtype(x) == "bool":
        x = ops.cast(x, "int32")
    return ops.multiply(x, x)


@group.optional
def reciprocal(x):
    """Element-wise `1 / x`; ints and bools give floatx."""
    return ops.divide(1, x)


@group.required
def sign(x):
    """Element-wise sign (-1, 0 or 1), same dtype."""


@group.required
def maximum(x1, x2):
    """Element-wise maximum (NaN wins), in `result_type(x1, x2)`."""


@group.required
def minimum(x1, x2):
    """Element-wise minimum (NaN wins), in `result_type(x1, x2)`."""


@group.required
def clip(x, x_min, x_max):
    """`x` with values limited to `[x_min, x_max]`; keeps the dtype of `x` (bool gives int32)."""


@group.required
def gcd(x1, x2):
    """Element-wise greatest common divisor of integers (non-negative), in `result_type`."""


@group.required
def lcm(x1, x2):
    """Element-wise least common multiple of integers (non-negative), in `result_type`."""


@group.required
def heaviside(x1, x2):
    """Element-wise step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    The dtype is `result_type(x1, x2)`, with int results turned into floatx.
    """


@group.required
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """`x` with NaN replaced by `nan` and infinities by `posinf`/`neginf`.

    `None` means the largest (or lowest) finite value of the dtype; int and bool inputs are unchanged.
    """


# ---------------------------------------------------------------------------------------------
# Float functions: bool and int inputs give floatx, float inputs keep their dtype


@group.required
def sqrt(x):
    """Element-wise square root (NaN for negative values)."""


@group.required
def cbrt(x):
    """Element-wise real cube root."""


@group.required
def exp(x):
    """Element-wise `e ** x`."""


@group.optional
def exp2(x):
    """Element-wise `2 ** x`."""
    return _float_compute(lambda x: ops.exp(ops.multiply(x, math.log(2.0))), x)


@group.required
def expm1(x):
    """Element-wise `exp(x) - 1`, accurate for small `x`."""


@group.required
def log(x):
    """Element-wise natural logarithm (-inf at 0, NaN below)."""


@group.required
def log10(x):
    """Element-wise base-10 logarithm."""


@group.required
def log1p(x):
    """Element-wise `log(1 + x)`, accurate for small `x`."""


@group.required
def log2(x):
    """Element-wise base-2 logarithm."""


@group.required
def logaddexp(x1, x2):
    """Element-wise `log(exp(x1) + exp(x2))` without overflow; dtype `result_type(x1, x2, float)`."""


@group.optional
def logaddexp2(x1, x2):
    """Element-wise `log2(2 ** x1 + 2 ** x2)` without overflow; dtype `result_type(x1, x2, float)`."""
    ln2 = math.log(2.0)

    def natural(x1, x2):
        return ops.divide(ops.logaddexp(ops.multiply(x1, ln2), ops.multiply(x2, ln2)), ln2)

    return _float_compute(natural, x1, x2)


@group.required
def sin(x):
    """Element-wise sine (radians)."""


@group.required
def cos(x):
    """Element-wise cosine (radians)."""


@group.required
def tan(x):
    """Element-wise tangent (radians)."""


@group.required
def arcsin(x):
    """Element-wise inverse sine, in `[-pi/2, pi/2]`."""


@group.required
def arccos(x):
    """Element-wise inverse cosine, in `[0, pi]`."""


@group.required
def arctan(x):
    """Element-wise inverse tangent, in `[-pi/2, pi/2]`."""


@group.required
def arctan2(x1, x2):
    """Element-wise angle of the point `(x2, x1)`, in `[-pi, pi]`; dtype `result_type(x1, x2, float)`."""


@group.required
def sinh(x):
    """Element-wise hyperbolic sine."""


@group.required
def cosh(x):
    """Element-wise hyperbolic cosine."""


@group.required
def tanh(x):
    """Element-wise hyperbolic tangent."""


@group.required
def arcsinh(x):
    """Element-wise inverse hyperbolic sine."""


@group.required
def arccosh(x):
    """Element-wise inverse hyperbolic cosine (NaN below 1)."""


@group.required
def arctanh(x):
    """Element-wise inverse hyperbolic tangent (NaN outside `[-1, 1]`)."""


@group.required
def hypot(x1, x2):
    """Element-wise `sqrt(x1 ** 2 + x2 ** 2)` without overflow; int results become floatx."""


@group.optional
def deg2rad(x):
    """Element-wise conversion of degrees to radians."""
    return _float_compute(lambda x: ops.multiply(x, math.pi / 180.0), x)


@group.required
def angle(x):
    """Element-wise argument of complex `x` (0 or pi for real `x`); complex inputs give real dtype."""


@group.required
def ceil(x):
    """Element-wise ceiling."""


@group.required
def floor(x):
    """Element-wise floor."""


@group.required
def round(x, decimals=0):
    """Element-wise rounding to `decimals` decimals, halves to even; keeps the dtype."""


@group.required
def trunc(x):
    """Element-wise rounding towards zero; keeps the dtype (int and bool inputs are unchanged)."""


@group.required
def ldexp(x1, x2):
    """Element-wise `x1 * 2 ** x2` for an int `x2`; dtype `result_type(x1, x2, float)`."""


@group.required
def nextafter(x1, x2):
    """The next representable value after `x1` towards `x2`, in `result_type(x1, x2, float)`."""


# ---------------------------------------------------------------------------------------------
# Complex numbers


@group.required
def real(x):
    """The real part of `x` (real inputs are returned as is)."""


@group.required
def imag(x):
    """The imaginary part of `x` (zeros for real inputs)."""


@group.required
def conjugate(x):
    """Element-wise complex conjugate (real inputs are returned as is)."""


group.alias("conj", "conjugate")


@group.optional
def isreal(x):
    """Element-wise bool: whether the imaginary part is zero (always true for real dtypes)."""
    return ops.equal(ops.imag(x), 0)


@group.required
def copy(x):
    """A copy of `x`."""


# ---------------------------------------------------------------------------------------------
# Comparisons and logic: bool results


@group.required
def equal(x1, x2):
    """Element-wise `x1 == x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def not_equal(x1, x2):
    """Element-wise `x1 != x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def greater(x1, x2):
    """Element-wise `x1 > x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def greater_equal(x1, x2):
    """Element-wise `x1 >= x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def less(x1, x2):
    """Element-wise `x1 < x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def less_equal(x1, x2):
    """Element-wise `x1 <= x2` (bool), comparing in `result_type(x1, x2)`."""


@group.required
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Element-wise bool `|x1 - x2| <= atol + rtol * |x2|`; NaNs match only with `equal_nan`."""


@group.required
def isfinite(x):
    """Element-wise bool: not NaN and not infinite (always true for ints)."""


@group.required
def isinf(x):
    """Element-wise bool: positive or negative infinity."""


@group.required
def isnan(x):
    """Element-wise bool: NaN."""


@group.optional
def isneginf(x):
    """Element-wise bool: negative infinity."""
    return ops.logical_and(ops.isinf(x), ops.less(x, 0))


@group.optional
def isposinf(x):
    """Element-wise bool: positive infinity."""
    return ops.logical_and(ops.isinf(x), ops.greater(x, 0))


@group.required
def signbit(x):
    """Element-wise bool: the sign bit is set (true for -0.0)."""


@group.required
def isin(x1, x2, assume_unique=False, invert=False):
    """Element-wise bool of `x1`'s shape: whether each element occurs in `x2` (negated by `invert`)."""


@group.required
def logical_and(x1, x2):
    """Element-wise logical AND of the truth values (bool)."""


@group.required
def logical_or(x1, x2):
    """Element-wise logical OR of the truth values (bool)."""


@group.optional
def logical_xor(x1, x2):
    """Element-wise logical XOR of the truth values (bool)."""
    return ops.not_equal(ops.cast(x1, "bool"), ops.cast(x2, "bool"))


@group.required
def logical_not(x):
    """Element-wise logical NOT of the truth values (bool)."""


# ---------------------------------------------------------------------------------------------
# Bitwise operations on ints and bools


@group.required
def bitwise_and(x, y):
    """Element-wise bitwise AND, in `result_type(x, y)`."""


@group.required
def bitwise_or(x, y):
    """Element-wise bitwise OR, in `result_type(x, y)`."""


@group.required
def bitwise_xor(x, y):
    """Element-wise bitwise XOR, in `result_type(x, y)`."""


@group.required
def bitwise_invert(x):
    """Element-wise bitwise NOT (logical NOT for bool), same dtype."""


group.alias("bitwise_not", "bitwise_invert")


@group.required
def bitwise_left_shift(x, y):
    """Element-wise `x << y`, in `result_type(x, y)` (a Python int `y` keeps the dtype of `x`)."""


group.alias("left_shift", "bitwise_left_shift")


@group.required
def bitwise_right_shift(x, y):
    """Element-wise `x >> y` (arithmetic for signed ints), in `result_type(x, y)`."""


group.alias("right_shift", "bitwise_right_shift")


# ---------------------------------------------------------------------------------------------
# Reductions


@group.required
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple or None for all). Bools and small ints sum as int32."""


@group.required
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`; with `dtype=None`, bools and small ints give int32 (uint8/16: uint32)."""


@group.required
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis`; bool and int inputs give float32, floats keep their dtype."""


@group.required
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`, same dtype; `initial` is a lower bound (needed for empty inputs)."""


@group.required
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`, same dtype; `initial` is an upper bound (needed for empty inputs)."""


@group.optional
def amax(x, axis=None, keepdims=False):
    """Maximum over `axis` (as `max` without `initial`)."""
    return ops.max(x, axis=axis, keepdims=keepdims)


@group.optional
def amin(x, axis=None, keepdims=False):
    """Minimum over `axis` (as `min` without `initial`)."""
    return ops.min(x, axis=axis, keepdims=keepdims)


@group.optional
def ptp(x, axis=None, keepdims=False):
    """Range `max - min` over `axis`, same dtype."""
    return ops.subtract(
        ops.max(x, axis=axis, keepdims=keepdims), ops.min(x, axis=axis, keepdims=keepdims)
    )


@group.required
def all(x, axis=None, keepdims=False):
    """Whether all elements over `axis` are true (bool)."""


@group.required
def any(x, axis=None, keepdims=False):
    """Whether any element over `axis` is true (bool)."""


@group.required
def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the first maximum over `axis` (flattened when None); -0.0 counts below 0.0."""


@group.required
def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the first minimum over `axis` (flattened when None); -0.0 counts below 0.0."""


@group.optional
def count_nonzero(x, axis=None):
    """Number (int32) of non-zero elements over `axis` (int, tuple or None for all)."""
    return ops.sum(ops.cast(ops.not_equal(x, 0), "int32"), axis=axis)


@group.required
def nansum(x, axis=None, keepdims=False):
    """`sum` with NaNs counted as zero."""


@group.required
def nanprod(x, axis=None, keepdims=False):
    """`prod` with NaNs counted as one."""


@group.required
def nanmean(x, axis=None, keepdims=False):
    """`mean` of the non-NaN elements (NaN when there is none); ints give floatx."""


@group.required
def nanmax(x, axis=None, keepdims=False):
    """`max` ignoring NaNs (NaN where every element is NaN)."""


@group.required
def nanmin(x, axis=None, keepdims=False):
    """`min` ignoring NaNs (NaN where every element is NaN)."""


@group.required
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (over the flattened `x` when None); bool gives int32."""


@group.required
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (over the flattened `x` when None); bool gives int32."""


@group.required
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference `a[i + 1] - a[i]` along `axis` (that axis shrinks by `n`)."""


@group.required
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule, at points `x` or spacing `dx`.

    The dtype is `result_type(y, float)`.
    """


# ---------------------------------------------------------------------------------------------
# Statistics: bool and int inputs give floatx


@group.required
def var(x, axis=None, keepdims=False):
    """Population variance (`ddof=0`) over `axis`."""


@group.optional
def std(x, axis=None, keepdims=False):
    """Population standard deviation (`ddof=0`) over `axis`."""
    return ops.sqrt(ops.var(x, axis=axis, keepdims=keepdims))


@group.required
def average(x, axis=None, weights=None):
    """Weighted mean over `axis`; 1-D `weights` run along `axis`, others have the shape of `x`.

    The dtype is `result_type(x, float, weights)`.
    """


@group.required
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (q in [0, 1], scalar or 1-D) over `axis`; a 1-D `q` adds a leading axis.

    `method` is one of "linear", "lower", "higher", "midpoint", "nearest".
    """


@group.optional
def median(x, axis=None, keepdims=False):
    """Median over `axis` (the mean of the two middle values for even sizes)."""
    return ops.quantile(x, 0.5, axis=axis, keepdims=keepdims)


@group.required
def corrcoef(x):
    """Pearson correlation matrix of the rows (variables) of a 1-D or 2-D `x`."""


@group.required
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors; `mode` is "valid", "same" or "full" (as numpy's).

    Int and bool inputs give floatx.
    """


def _bincount_spec(x, weights=None, minlength=0, sparse=False):
    from kcore.backend.dtypes import result_type
    from kcore.backend.keras_tensor import KerasTensor

    dtype = "int32" if weights is None else result_type(x.dtype, weights.dtype)
    return KerasTensor(tuple(x.shape[:-1]) + (None,), dtype=dtype)


@group.required(output_spec=_bincount_spec)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each value `0..max(x)` of the non-negative ints `x` (at least `minlength` bins).

    With `weights` (shape of `x`), sums the weights instead: dtype `result_type(x, weights)`, else
    int32. A 2-D `x` counts each row (rows share the length). `sparse=True` asks for a sparse result.
    """


@group.required
def histogram(x, bins=10, range=None):
    """Histogram of a 1-D `x` in `bins` equal bins over `range` (default: min and max of `x`).

    Returns `(counts, edges)`: int32 counts of shape `(bins,)`, float edges of shape `(bins + 1,)`.
    The last bin includes its right edge.
    """


@group.required
def digitize(x, bins):
    """Index (int32) of the bin of each element: `i` with `bins[i - 1] <= x < bins[i]`.

    `bins` is 1-D and increasing (decreasing bins mirror the rule).
    """
