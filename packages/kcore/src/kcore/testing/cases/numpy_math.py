"""Conformance cases for contract group ``numpy``, part one: element-wise math, reductions, statistics."""

from kcore.testing.cases._case import Arr, Case, promotion_cases

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

CASES = [
    Case("add", (Arr((2, 3)), Arr((3,))), id="broadcast"),
    Case("add", (Arr((0, 3)), Arr((3,))), id="empty"),
    Case("add", ([1.0, 2.0], 1.0), expected=[2.0, 3.0], expected_dtype="float32", id="lists"),
    Case("add", (Arr((4,), "float16"), Arr((4,), "float16")), id="float16"),
    Case("add", (Arr((4,), "bfloat16"), Arr((4,), "bfloat16")), id="bfloat16"),
    *promotion_cases("add", PROMOTION_PAIRS),
    Case("sum", (Arr((2, 3, 4)),), {"axis": -1}),
    Case("sum", (Arr((2, 3, 4)),), {"axis": (0, 2), "keepdims": True}, id="axes"),
    Case("sum", (Arr((0, 3)),), {"axis": 0}, expected=[0.0, 0.0, 0.0], id="empty"),
    Case("sum", (Arr((5,), "bool"),), expected_dtype="int32", id="bool"),
]
