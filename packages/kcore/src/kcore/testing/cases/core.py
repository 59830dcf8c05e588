"""Conformance cases for contract group ``core``.

The functions passed to control-flow ops are written with `kcore.ops`, so they run on any backend.
"""

import numpy as np

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.testing.cases._case import Arr, Case


def _equals(value):
    """A comparison asserting the backend's result equals `value` (for non-tensor results)."""

    def compare(got, want):
        if got != value or want != value:
            raise AssertionError(f"got {got!r} (reference {want!r}), expected {value!r}")

    return compare


def _square_then_add(x):
    def grad(upstream):
        return ops.multiply(upstream, ops.multiply(x, 2.0))

    return ops.add(ops.multiply(x, x), 1.0), grad


def _same_function_values(got, want):
    """custom_gradient: the decorated function gives the undecorated output."""
    x = np.array([1.0, -2.0, 3.0], np.float32)
    got_value = np.asarray(ops.convert_to_numpy(got(ops.convert_to_tensor(x))))
    if not np.allclose(got_value, [2.0, 5.0, 10.0]) or not np.allclose(want(x), got_value):
        raise AssertionError(f"custom_gradient output {got_value!r}, expected [2, 5, 10]")


def _spec_of(shape, dtype):
    def compare(got, want):
        for result in (got, want):
            if not isinstance(result, KerasTensor):
                raise AssertionError(f"expected a KerasTensor, got {result!r}")
            if result.shape != shape or result.dtype != dtype:
                raise AssertionError(f"got {result!r}, expected shape {shape} dtype {dtype}")

    return compare


_X = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
_VECTOR = np.array([1.0, 2.0], np.float32)
_ZERO = np.array(0, np.int32)


def _count_below(limit):
    return lambda i, x: ops.less(i, limit)


def _double(i, x):
    return ops.add(i, 1), ops.multiply(x, 2.0)


def _first(a, b):
    return a


def _running_sum(carry, x):
    return ops.add(carry, x), ops.multiply(carry, 2.0)


def _count_up(carry, x):
    return ops.add(carry, 1.0), carry


CASES = [
    # conversions and introspection
    Case(
        "convert_to_tensor",
        ([[1.0, 2.0], [3.0, 4.0]],),
        expected=_X,
        expected_dtype="float32",
        id="float-list",
    ),
    Case("convert_to_tensor", ([1, 2, 3],), expected=[1, 2, 3], expected_dtype="int32", id="ints"),
    Case("convert_to_tensor", ([True, False],), expected_dtype="bool", id="bools"),
    Case("convert_to_tensor", (Arr((2, 3), "float16"),), expected_dtype="float16", id="float16"),
    Case(
        "convert_to_tensor",
        (Arr((2, 3), "float32"),),
        {"dtype": "bfloat16"},
        expected_dtype="bfloat16",
        id="to-bfloat16",
    ),
    Case("convert_to_tensor", (2.5,), expected=2.5, expected_dtype="float32", id="scalar"),
    Case("convert_to_numpy", (_X,), expected=_X, expected_dtype="float32"),
    Case("convert_to_numpy", (Arr((0, 3), "int32"),), expected_dtype="int32", id="empty"),
    Case("is_tensor", (Arr((2,)),), expected=True),
    Case("is_tensor", ([1.0, 2.0],), expected=False, id="list"),
    Case("shape", (Arr((2, 3, 4)),), expected=(2, 3, 4)),
    Case("shape", (Arr((0, 5)),), expected=(0, 5), id="empty"),
    Case("dtype", (Arr((2,), "bfloat16"),), compare=_equals("bfloat16")),
    Case("dtype", (Arr((3,), "int8"),), compare=_equals("int8"), id="int8"),
    # casts
    Case(
        "cast",
        (np.array([1.7, -1.7, 2.0], np.float32), "int32"),
        expected=[1, -1, 2],
        expected_dtype="int32",
    ),
    Case("cast", (Arr((2, 3)), "float16"), expected_dtype="float16", id="float16"),
    Case("cast", (Arr((4,), "bool"), "float32"), expected_dtype="float32", id="bool"),
    Case("cast", (Arr((3, 2), "int32"), "bfloat16"), expected_dtype="bfloat16", id="int-bfloat16"),
    Case(
        "saturate_cast",
        (np.array([300.0, -5.0, 3.7], np.float32), "uint8"),
        expected=[255, 0, 3],
        expected_dtype="uint8",
    ),
    Case(
        "saturate_cast",
        (np.array([-200, 100, 200], np.int32), "int8"),
        expected=[-128, 100, 127],
        id="int8",
    ),
    Case(
        "saturate_cast",
        (np.array([1e6, -1e6, 1.5], np.float32), "float16"),
        expected=[65504.0, -65504.0, 1.5],
        expected_dtype="float16",
        id="float16",
    ),
    # control flow
    Case(
        "cond",
        (np.array(True), lambda: ops.ones((2,)), lambda: ops.zeros((2,))),
        expected=[1.0, 1.0],
    ),
    Case(
        "cond",
        (np.array(False), lambda: ops.ones((2,)), lambda: ops.zeros((2,))),
        expected=[0.0, 0.0],
        id="false",
    ),
    Case(
        "while_loop",
        (_count_below(3), _double, (_ZERO, _VECTOR)),
        expected=(3, [8.0, 16.0]),
    ),
    Case(
        "while_loop",
        (_count_below(100), _double, (_ZERO, _VECTOR)),
        {"maximum_iterations": 4},
        expected=(4, [16.0, 32.0]),
        id="maximum-iterations",
    ),
    Case(
        "while_loop",
        (_count_below(0), _double, (_ZERO, _VECTOR)),
        expected=(0, [1.0, 2.0]),
        id="no-iteration",
    ),
    Case(
        "fori_loop",
        (0, 4, lambda i, x: ops.add(x, ops.cast(i, "float32")), _VECTOR),
        expected=[7.0, 8.0],
    ),
    Case(
        "fori_loop",
        (2, 2, lambda i, x: ops.multiply(x, 0.0), _VECTOR),
        expected=_VECTOR,
        id="empty",
    ),
    Case(
        "scan",
        (_running_sum, np.array(0.0, np.float32), np.array([1.0, 2.0, 3.0], np.float32)),
        expected=(6.0, [0.0, 2.0, 6.0]),
    ),
    Case(
        "scan",
        (_running_sum, np.array(0.0, np.float32), np.array([1.0, 2.0, 3.0], np.float32)),
        {"reverse": True},
        expected=(6.0, [10.0, 6.0, 0.0]),
        id="reverse",
    ),
    Case(
        "scan",
        (_count_up, np.array(0.0, np.float32)),
        {"length": 3},
        expected=(3.0, [0.0, 1.0, 2.0]),
        id="length",
    ),
    Case("scan", (_running_sum, Arr((3,)), Arr((5, 3))), {"unroll": 2}, id="vectors"),
    Case(
        "associative_scan",
        (ops.add, np.array([1.0, 2.0, 3.0, 4.0], np.float32)),
        expected=[1.0, 3.0, 6.0, 10.0],
    ),
    Case(
        "associative_scan",
        (ops.add, np.array([1.0, 2.0, 3.0, 4.0], np.float32)),
        {"reverse": True},
        expected=[10.0, 9.0, 7.0, 4.0],
        id="reverse",
    ),
    Case("associative_scan", (ops.multiply, Arr((2, 5))), {"axis": 1}, id="axis"),
    Case(
        "associative_scan",
        (lambda a, b: (ops.add(a[0], b[0]), ops.maximum(a[1], b[1])), (Arr((4,)), Arr((4,)))),
        id="structure",
    ),
    Case("map", (lambda x: ops.sum(x), _X), expected=[3.0, 7.0]),
    Case("map", (lambda x: ops.multiply(x, 2.0), Arr((3, 2, 2))), id="tensor"),
    Case(
        "switch",
        (1, [lambda x: ops.add(x, 1.0), lambda x: ops.multiply(x, 2.0)], _VECTOR),
        expected=[2.0, 4.0],
    ),
    Case(
        "switch",
        (5, [lambda x: ops.add(x, 1.0), lambda x: ops.multiply(x, 2.0)], _VECTOR),
        expected=[2.0, 4.0],
        id="clamped-high",
    ),
    Case(
        "switch",
        (-3, [lambda x: ops.add(x, 1.0), lambda x: ops.multiply(x, 2.0)], _VECTOR),
        expected=[2.0, 3.0],
        id="clamped-low",
    ),
    Case("stop_gradient", (_X,), expected=_X, expected_dtype="float32"),
    Case("stop_gradient", (Arr((3,), "float16"),), expected_dtype="float16", id="float16"),
    Case(
        "custom_gradient",
        (_square_then_add,),
        compare=_same_function_values,
    ),
    # slicing and scatter
    Case(
        "slice",
        (np.arange(12, dtype=np.int32).reshape(3, 4), (1, 1), (2, 2)),
        expected=[[5, 6], [9, 10]],
        expected_dtype="int32",
    ),
    Case("slice", (Arr((4, 5, 6)), (1, 0, 2), (2, 5, 3)), id="3d"),
    Case(
        "slice_update",
        (np.zeros((3, 3), np.float32), (1, 1), np.ones((2, 2), np.float32)),
        expected=[[0.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]],
    ),
    Case("slice_update", (Arr((4, 5)), (0, 2), Arr((2, 3))), id="generic"),
    Case(
        "scatter",
        (
            np.array([[0, 1], [2, 0], [0, 1]], np.int32),
            np.array([1.0, 2.0, 3.0], np.float32),
            (3, 2),
        ),
        expected=[[0.0, 4.0], [0.0, 0.0], [2.0, 0.0]],
        expected_dtype="float32",
    ),
    Case(
        "scatter",
        (np.array([[1], [3]], np.int32), Arr((2, 4)), (5, 4)),
        id="rows",
    ),
    Case(
        "scatter_update",
        (np.zeros((3, 2), np.float32), np.array([[0, 1], [2, 0]], np.int32), _VECTOR),
        expected=[[0.0, 1.0], [0.0, 0.0], [2.0, 0.0]],
    ),
    Case(
        "scatter_update",
        (Arr((4, 3)), np.array([[3], [1]], np.int32), Arr((2, 3))),
        id="rows",
    ),
    Case("unstack", (_X,), {"axis": 1}, expected=([1.0, 3.0], [2.0, 4.0])),
    Case("unstack", (Arr((3, 2, 4)),), {"num": 3}, id="num"),
    Case(
        "vectorized_map",
        (lambda x: ops.multiply(x, x), _X),
        expected=[[1.0, 4.0], [9.0, 16.0]],
    ),
    Case("vectorized_map", (lambda x: ops.sum(x, axis=-1), Arr((4, 3, 2))), id="reduce"),
    Case(
        "compute_output_spec",
        (lambda x: ops.sum(x, axis=0), KerasTensor((None, 3))),
        compare=_spec_of((3,), "float32"),
    ),
    Case(
        "compute_output_spec",
        (lambda x, y: ops.matmul(x, y), KerasTensor((None, 2, 3)), KerasTensor((3, 5))),
        compare=_spec_of((None, 2, 5), "float32"),
        id="unknown-batch",
    ),
    Case(
        "saturate_cast",
        (np.array([3e9, -3e9, 7.5], np.float32), "int32"),
        expected=[2147483647, -2147483648, 7],
        id="float-to-int32-bounds",
    ),
    Case(
        "associative_scan",
        (_first, np.array([1.0, 2.0, 3.0], np.float32)),
        {"reverse": True},
        expected=[3.0, 3.0, 3.0],
        id="reverse-order",
    ),
    Case("map", (lambda x: ops.multiply(x, 2.0), Arr((0, 3))), id="empty"),
    Case("scan", (_running_sum, Arr((3,)), Arr((0, 3))), id="empty"),
    Case(
        "jvp",
        (
            lambda x: ops.multiply(x, x),
            (np.array([1.0, 2.0], np.float32),),
            (np.ones(2, np.float32),),
        ),
        expected=([1.0, 4.0], [2.0, 4.0]),
        needs=("supports_training",),
    ),
    Case(
        "value_and_grad",
        (lambda x: ops.sum(ops.multiply(x, x)),),
        then=(np.array([1.0, 2.0], np.float32),),
        expected=(5.0, [2.0, 4.0]),
        needs=("supports_training",),
        symbolic=False,
    ),
    Case(
        "value_and_grad",
        (lambda w, x: ops.sum(ops.matmul(x, w["kernel"])) + ops.sum(w["bias"]), 0),
        then=(
            {"kernel": np.ones((2, 1), np.float32), "bias": np.zeros((1,), np.float32)},
            np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
        ),
        expected=(10.0, [1.0], [[4.0], [6.0]]),
        needs=("supports_training",),
        symbolic=False,
        id="dict-argument",
    ),
    Case(
        "value_and_grad",
        (lambda x: (ops.sum(x), ops.max(x)),),
        {"has_aux": True},
        then=(np.array([1.0, 3.0], np.float32),),
        expected=(4.0, 3.0, [1.0, 1.0]),
        needs=("supports_training",),
        symbolic=False,
        id="aux",
    ),
    Case(
        "jit",
        (lambda state, x: (ops.add(state, x), ops.sum(x)),),
        {"donate_argnums": (0,)},
        then=(np.array([1.0, 2.0], np.float32), np.array([3.0, 4.0], np.float32)),
        expected=([4.0, 6.0], 7.0),
        symbolic=False,
    ),
]
