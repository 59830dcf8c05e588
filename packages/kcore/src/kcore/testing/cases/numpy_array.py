"""Conformance cases for contract group ``numpy``, part two: creation, shapes, indexing, products."""

import numpy as np

from kcore.testing.cases._case import Arr, Case

CASES = [
    Case("zeros", ((2, 3),), expected=np.zeros((2, 3)), expected_dtype="float32"),
    Case("zeros", ((0, 4), "int32"), expected_dtype="int32", id="empty"),
    Case("matmul", (Arr((2, 3)), Arr((3, 4)))),
    Case("matmul", (Arr((5, 2, 3)), Arr((3, 4))), id="batched"),
    Case("matmul", (Arr((3,)), Arr((3, 4))), id="vector"),
    Case("matmul", (Arr((2, 3), "int8"), Arr((3, 2), "int8")), expected_dtype="int32", id="int8"),
    Case("matmul", ([[1.0, 2.0]], [[3.0], [4.0]]), expected=[[11.0]], id="exact"),
    Case("reshape", (Arr((2, 6)), (3, -1)), id="infer"),
    Case("reshape", (Arr((2, 3)), (6,)), expected_dtype="float32"),
]
