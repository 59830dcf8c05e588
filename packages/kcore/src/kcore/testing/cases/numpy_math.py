"""Conformance cases for contract group ``numpy``, part one: element-wise math, reductions, statistics."""

import math

import numpy as np

from kcore.testing.cases._case import Arr, Case, positive, promotion_cases

PROMOTION_PAIRS = [
    ("int32", "float32"),
    ("int8", "uint8"),
    ("float16", "float32"),
    ("bfloat16", "float16"),
    ("bool", "int32"),
    ("int32", float),
    ("bfloat16", int),
    ("float16", float),
    ("int64", "int64"),
]
# Pairs for ops whose operands must be numbers (no bool arithmetic).
NUMBER_PAIRS = [pair for pair in PROMOTION_PAIRS if "bool" not in pair]
INT_PAIRS = [
    ("int32", "int32"),
    ("int8", "uint8"),
    ("int16", "int32"),
    ("uint8", int),
    ("int64", "int64"),
]
BITWISE_PAIRS = INT_PAIRS + [("bool", "bool"), ("bool", "int32")]

INF, NAN = float("inf"), float("nan")


def f32(values):
    return np.array(values, np.float32)


def i32(values):
    return np.array(values, np.int32)


def _dtype_cases(name, pairs, result, low=-3.0, high=3.0, low2=None, high2=None, **kwargs):
    """Binary cases on each pair of dtypes; `result(a, b)` gives the expected result dtype.

    The second operand is drawn from `[low2, high2]` when given (to keep away from zero divisors).
    """
    low2 = low if low2 is None else low2
    high2 = high if high2 is None else high2
    cases = []
    for a, b in pairs:
        args = []
        for t, lo, hi in ((a, low, high), (b, low2, high2)):
            if t is int:
                args.append(1)
            elif t is float:
                args.append(0.5)
            else:
                args.append(Arr((2, 3), t, lo, hi))
        label = "-".join(t.__name__ if isinstance(t, type) else t for t in (a, b))

        def expected(a=a, b=b):
            return result(a, b)

        cases.append(
            Case(name, tuple(args), expected_dtype=expected, id=f"dtype-{label}", **kwargs)
        )
    return cases


def _float_result(a, b):
    from kcore.backend.dtypes import result_type

    return result_type(a, b, float)


def _same_result(a, b):
    from kcore.backend.dtypes import result_type

    return result_type(a, b)


def _bool_result(a, b):
    return "bool"


def _unary_float_cases(name, exact_in, exact_out, low=-2.0, high=2.0, int_low=-2, int_high=2):
    """A float function: exact values, float32 / float16 / bfloat16 inputs, an int input (floatx)."""
    return [
        Case(name, (f32(exact_in),), expected=exact_out, expected_dtype="float32", id="exact"),
        Case(name, (Arr((3, 4), "float32", low, high),), id="float32"),
        Case(name, (Arr((5,), "float16", low, high),), expected_dtype="float16", id="float16"),
        Case(name, (Arr((5,), "bfloat16", low, high),), expected_dtype="bfloat16", id="bfloat16"),
        Case(name, (Arr((2, 3), "int32", int_low, int_high),), expected_dtype="float32", id="int"),
        Case(name, (Arr((0, 2), "float32", low, high),), id="empty"),
    ]


LN2 = math.log(2.0)

UNARY_FLOAT_CASES = [
    *_unary_float_cases("sin", [0.0, math.pi / 2], [0.0, 1.0]),
    *_unary_float_cases("cos", [0.0, math.pi], [1.0, -1.0]),
    *_unary_float_cases("tan", [0.0, math.pi / 4], [0.0, 1.0], -1.2, 1.2, -1, 1),
    *_unary_float_cases("arcsin", [0.0, 1.0], [0.0, math.pi / 2], -0.9, 0.9, -1, 1),
    *_unary_float_cases("arccos", [1.0, 0.0], [0.0, math.pi / 2], -0.9, 0.9, -1, 1),
    *_unary_float_cases("arctan", [0.0, 1.0], [0.0, math.pi / 4]),
    *_unary_float_cases("sinh", [0.0, LN2], [0.0, 0.75]),
    *_unary_float_cases("cosh", [0.0, LN2], [1.0, 1.25]),
    *_unary_float_cases("tanh", [0.0, LN2], [0.0, 0.6]),
    *_unary_float_cases("arcsinh", [0.0, 0.75], [0.0, LN2]),
    *_unary_float_cases("arccosh", [1.0, 1.25], [0.0, LN2], 1.1, 3.0, 1, 3),
    *_unary_float_cases("arctanh", [0.0, 0.6], [0.0, LN2], -0.9, 0.9, 0, 0),
    *_unary_float_cases("exp", [0.0, 1.0], [1.0, math.e]),
    *_unary_float_cases("exp2", [0.0, 3.0, -1.0], [1.0, 8.0, 0.5]),
    *_unary_float_cases("expm1", [0.0, LN2], [0.0, 1.0]),
    *_unary_float_cases("log", [1.0, math.e], [0.0, 1.0], 0.1, 3.0, 1, 5),
    *_unary_float_cases("log10", [1.0, 100.0], [0.0, 2.0], 0.1, 3.0, 1, 5),
    *_unary_float_cases("log1p", [0.0, math.e - 1], [0.0, 1.0], -0.5, 3.0, 0, 5),
    *_unary_float_cases("log2", [1.0, 8.0, 0.5], [0.0, 3.0, -1.0], 0.1, 3.0, 1, 5),
    *_unary_float_cases("sqrt", [4.0, 9.0, 0.0], [2.0, 3.0, 0.0], 0.0, 3.0, 0, 9),
    *_unary_float_cases("cbrt", [8.0, -27.0], [2.0, -3.0]),
    *_unary_float_cases("deg2rad", [180.0, -90.0], [math.pi, -math.pi / 2], -360, 360, -180, 180),
    *_unary_float_cases("ceil", [1.2, -1.2, 2.0], [2.0, -1.0, 2.0]),
    *_unary_float_cases("floor", [1.2, -1.2, 2.0], [1.0, -2.0, 2.0]),
    *_unary_float_cases("reciprocal", [2.0, -0.25], [0.5, -4.0], 0.5, 2.0, 1, 4),
    Case("sqrt", (i32([4, 9, 0]),), expected=[2.0, 3.0, 0.0], expected_dtype="float32", id="ints"),
    Case("log", (f32([0.0, -1.0]),), expected=[-INF, NAN], id="edge"),
    Case("reciprocal", (i32([2, 4]),), expected=[0.5, 0.25], expected_dtype="float32", id="ints"),
]

ARITHMETIC_CASES = [
    Case("add", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    Case("add", (Arr((0, 3)), Arr((3,))), id="empty"),
    Case("add", ([1.0, 2.0], 1.0), expected=[2.0, 3.0], expected_dtype="float32", id="lists"),
    Case("add", (Arr((4,), "float16"), Arr((4,), "float16")), id="float16"),
    Case("add", (Arr((4,), "bfloat16"), Arr((4,), "bfloat16")), id="bfloat16"),
    *promotion_cases("add", PROMOTION_PAIRS),
    Case("subtract", (f32([3.0, 1.0]), f32([1.0, 4.0])), expected=[2.0, -3.0], id="exact"),
    Case("subtract", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    *promotion_cases("subtract", NUMBER_PAIRS),
    Case("multiply", (f32([3.0, -1.0]), 2.0), expected=[6.0, -2.0], expected_dtype="float32"),
    Case("multiply", (Arr((2, 1, 3)), Arr((4, 1))), id="broadcast"),
    *promotion_cases("multiply", PROMOTION_PAIRS),
    Case("divide", (i32([1, 3]), i32([2, 4])), expected=[0.5, 0.75], expected_dtype="float32"),
    Case("divide", (Arr((2, 3)), positive((3,))), id="broadcast"),
    *_dtype_cases("divide", PROMOTION_PAIRS, _float_result, low2=1, high2=3),
    Case("divide_no_nan", (f32([1.0, 2.0, 0.0]), f32([0.0, 4.0, 0.0])), expected=[0.0, 0.5, 0.0]),
    Case(
        "divide_no_nan", (i32([3, 1]), i32([0, 2])), expected=[0.0, 0.5], expected_dtype="float32"
    ),
    Case("divide_no_nan", (Arr((2, 3), "float16"), Arr((3,), "float16")), id="float16"),
    Case("floor_divide", (i32([7, -7]), i32([2, 2])), expected=[3, -4], expected_dtype="int32"),
    Case("floor_divide", (f32([7.0, -7.5]), 2.0), expected=[3.0, -4.0], id="float"),
    *_dtype_cases("floor_divide", NUMBER_PAIRS, _same_result, low2=1, high2=3),
    Case("mod", (i32([7, -7, 6]), i32([3, 3, -4])), expected=[1, 2, -2], expected_dtype="int32"),
    Case("mod", (f32([5.5, -1.0]), 2.0), expected=[1.5, 1.0], id="float"),
    Case(
        "mod",
        (np.array([True, False]), np.array([True, True])),
        expected=[0, 0],
        id="bool",
        expected_dtype="int32",
    ),
    *_dtype_cases("mod", NUMBER_PAIRS, _same_result, low2=1, high2=3),
    Case("power", (i32([2, 3]), i32([3, 2])), expected=[8, 9], expected_dtype="int32"),
    Case("power", (f32([4.0, 2.0]), 0.5), expected=[2.0, math.sqrt(2.0)], id="sqrt"),
    *_dtype_cases("power", NUMBER_PAIRS, _same_result, low=0.5, high=2.0, low2=1, high2=3),
    Case("negative", (f32([1.0, -2.0, 0.0]),), expected=[-1.0, 2.0, 0.0]),
    Case("negative", (Arr((2, 3), "int8"),), expected_dtype="int8", id="int8"),
    Case("negative", (Arr((4,), "bfloat16"),), expected_dtype="bfloat16", id="bfloat16"),
    Case("absolute", (f32([-1.5, 2.0, 0.0]),), expected=[1.5, 2.0, 0.0]),
    Case("absolute", (Arr((2, 3), "int32"),), expected_dtype="int32", id="int"),
    Case("absolute", (Arr((4,), "float16"),), expected_dtype="float16", id="float16"),
    Case(
        "absolute",
        (np.array([3 + 4j], np.complex64),),
        expected=[5.0],
        expected_dtype="float32",
        id="complex",
    ),
    Case("square", (f32([-3.0, 0.5]),), expected=[9.0, 0.25]),
    Case("square", (np.array([True, False]),), expected=[1, 0], expected_dtype="int32", id="bool"),
    Case("square", (Arr((2, 3), "int16"),), expected_dtype="int16", id="int16"),
    Case("square", (Arr((4,), "bfloat16"),), expected_dtype="bfloat16", id="bfloat16"),
    Case("sign", (f32([-2.0, 0.0, 3.5]),), expected=[-1.0, 0.0, 1.0]),
    Case("sign", (Arr((2, 3), "int32"),), expected_dtype="int32", id="int"),
    Case("sign", (Arr((4,), "float16"),), expected_dtype="float16", id="float16"),
    Case("maximum", (f32([1.0, 5.0, NAN]), f32([3.0, 2.0, 0.0])), expected=[3.0, 5.0, NAN]),
    Case("maximum", (Arr((2, 3)), 0.0), id="relu"),
    *promotion_cases("maximum", PROMOTION_PAIRS),
    Case("minimum", (f32([1.0, 5.0, NAN]), f32([3.0, 2.0, 0.0])), expected=[1.0, 2.0, NAN]),
    Case("minimum", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    *promotion_cases("minimum", PROMOTION_PAIRS),
    Case("clip", (f32([-2.0, 0.5, 3.0]), 0.0, 1.0), expected=[0.0, 0.5, 1.0]),
    Case("clip", (Arr((2, 3), "int32", -5, 5), -1, 2), expected_dtype="int32", id="int"),
    Case(
        "clip", (np.array([True, False]), 0, 1), expected=[1, 0], expected_dtype="int32", id="bool"
    ),
    Case("clip", (Arr((4,), "float16"), -0.5, 0.5), expected_dtype="float16", id="float16"),
    Case("gcd", (i32([12, -18, 0]), i32([8, 12, 5])), expected=[4, 6, 5], expected_dtype="int32"),
    *_dtype_cases("gcd", INT_PAIRS, _same_result, low=0, high=20, low2=1, high2=20),
    Case("lcm", (i32([4, -6, 0]), i32([6, 4, 3])), expected=[12, 12, 0], expected_dtype="int32"),
    *_dtype_cases("lcm", INT_PAIRS, _same_result, low=0, high=10, low2=1, high2=10),
    Case("heaviside", (f32([-1.0, 0.0, 2.0]), 0.5), expected=[0.0, 0.5, 1.0]),
    Case(
        "heaviside",
        (i32([-1, 0, 2]), i32([1, 1, 1])),
        expected=[0.0, 1.0, 1.0],
        expected_dtype="float32",
        id="int",
    ),
    *_dtype_cases("heaviside", NUMBER_PAIRS, _float_result),
    Case(
        "nan_to_num",
        (f32([NAN, INF, -INF, 1.0]),),
        expected=[0.0, np.finfo(np.float32).max, np.finfo(np.float32).min, 1.0],
    ),
    Case(
        "nan_to_num",
        (f32([NAN, INF, -INF, 1.0]),),
        {"nan": 1.0, "posinf": 2.0, "neginf": -2.0},
        expected=[1.0, 2.0, -2.0, 1.0],
        id="values",
    ),
    Case(
        "nan_to_num",
        (np.array([NAN, INF, 2.0], np.float16),),
        expected=[0.0, 65504.0, 2.0],
        expected_dtype="float16",
        id="float16",
    ),
    Case("nan_to_num", (Arr((2, 3), "int32"),), expected_dtype="int32", id="int"),
]

FLOAT_BINARY_CASES = [
    Case(
        "arctan2",
        (f32([1.0, 1.0, -1.0, 0.0]), f32([1.0, -1.0, 0.0, 1.0])),
        expected=[math.pi / 4, 3 * math.pi / 4, -math.pi / 2, 0.0],
    ),
    Case("arctan2", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    *_dtype_cases("arctan2", PROMOTION_PAIRS, _float_result),
    Case("hypot", (i32([3, 5]), i32([4, 12])), expected=[5.0, 13.0], expected_dtype="float32"),
    Case("hypot", (f32([1e30, 0.0]), f32([1e30, 0.0])), expected=[1.4142135e30, 0.0], id="large"),
    *_dtype_cases("hypot", NUMBER_PAIRS, _float_result),
    Case("logaddexp", (f32([0.0, 100.0]), f32([0.0, 100.0])), expected=[LN2, 100.0 + LN2]),
    *_dtype_cases("logaddexp", PROMOTION_PAIRS, _float_result),
    Case("logaddexp2", (f32([1.0, 100.0]), f32([1.0, 0.0])), expected=[2.0, 100.0]),
    *_dtype_cases("logaddexp2", PROMOTION_PAIRS, _float_result),
    Case("ldexp", (f32([1.0, 3.0, -1.5]), i32([2, -1, 0])), expected=[4.0, 1.5, -1.5]),
    Case(
        "ldexp", (i32([1, 3]), i32([2, 1])), expected=[4.0, 6.0], expected_dtype="float32", id="int"
    ),
    Case(
        "ldexp",
        (Arr((2, 3), "float16"), Arr((3,), "int8", -3, 3)),
        expected_dtype="float16",
        id="float16",
    ),
    Case(
        "ldexp",
        (Arr((4,), "bfloat16"), Arr((4,), "int32", -3, 3)),
        expected_dtype="bfloat16",
        id="bfloat16",
    ),
    Case(
        "nextafter",
        (f32([1.0, 1.0]), f32([2.0, 0.0])),
        expected=[1.0 + 2.0**-23, 1.0 - 2.0**-24],
        rtol=0,
        atol=0,
    ),
    Case(
        "nextafter",
        (np.array([1.0], np.float16), np.array([2.0], np.float16)),
        expected=[1.0 + 2.0**-10],
        expected_dtype="float16",
        rtol=0,
        atol=0,
        id="float16",
    ),
    Case("nextafter", (Arr((2, 3)), Arr((2, 3))), id="random"),
]

COMPLEX_CASES = [
    Case(
        "angle",
        (np.array([1j, -1, 1], np.complex64),),
        expected=[math.pi / 2, math.pi, 0.0],
        expected_dtype="float32",
    ),
    Case("angle", (f32([-2.0, 3.0]),), expected=[math.pi, 0.0], id="real"),
    Case("angle", (Arr((2, 3), "int32"),), expected_dtype="float32", id="int"),
    Case("angle", (Arr((4,), "float16"),), expected_dtype="float16", id="float16"),
    Case(
        "real",
        (np.array([1 + 2j, -3j], np.complex64),),
        expected=[1.0, 0.0],
        expected_dtype="float32",
    ),
    Case("real", (Arr((2, 3)),), id="float"),
    Case(
        "imag",
        (np.array([1 + 2j, -3j], np.complex64),),
        expected=[2.0, -3.0],
        expected_dtype="float32",
    ),
    Case("imag", (Arr((2, 3)),), expected=np.zeros((2, 3)), id="float"),
    Case(
        "conjugate",
        (np.array([1 + 2j], np.complex64),),
        expected=[1 - 2j],
        expected_dtype="complex64",
    ),
    Case("conjugate", (Arr((2, 3)),), id="float"),
    Case(
        "isreal",
        (np.array([1 + 0j, 1 + 1j], np.complex64),),
        expected=[True, False],
        expected_dtype="bool",
    ),
    Case("isreal", (Arr((2, 3)),), expected=np.ones((2, 3), bool), id="float"),
    Case("copy", (f32([1.0, 2.0]),), expected=[1.0, 2.0], expected_dtype="float32"),
    Case("copy", (Arr((2, 3), "bfloat16"),), expected_dtype="bfloat16", id="bfloat16"),
]

ROUNDING_CASES = [
    Case("round", (f32([0.5, 1.5, 2.5, -0.5, 1.2]),), expected=[0.0, 2.0, 2.0, -0.0, 1.0]),
    Case("round", (f32([1.234, -5.678]),), {"decimals": 2}, expected=[1.23, -5.68], id="decimals"),
    Case(
        "round",
        (i32([14, 15, 26]),),
        {"decimals": -1},
        expected=[10, 20, 30],
        expected_dtype="int32",
        id="int",
    ),
    Case("round", (Arr((4,), "bfloat16", -5, 5),), expected_dtype="bfloat16", id="bfloat16"),
    Case("trunc", (f32([1.7, -1.7, 0.2]),), expected=[1.0, -1.0, 0.0]),
    Case("trunc", (Arr((2, 3), "int32"),), expected_dtype="int32", id="int"),
    Case("trunc", (Arr((4,), "float16", -5, 5),), expected_dtype="float16", id="float16"),
]

LOGIC_CASES = [
    Case("equal", (i32([1, 2, 3]), i32([1, 0, 3])), expected=[True, False, True]),
    Case("equal", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    *_dtype_cases("equal", PROMOTION_PAIRS, _bool_result),
    Case("not_equal", (i32([1, 2, 3]), 2), expected=[True, False, True], expected_dtype="bool"),
    *_dtype_cases("not_equal", PROMOTION_PAIRS, _bool_result),
    Case("greater", (f32([1.0, 2.0, 3.0]), 2.0), expected=[False, False, True]),
    *_dtype_cases("greater", NUMBER_PAIRS, _bool_result),
    Case("greater_equal", (f32([1.0, 2.0, 3.0]), 2.0), expected=[False, True, True]),
    *_dtype_cases("greater_equal", NUMBER_PAIRS, _bool_result),
    Case("less", (f32([1.0, 2.0, NAN]), 2.0), expected=[True, False, False]),
    *_dtype_cases("less", NUMBER_PAIRS, _bool_result),
    Case("less_equal", (f32([1.0, 2.0, 3.0]), 2.0), expected=[True, True, False]),
    *_dtype_cases("less_equal", NUMBER_PAIRS, _bool_result),
    Case(
        "isclose",
        (f32([1.0, 1.0, NAN]), f32([1.000001, 1.1, NAN])),
        expected=[True, False, False],
        expected_dtype="bool",
    ),
    Case(
        "isclose",
        (f32([NAN, 1.0]), f32([NAN, 2.0])),
        {"equal_nan": True, "atol": 1.5},
        expected=[True, True],
        id="options",
    ),
    Case("isclose", (Arr((2, 3), "float16"), Arr((3,), "float32")), id="mixed"),
    Case("isfinite", (f32([1.0, INF, NAN, -INF]),), expected=[True, False, False, False]),
    Case("isfinite", (Arr((2, 3), "int32"),), expected=np.ones((2, 3), bool), id="int"),
    Case("isinf", (f32([1.0, INF, NAN, -INF]),), expected=[False, True, False, True]),
    Case("isinf", (Arr((4,), "bfloat16"),), expected_dtype="bool", id="bfloat16"),
    Case("isnan", (f32([1.0, INF, NAN, -INF]),), expected=[False, False, True, False]),
    Case("isnan", (Arr((2, 3), "int32"),), expected=np.zeros((2, 3), bool), id="int"),
    Case("isneginf", (f32([1.0, INF, NAN, -INF]),), expected=[False, False, False, True]),
    Case("isneginf", (Arr((2, 3), "int32"),), expected=np.zeros((2, 3), bool), id="int"),
    Case("isposinf", (f32([1.0, INF, NAN, -INF]),), expected=[False, True, False, False]),
    Case("isposinf", (Arr((4,), "float16"),), expected_dtype="bool", id="float16"),
    Case("signbit", (f32([-0.0, 0.0, -1.0, 2.0]),), expected=[True, False, True, False]),
    Case("signbit", (i32([-3, 0, 3]),), expected=[True, False, False], id="int"),
    Case("signbit", (Arr((4,), "bfloat16"),), expected_dtype="bool", id="bfloat16"),
    Case("isin", (i32([1, 2, 3, 4]), i32([2, 4])), expected=[False, True, False, True]),
    Case(
        "isin",
        (i32([[1, 2], [3, 4]]), i32([2, 4])),
        {"invert": True},
        expected=[[True, False], [True, False]],
        id="invert",
    ),
    Case("isin", (Arr((2, 3), "int32"), Arr((4,), "int32")), id="random"),
    Case(
        "logical_and",
        (np.array([True, True, False]), np.array([True, False, False])),
        expected=[True, False, False],
    ),
    Case("logical_and", (f32([0.0, 2.0]), i32([1, 3])), expected=[False, True], id="numbers"),
    Case(
        "logical_or",
        (np.array([True, False, False]), np.array([True, True, False])),
        expected=[True, True, False],
    ),
    Case("logical_or", (Arr((2, 3), "bool"), Arr((3,), "bool")), id="broadcast"),
    Case(
        "logical_xor",
        (np.array([True, True, False]), np.array([True, False, False])),
        expected=[False, True, False],
    ),
    Case("logical_xor", (f32([0.0, 2.0]), i32([1, 3])), expected=[True, False], id="numbers"),
    Case("logical_not", (np.array([True, False]),), expected=[False, True]),
    Case("logical_not", (f32([0.0, -2.0]),), expected=[True, False], id="float"),
]

BITWISE_CASES = [
    Case("bitwise_and", (i32([12, -1]), i32([10, 6])), expected=[8, 6], expected_dtype="int32"),
    *_dtype_cases("bitwise_and", BITWISE_PAIRS, _same_result, low=-20, high=20),
    Case("bitwise_or", (i32([12, 0]), i32([10, 6])), expected=[14, 6], expected_dtype="int32"),
    *_dtype_cases("bitwise_or", BITWISE_PAIRS, _same_result, low=-20, high=20),
    Case("bitwise_xor", (i32([12, -1]), i32([10, 6])), expected=[6, -7], expected_dtype="int32"),
    *_dtype_cases("bitwise_xor", BITWISE_PAIRS, _same_result, low=-20, high=20),
    Case("bitwise_invert", (np.array([0, 5], np.int8),), expected=[-1, -6], expected_dtype="int8"),
    Case("bitwise_invert", (np.array([0, 5], np.uint8),), expected=[255, 250], id="uint8"),
    Case("bitwise_invert", (np.array([True, False]),), expected=[False, True], id="bool"),
    Case(
        "bitwise_left_shift",
        (i32([1, 3, -2]), i32([2, 1, 1])),
        expected=[4, 6, -4],
        expected_dtype="int32",
    ),
    Case(
        "bitwise_left_shift",
        (np.array([1, 3], np.int8), 2),
        expected=[4, 12],
        expected_dtype="int8",
        id="scalar",
    ),
    Case(
        "bitwise_left_shift",
        (Arr((2, 3), "int16", -50, 50), Arr((3,), "int32", 0, 4)),
        expected_dtype="int32",
        id="promote",
    ),
    Case(
        "bitwise_right_shift",
        (i32([-8, 8, 7]), i32([1, 2, 1])),
        expected=[-4, 2, 3],
        expected_dtype="int32",
    ),
    Case(
        "bitwise_right_shift",
        (np.array([64, 255], np.uint8), 3),
        expected=[8, 31],
        expected_dtype="uint8",
        id="scalar",
    ),
    Case(
        "bitwise_right_shift",
        (Arr((2, 3), "int8", -100, 100), Arr((3,), "uint8", 0, 6)),
        expected_dtype="int16",
        id="promote",
    ),
]

M = [[1.0, 5.0, -2.0], [3.0, 2.0, 0.0]]

REDUCTION_CASES = [
    Case("sum", (Arr((2, 3, 4)),), {"axis": -1}),
    Case("sum", (Arr((2, 3, 4)),), {"axis": (0, 2), "keepdims": True}, id="axes"),
    Case("sum", (Arr((0, 3)),), {"axis": 0}, expected=[0.0, 0.0, 0.0], id="empty"),
    Case("sum", (Arr((5,), "bool"),), expected_dtype="int32", id="bool"),
    Case("sum", (f32(M),), expected=9.0, id="exact"),
    Case("sum", (Arr((3, 4), "bfloat16"),), {"axis": 1}, expected_dtype="bfloat16", id="bfloat16"),
    Case("sum", (Arr((3, 4), "uint8", 0, 9),), expected_dtype="uint32", id="uint8"),
    Case("prod", (f32([[1.0, 2.0], [3.0, 4.0]]),), {"axis": 0}, expected=[3.0, 8.0]),
    Case("prod", (Arr((2, 3), "int8", -3, 3),), expected_dtype="int32", id="int8"),
    Case(
        "prod",
        (Arr((2, 3, 4), "float32", 0.5, 1.5),),
        {"axis": (0, -1), "keepdims": True},
        id="axes",
    ),
    Case(
        "prod",
        (i32([2, 3]),),
        {"dtype": "float32"},
        expected=6.0,
        expected_dtype="float32",
        id="dtype",
    ),
    Case("prod", (Arr((0, 3)),), {"axis": 0}, expected=[1.0, 1.0, 1.0], id="empty"),
    Case("mean", (i32([1, 2, 3, 4]),), expected=2.5, expected_dtype="float32"),
    Case("mean", (Arr((2, 3, 4)),), {"axis": -1, "keepdims": True}, id="keepdims"),
    Case("mean", (Arr((3, 4), "float16"),), {"axis": 0}, expected_dtype="float16", id="float16"),
    Case("mean", (Arr((3, 4), "bool"),), expected_dtype="float32", id="bool"),
    Case("max", (f32(M),), {"axis": 1}, expected=[5.0, 3.0]),
    Case(
        "max",
        (Arr((2, 3, 4), "int32"),),
        {"axis": (0, 2), "keepdims": True},
        expected_dtype="int32",
        id="axes",
    ),
    Case(
        "max",
        (Arr((0, 3)),),
        {"axis": 0, "initial": -1.0},
        expected=[-1.0, -1.0, -1.0],
        id="initial",
    ),
    Case("max", (f32([1.0, 2.0]),), {"initial": 5.0}, expected=5.0, id="initial-wins"),
    Case("max", (Arr((4,), "bfloat16"),), expected_dtype="bfloat16", id="bfloat16"),
    Case("min", (f32(M),), {"axis": 0}, expected=[1.0, 2.0, -2.0]),
    Case("min", (Arr((2, 3), "uint8", 0, 50),), expected_dtype="uint8", id="uint8"),
    Case("min", (f32([1.0, 2.0]),), {"initial": 0.0}, expected=0.0, id="initial"),
    Case("amax", (f32(M),), expected=5.0),
    Case("amax", (Arr((2, 3, 4)),), {"axis": -1, "keepdims": True}, id="keepdims"),
    Case("amin", (f32(M),), {"axis": 1}, expected=[-2.0, 0.0]),
    Case("amin", (Arr((2, 3), "int8"),), {"axis": 0}, expected_dtype="int8", id="int8"),
    Case("ptp", (f32(M),), {"axis": 1}, expected=[7.0, 3.0]),
    Case("ptp", (Arr((2, 3, 4), "int32"),), {"axis": (0, 1)}, expected_dtype="int32", id="int"),
    Case("all", (np.array([[True, False], [True, True]]),), {"axis": 1}, expected=[False, True]),
    Case("all", (f32([1.0, 2.0]),), expected=True, expected_dtype="bool", id="float"),
    Case("all", (Arr((0, 3), "bool"),), expected=True, id="empty"),
    Case("any", (np.array([[True, False], [False, False]]),), {"axis": -1}, expected=[True, False]),
    Case("any", (Arr((2, 3, 4), "bool"),), {"axis": (0, 2), "keepdims": True}, id="axes"),
    Case("any", (Arr((0, 3), "bool"),), expected=False, id="empty"),
    Case(
        "argmax",
        (f32([[1.0, 3.0, 3.0], [0.0, -1.0, 2.0]]),),
        {"axis": 1},
        expected=[1, 2],
        expected_dtype="int32",
    ),
    Case("argmax", (f32([-0.0, 0.0]),), expected=1, id="negative-zero"),
    Case("argmax", (Arr((2, 3, 4)),), {"axis": -1, "keepdims": True}, id="keepdims"),
    Case("argmax", (Arr((3, 4), "int8"),), expected_dtype="int32", id="int8"),
    Case(
        "argmin",
        (f32([[1.0, 3.0, 0.0], [0.0, -1.0, -1.0]]),),
        {"axis": 1},
        expected=[2, 1],
        expected_dtype="int32",
    ),
    Case("argmin", (f32([0.0, -0.0]),), expected=1, id="negative-zero"),
    Case("argmin", (Arr((3, 4), "float16"),), {"axis": 0}, expected_dtype="int32", id="float16"),
    Case(
        "count_nonzero",
        (i32([[0, 1, 2], [3, 0, 0]]),),
        {"axis": 0},
        expected=[1, 1, 1],
        expected_dtype="int32",
    ),
    Case("count_nonzero", (f32([[0.0, 1.0], [2.0, 0.5]]),), expected=3, id="all"),
    Case("count_nonzero", (Arr((2, 3, 4), "bool"),), {"axis": (0, 2)}, id="axes"),
    Case("nansum", (f32([1.0, NAN, 2.0]),), expected=3.0),
    Case("nansum", (Arr((2, 3)),), {"axis": 1, "keepdims": True}, id="keepdims"),
    Case("nansum", (Arr((2, 3), "int8"),), expected_dtype="int32", id="int8"),
    Case("nanprod", (f32([[2.0, NAN], [3.0, 4.0]]),), {"axis": 1}, expected=[2.0, 12.0]),
    Case("nanprod", (Arr((2, 3), "int16", -3, 3),), expected_dtype="int32", id="int16"),
    Case("nanmean", (f32([[1.0, NAN, 3.0], [NAN, NAN, 4.0]]),), {"axis": 1}, expected=[2.0, 4.0]),
    Case("nanmean", (i32([1, 2]),), expected=1.5, expected_dtype="float32", id="int"),
    Case("nanmean", (Arr((3, 4), "float16"),), {"axis": 0}, expected_dtype="float16", id="float16"),
    Case("nanmax", (f32([[1.0, NAN, 3.0], [NAN, NAN, NAN]]),), {"axis": 1}, expected=[3.0, NAN]),
    Case("nanmax", (Arr((2, 3), "int32"),), {"axis": 0}, expected_dtype="int32", id="int"),
    Case("nanmin", (f32([[1.0, NAN, 3.0], [NAN, -1.0, NAN]]),), {"axis": 1}, expected=[1.0, -1.0]),
    Case("nanmin", (Arr((2, 3, 4)),), {"axis": (0, 1), "keepdims": True}, id="keepdims"),
    Case("cumsum", (f32([1.0, 2.0, 3.0]),), expected=[1.0, 3.0, 6.0]),
    Case(
        "cumsum",
        (i32([[1, 2], [3, 4]]),),
        expected=[1, 3, 6, 10],
        expected_dtype="int32",
        id="flatten",
    ),
    Case("cumsum", (Arr((2, 3, 4)),), {"axis": -2}, id="axis"),
    Case(
        "cumsum",
        (np.array([True, True, False]),),
        {"axis": 0},
        expected=[1, 2, 2],
        expected_dtype="int32",
        id="bool",
    ),
    Case(
        "cumsum",
        (i32([1, 2]),),
        {"dtype": "float32"},
        expected=[1.0, 3.0],
        expected_dtype="float32",
        id="dtype",
    ),
    Case("cumprod", (f32([1.0, 2.0, 3.0]),), expected=[1.0, 2.0, 6.0]),
    Case("cumprod", (Arr((2, 3), "int32", -3, 3),), {"axis": 1}, expected_dtype="int32", id="int"),
    Case(
        "cumprod",
        (Arr((5,), "float16", 0.5, 1.5),),
        {"axis": 0},
        expected_dtype="float16",
        id="float16",
    ),
    Case("diff", (f32([1.0, 4.0, 9.0, 16.0]),), expected=[3.0, 5.0, 7.0]),
    Case("diff", (f32([1.0, 4.0, 9.0, 16.0]),), {"n": 2}, expected=[2.0, 2.0], id="n2"),
    Case("diff", (Arr((3, 4), "int32"),), {"axis": 0}, expected_dtype="int32", id="axis0"),
    Case("trapezoid", (f32([1.0, 2.0, 3.0]),), expected=4.0, expected_dtype="float32"),
    Case("trapezoid", (f32([1.0, 2.0, 3.0]),), {"x": f32([0.0, 1.0, 3.0])}, expected=6.5, id="x"),
    Case(
        "trapezoid", (i32([1, 2, 3]),), {"dx": 2.0}, expected=8.0, expected_dtype="float32", id="dx"
    ),
    Case("trapezoid", (Arr((3, 4)),), {"axis": 0}, id="axis"),
]

STATISTICS_CASES = [
    Case("var", (f32([1.0, 2.0, 3.0, 4.0]),), expected=1.25, expected_dtype="float32"),
    Case("var", (Arr((2, 3, 4)),), {"axis": (0, 2), "keepdims": True}, id="axes"),
    Case("var", (Arr((3, 4), "int32"),), {"axis": -1}, expected_dtype="float32", id="int"),
    Case("var", (Arr((3, 4), "float16"),), expected_dtype="float16", id="float16"),
    Case("std", (f32([1.0, 2.0, 3.0, 4.0]),), expected=math.sqrt(1.25), expected_dtype="float32"),
    Case("std", (Arr((2, 3, 4)),), {"axis": 1}, id="axis"),
    Case("std", (Arr((3, 4), "int8"),), expected_dtype="float32", id="int"),
    Case("std", (Arr((3, 4), "bfloat16"),), {"axis": 0}, expected_dtype="bfloat16", id="bfloat16"),
    Case("average", (f32([1.0, 2.0, 3.0, 4.0]),), expected=2.5),
    Case(
        "average",
        (f32([1.0, 2.0, 3.0, 4.0]),),
        {"weights": f32([1.0, 1.0, 1.0, 5.0])},
        expected=3.25,
        id="weights",
    ),
    Case("average", (Arr((2, 3)),), {"axis": 1, "weights": positive((3,))}, id="axis-weights"),
    Case("average", (Arr((2, 3), "int32"),), {"axis": 0}, expected_dtype="float32", id="int"),
    Case(
        "average",
        (Arr((2, 3), "float16"),),
        {"weights": Arr((2, 3), "float32", 0.1, 1)},
        expected_dtype="float32",
        id="promote",
    ),
    Case("quantile", (f32([1.0, 2.0, 3.0, 4.0]), 0.5), expected=2.5),
    Case(
        "quantile",
        (f32([4.0, 1.0, 3.0, 2.0]), f32([0.0, 0.25, 1.0])),
        expected=[1.0, 1.75, 4.0],
        id="q-vector",
    ),
    Case(
        "quantile", (f32([1.0, 2.0, 3.0, 4.0]), 0.5), {"method": "lower"}, expected=2.0, id="lower"
    ),
    Case(
        "quantile",
        (f32([1.0, 2.0, 3.0, 4.0]), 0.5),
        {"method": "higher"},
        expected=3.0,
        id="higher",
    ),
    Case(
        "quantile",
        (f32([1.0, 2.0, 3.0, 4.0]), 0.5),
        {"method": "midpoint"},
        expected=2.5,
        id="midpoint",
    ),
    Case(
        "quantile",
        (f32([1.0, 2.0, 3.0, 4.0]), 0.4),
        {"method": "nearest"},
        expected=2.0,
        id="nearest",
    ),
    Case(
        "quantile",
        (Arr((3, 5)), f32([0.1, 0.9])),
        {"axis": 1, "keepdims": True},
        id="axis-keepdims",
    ),
    Case("quantile", (Arr((3, 4), "int32"), 0.3), {"axis": 0}, expected_dtype="float32", id="int"),
    Case("median", (f32([3.0, 1.0, 2.0]),), expected=2.0),
    Case("median", (f32([[1.0, 4.0], [2.0, 3.0]]),), {"axis": 0}, expected=[1.5, 3.5], id="axis"),
    Case("median", (Arr((2, 3, 4)),), {"axis": -1, "keepdims": True}, id="keepdims"),
    Case("median", (Arr((3, 4), "int32"),), expected_dtype="float32", id="int"),
    Case("median", (Arr((5,), "float16"),), expected_dtype="float16", id="float16"),
    Case(
        "corrcoef", (f32([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]),), expected=[[1.0, -1.0], [-1.0, 1.0]]
    ),
    Case("corrcoef", (Arr((3, 5)),), id="random"),
    Case("corrcoef", (Arr((3, 5), "int32", -9, 9),), expected_dtype="float32", id="int"),
    Case("corrcoef", (Arr((2, 6), "float16"),), expected_dtype="float16", id="float16"),
    Case("correlate", (f32([1.0, 2.0, 3.0]), f32([0.0, 1.0, 0.5])), expected=[3.5]),
    Case(
        "correlate",
        (f32([1.0, 2.0, 3.0]), f32([0.0, 1.0, 0.5])),
        {"mode": "full"},
        expected=[0.5, 2.0, 3.5, 3.0, 0.0],
        id="full",
    ),
    Case("correlate", (Arr((7,)), Arr((3,))), {"mode": "same"}, id="same"),
    Case("correlate", (Arr((5,), "int32"), Arr((2,), "int32")), expected_dtype="float32", id="int"),
]

COUNTING_CASES = [
    Case(
        "bincount",
        (i32([0, 1, 1, 3]),),
        expected=[1, 2, 0, 1],
        expected_dtype="int32",
        symbolic=False,
    ),
    Case(
        "bincount",
        (i32([0, 1, 1, 3]),),
        {"minlength": 6},
        expected=[1, 2, 0, 1, 0, 0],
        symbolic=False,
        id="minlength",
    ),
    Case(
        "bincount",
        (i32([0, 1, 1, 3]),),
        {"weights": f32([0.5, 1.0, 1.0, 2.0])},
        expected=[0.5, 2.0, 0.0, 2.0],
        expected_dtype="float32",
        symbolic=False,
        id="weights",
    ),
    Case(
        "bincount",
        (i32([[0, 1], [1, 1]]),),
        expected=[[1, 1], [0, 2]],
        symbolic=False,
        id="batched",
    ),
    Case("bincount", (Arr((20,), "int32", 0, 7),), {"minlength": 3}, symbolic=False, id="random"),
    Case(
        "histogram",
        (f32([0.0, 1.0, 2.0, 3.0]),),
        {"bins": 3},
        expected=([1, 1, 2], [0.0, 1.0, 2.0, 3.0]),
        expected_dtype="int32",
    ),
    Case(
        "histogram",
        (f32([0.0, 1.0, 5.0, 3.0]),),
        {"bins": 2, "range": (0.0, 4.0)},
        expected=([2, 1], [0.0, 2.0, 4.0]),
        id="range",
    ),
    Case("histogram", (Arr((30,)),), id="random"),
    Case("histogram", (Arr((30,), "int32", -5, 5),), {"bins": 4}, id="int"),
    Case(
        "digitize",
        (f32([0.2, 1.0, 2.5, 4.0]), f32([1.0, 2.0, 3.0])),
        expected=[0, 1, 2, 3],
        expected_dtype="int32",
    ),
    Case("digitize", (Arr((2, 5)), f32([-1.0, 0.0, 1.0])), id="2d"),
    Case("digitize", (Arr((6,), "int32", -4, 4), i32([-2, 0, 2])), id="int"),
]

CASES = [
    *ARITHMETIC_CASES,
    *UNARY_FLOAT_CASES,
    *FLOAT_BINARY_CASES,
    *COMPLEX_CASES,
    *ROUNDING_CASES,
    *LOGIC_CASES,
    *BITWISE_CASES,
    *REDUCTION_CASES,
    *STATISTICS_CASES,
    *COUNTING_CASES,
]
