"""Conformance cases for contract group ``numpy``, part two: creation, shapes, indexing, products."""

import numpy as np

from kcore.testing.cases._case import Arr, Case


def _argpartition_matches(got, want, kth=2):
    """Partitions are not unique: the kth index and the sets on each side must agree."""
    got, want = np.asarray(got), np.asarray(want)
    np.testing.assert_array_equal(got[..., kth], want[..., kth])
    np.testing.assert_array_equal(np.sort(got[..., :kth], -1), np.sort(want[..., :kth], -1))


def _add_one_vectorized(got, want):
    """`vectorize` returns functions: compare what they compute."""
    import kcore.ops

    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    for fn in (got, want):
        result = kcore.ops.convert_to_numpy(fn(kcore.ops.convert_to_tensor(x)))
        np.testing.assert_allclose(result, [[2.0, 3.0], [4.0, 5.0]])


def _row_sums_vectorized(got, want):
    import kcore.ops

    x = np.arange(6, dtype="float32").reshape(2, 3)
    for fn in (got, want):
        result = kcore.ops.convert_to_numpy(fn(kcore.ops.convert_to_tensor(x)))
        np.testing.assert_allclose(result, [3.0, 12.0])


def _add_one(x):
    import kcore.ops

    return kcore.ops.add(x, 1.0)


def _sum_row(x):
    import kcore.ops

    return kcore.ops.sum(x)


M23 = Arr((2, 3), values=[[1, 2, 3], [4, 5, 6]])
I3 = Arr((3,), "int32", values=[1, 2, 3])

CREATION = [
    Case("zeros", ((2, 3),), expected=np.zeros((2, 3)), expected_dtype="float32"),
    Case("zeros", ((0, 4), "int32"), expected_dtype="int32", id="empty"),
    Case("ones", ((2, 3),), expected=np.ones((2, 3)), expected_dtype="float32"),
    Case("ones", ((3,), "bfloat16"), expected=[1, 1, 1], expected_dtype="bfloat16", id="bf16"),
    Case("ones", ((0,), "int8"), expected_dtype="int8", id="empty"),
    Case("empty", ((2, 3),), compare="shape", expected_dtype="float32"),
    Case("empty", ((4,), "int32"), compare="shape", expected_dtype="int32", id="int"),
    Case("full", ((2, 2), 7), expected=[[7, 7], [7, 7]], expected_dtype="float32"),
    Case("full", ((2, 3), Arr((3,))), id="broadcast-fill"),
    Case("full", ((3,), 5, "int32"), expected=[5, 5, 5], expected_dtype="int32", id="int"),
    Case("zeros_like", (Arr((2, 3), "int32"),), expected=np.zeros((2, 3)), expected_dtype="int32"),
    Case("zeros_like", (Arr((2,)), "float16"), expected_dtype="float16", id="dtype"),
    Case(
        "ones_like", (Arr((2, 2), "bfloat16"),), expected=np.ones((2, 2)), expected_dtype="bfloat16"
    ),
    Case("ones_like", (Arr((0, 3)),), {"dtype": "int32"}, expected_dtype="int32", id="empty"),
    Case("empty_like", (Arr((2, 3)),), compare="shape", expected_dtype="float32"),
    Case("empty_like", (Arr((2,)), "int8"), compare="shape", expected_dtype="int8", id="dtype"),
    Case("full_like", (Arr((2, 2), "int32"), 3), expected=[[3, 3], [3, 3]], expected_dtype="int32"),
    Case("full_like", (Arr((2, 3)), 0.5, "float16"), expected_dtype="float16", id="dtype"),
    Case("array", ([[1, 2], [3, 4]],), expected=[[1, 2], [3, 4]], expected_dtype="int32"),
    Case("array", ([1.5, 2.0],), expected=[1.5, 2.0], expected_dtype="float32", id="floats"),
    Case("array", (Arr((2, 3)), "float16"), expected_dtype="float16", id="dtype"),
    Case("identity", (3,), expected=np.eye(3), expected_dtype="float32"),
    Case("identity", (2, "int32"), expected=[[1, 0], [0, 1]], expected_dtype="int32", id="int"),
    Case("eye", (2, 3), expected=[[1, 0, 0], [0, 1, 0]], expected_dtype="float32"),
    Case("eye", (3,), {"k": -1}, expected=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], id="k"),
    Case("eye", (2,), {"dtype": "bool"}, expected=[[1, 0], [0, 1]], expected_dtype="bool", id="b"),
    Case("tri", (3,), expected=[[1, 0, 0], [1, 1, 0], [1, 1, 1]], expected_dtype="float32"),
    Case(
        "tri", (2, 3, 1, "int32"), expected=[[1, 1, 0], [1, 1, 1]], expected_dtype="int32", id="k"
    ),
    Case("arange", (5,), expected=[0, 1, 2, 3, 4], expected_dtype="int32"),
    Case("arange", (1, 7, 2), expected=[1, 3, 5], expected_dtype="int32", id="step"),
    Case(
        "arange", (0.0, 1.0, 0.25), expected=[0, 0.25, 0.5, 0.75], expected_dtype="float32", id="f"
    ),
    Case(
        "arange", (3,), {"dtype": "float16"}, expected=[0, 1, 2], expected_dtype="float16", id="dt"
    ),
    Case("arange", (5, 2), expected=np.zeros((0,)), expected_dtype="int32", id="empty"),
    Case("arange", (4, 0, -2), expected=[4, 2], id="negative-step"),
    Case("linspace", (0, 1, 5), expected=[0, 0.25, 0.5, 0.75, 1], expected_dtype="float32"),
    Case("linspace", (0.0, 1.0, 4), {"endpoint": False}, expected=[0, 0.25, 0.5, 0.75], id="open"),
    Case(
        "linspace",
        (0.0, 2.0, 3),
        {"retstep": True},
        expected=([0.0, 1.0, 2.0], 1.0),
        id="retstep",
    ),
    Case("linspace", (Arr((2,)), Arr((2,)), 4), {"axis": -1}, id="vector-axis"),
    Case("linspace", (0, 1, 3), {"dtype": "bfloat16"}, expected_dtype="bfloat16", id="bf16"),
    Case("logspace", (0, 2, 3), expected=[1, 10, 100], expected_dtype="float32"),
    Case("logspace", (0.0, 3.0, 3), {"base": 2, "endpoint": False}, expected=[1, 2, 4], id="b2"),
    Case("logspace", (Arr((2,), low=0, high=1), 1.0, 3), {"axis": 1}, id="vector-axis"),
    Case("bartlett", (5,), expected=[0, 0.5, 1, 0.5, 0], expected_dtype="float32"),
    Case("bartlett", (1,), expected=[1], id="one"),
    Case("blackman", (3,), expected=[0, 1, 0], expected_dtype="float32", atol=1e-6),
    Case("blackman", (12,), id="twelve"),
    Case("hamming", (3,), expected=[0.08, 1, 0.08], expected_dtype="float32"),
    Case("hamming", (10,), id="ten"),
    Case("hanning", (5,), expected=[0, 0.5, 1, 0.5, 0], expected_dtype="float32"),
    Case("hanning", (0,), expected=np.zeros((0,)), id="empty"),
    Case("kaiser", (3, 0.0), expected=[1, 1, 1], expected_dtype="float32"),
    Case("kaiser", (8, 14.0), id="beta14"),
    Case(
        "meshgrid",
        (Arr((2,), "int32", values=[1, 2]), Arr((3,), "int32", values=[3, 4, 5])),
        expected=([[1, 2], [1, 2], [1, 2]], [[3, 3], [4, 4], [5, 5]]),
        expected_dtype="int32",
    ),
    Case("meshgrid", (Arr((2,)), Arr((3,)), Arr((4,))), {"indexing": "ij"}, id="ij"),
    Case(
        "vander",
        (I3,),
        expected=[[1, 1, 1], [4, 2, 1], [9, 3, 1]],
        expected_dtype="int32",
    ),
    Case("vander", (Arr((3,)), 4), {"increasing": True}, id="increasing"),
    Case("vander", (Arr((4,), "float16"),), id="float16"),
]

SHAPES = [
    Case("reshape", (Arr((2, 6)), (3, -1)), id="infer"),
    Case("reshape", (Arr((2, 3)), (6,)), expected_dtype="float32"),
    Case("reshape", (M23, (3, 2)), expected=[[1, 2], [3, 4], [5, 6]], id="exact"),
    Case("ravel", (M23,), expected=[1, 2, 3, 4, 5, 6], expected_dtype="float32"),
    Case("ravel", (Arr((0, 3), "int32"),), expected_dtype="int32", id="empty"),
    Case("broadcast_to", (I3, (2, 3)), expected=[[1, 2, 3], [1, 2, 3]], expected_dtype="int32"),
    Case("broadcast_to", (Arr((3, 1)), (2, 3, 4)), id="rank"),
    Case("expand_dims", (I3, 0), expected=[[1, 2, 3]], expected_dtype="int32"),
    Case("expand_dims", (Arr((2, 3)), -1), id="negative"),
    Case("expand_dims", (Arr((2, 3)), (0, 3)), id="tuple"),
    Case("squeeze", (Arr((1, 3, 1), values=[1, 2, 3]),), expected=[1, 2, 3]),
    Case("squeeze", (Arr((1, 3, 1)),), {"axis": -1}, id="axis"),
    Case("squeeze", (Arr((2, 1, 1), "int8"),), {"axis": (1, 2)}, expected_dtype="int8", id="ax"),
    Case("transpose", (M23,), expected=[[1, 4], [2, 5], [3, 6]], expected_dtype="float32"),
    Case("transpose", (Arr((2, 3, 4)), (1, 0, 2)), id="axes"),
    Case("transpose", (Arr((0, 3), "bfloat16"),), id="empty-bf16"),
    Case("moveaxis", (Arr((2, 3, 4)), 0, -1)),
    Case("moveaxis", (Arr((2, 3, 4)), [0, 1], [2, 0]), id="several"),
    Case("moveaxis", (M23, 0, 1), expected=[[1, 4], [2, 5], [3, 6]], id="exact"),
    Case("swapaxes", (Arr((2, 3, 4)), 0, 2)),
    Case("swapaxes", (M23, -1, 0), expected=[[1, 4], [2, 5], [3, 6]], id="exact"),
    Case("flip", (M23,), expected=[[6, 5, 4], [3, 2, 1]], expected_dtype="float32"),
    Case("flip", (M23, 1), expected=[[3, 2, 1], [6, 5, 4]], id="axis"),
    Case("flip", (Arr((2, 3, 4), "int32"), (0, -1)), id="axes"),
    Case("rot90", (Arr((2, 2), values=[[1, 2], [3, 4]]),), expected=[[2, 4], [1, 3]]),
    Case("rot90", (Arr((2, 3, 4)),), {"k": -1, "axes": (1, 2)}, id="axes"),
    Case("rot90", (Arr((2, 3), "int32"),), {"k": 2}, id="k2"),
    Case("roll", (I3, 1), expected=[3, 1, 2], expected_dtype="int32"),
    Case("roll", (M23, -1, 1), expected=[[2, 3, 1], [5, 6, 4]], id="axis"),
    Case("roll", (M23, 1), expected=[[6, 1, 2], [3, 4, 5]], id="flat"),
    Case("roll", (Arr((2, 3, 4)), (1, 2), (0, 2)), id="tuple"),
    Case("repeat", (I3, 2), expected=[1, 1, 2, 2, 3, 3], expected_dtype="int32"),
    Case("repeat", (M23, [1, 2], 0), expected=[[1, 2, 3], [4, 5, 6], [4, 5, 6]], id="counts"),
    Case("repeat", (Arr((2, 3)), 3, -1), id="axis"),
    Case("tile", (I3, 2), expected=[1, 2, 3, 1, 2, 3], expected_dtype="int32"),
    Case("tile", (Arr((2, 3)), (2, 1, 2)), id="rank"),
    Case("pad", (I3, 1), expected=[0, 1, 2, 3, 0], expected_dtype="int32"),
    Case("pad", (I3, (2, 1)), {"mode": "reflect"}, expected=[3, 2, 1, 2, 3, 2], id="reflect"),
    Case("pad", (I3, (2, 1)), {"mode": "symmetric"}, expected=[2, 1, 1, 2, 3, 3], id="symmetric"),
    Case("pad", (M23, ((1, 0), (0, 1))), {"constant_values": 9}, id="per-axis"),
    Case(
        "pad",
        (Arr((1, 2), values=[[1, 2]]), ((0, 1), (1, 0))),
        {"constant_values": -1.0},
        expected=[[-1, 1, 2], [-1, -1, -1]],
        id="exact-2d",
    ),
    Case(
        "pad", (Arr((2, 3, 4), "bfloat16"), ((0, 0), (1, 1), (2, 2))), {"mode": "reflect"}, id="bf"
    ),
]

JOINING = [
    Case("concatenate", ([M23, M23],), expected=[[1, 2, 3], [4, 5, 6]] * 2),
    Case("concatenate", ([Arr((2, 3)), Arr((2, 1), "int32")],), {"axis": -1}, id="promote"),
    Case("concatenate", ([Arr((2, 3), "float16"), Arr((0, 3), "float16")],), id="empty"),
    Case("stack", ([I3, I3],), expected=[[1, 2, 3], [1, 2, 3]], expected_dtype="int32"),
    Case("stack", ([Arr((2, 3)), Arr((2, 3), "int32")],), {"axis": -1}, id="promote"),
    Case("stack", ([I3, I3], 1), expected=[[1, 1], [2, 2], [3, 3]], id="axis"),
    Case("hstack", ([I3, I3],), expected=[1, 2, 3, 1, 2, 3], expected_dtype="int32"),
    Case("hstack", ([Arr((2, 3)), Arr((2, 1), "float16")],), expected_dtype="float32", id="2d"),
    Case("vstack", ([I3, I3],), expected=[[1, 2, 3], [1, 2, 3]], expected_dtype="int32"),
    Case("vstack", ([Arr((2, 3), "int8"), Arr((1, 3), "uint8")],), expected_dtype="int16", id="p"),
    Case("dstack", ([I3, I3],), expected=[[[1, 1], [2, 2], [3, 3]]], expected_dtype="int32"),
    Case("dstack", ([Arr((2, 3)), Arr((2, 3, 2))],), id="3d"),
    Case("append", (I3, [4, 5]), expected=[1, 2, 3, 4, 5], expected_dtype="int32"),
    Case("append", (M23, Arr((1, 3), "int32")), {"axis": 0}, expected_dtype="float32", id="ax"),
    Case("append", (M23, 7.0), expected=[1, 2, 3, 4, 5, 6, 7], id="flat"),
    Case(
        "split",
        (Arr((4,), "int32", values=[1, 2, 3, 4]), 2),
        expected=([1, 2], [3, 4]),
        expected_dtype="int32",
    ),
    Case("split", (Arr((2, 6)), [1, 4], 1), id="indices"),
    Case("split", (Arr((6, 2)), 3, -2), id="negative-axis"),
    Case(
        "array_split",
        (Arr((5,), "int32", values=[1, 2, 3, 4, 5]), 3),
        expected=([1, 2], [3, 4], [5]),
        expected_dtype="int32",
    ),
    Case("array_split", (Arr((2, 7)), 3, 1), id="axis"),
    Case("array_split", (Arr((6,)), [2, 3]), id="indices"),
    Case("vsplit", (Arr((4, 2)), 2)),
    Case(
        "vsplit",
        (Arr((3, 1), values=[[1], [2], [3]]), [1]),
        expected=([[1]], [[2], [3]]),
        id="exact",
    ),
]

INDEXING = [
    Case("get_item", (M23, 1), expected=[4, 5, 6], expected_dtype="float32"),
    Case("get_item", (M23, (slice(None), slice(1, None))), expected=[[2, 3], [5, 6]], id="s"),
    Case("get_item", (Arr((2, 3, 4)), (Ellipsis, None, -1)), id="ellipsis-newaxis"),
    Case("get_item", (Arr((2, 3, 4)), (0, slice(None, None, -2))), id="negative-step"),
    Case("get_item", (M23, (1, 2)), expected=6, id="scalar"),
    Case(
        "get_item",
        (M23, np.array([1, 0, 1], "int32")),
        expected=[[4, 5, 6], [1, 2, 3]] + [[4, 5, 6]],
        id="int-array",
    ),
    Case("get_item", (M23, (slice(None), [0, 2])), expected=[[1, 3], [4, 6]], id="int-list"),
    Case(
        "get_item",
        (M23, np.array([[True, False, True], [False, True, False]])),
        expected=[1, 3, 5],
        symbolic=False,
        id="bool-mask",
    ),
    Case("get_item", (Arr((3, 4)), np.array([True, False, True])), symbolic=False, id="row-mask"),
    Case("take", (I3, [2, 0]), expected=[3, 1], expected_dtype="int32"),
    Case("take", (M23, Arr((2,), "int32", values=[-1, 0]), 1), expected=[[3, 1], [6, 4]], id="n"),
    Case("take", (Arr((2, 3, 4)), Arr((2, 2), "int32", 0, 2), 1), id="2d-indices"),
    Case("take", (M23, 4), expected=5, id="flat-scalar"),
    Case(
        "take_along_axis",
        (M23, Arr((2, 1), "int32", values=[[2], [0]]), 1),
        expected=[[3], [4]],
        expected_dtype="float32",
    ),
    Case("take_along_axis", (Arr((3, 4)), Arr((2, 4), "int32", 0, 2), 0), id="axis0"),
    Case("take_along_axis", (M23, Arr((2,), "int32", values=[5, 0])), expected=[6, 1], id="flat"),
    Case(
        "nonzero",
        (Arr((2, 3), "int32", values=[[0, 1, 0], [2, 0, 3]]),),
        expected=([0, 1, 1], [1, 0, 2]),
        expected_dtype="int32",
        symbolic=False,
    ),
    Case("nonzero", (Arr((5,), "bool"),), symbolic=False, id="bool"),
    Case("nonzero", (np.zeros((2, 0)),), symbolic=False, id="empty"),
    Case(
        "where",
        (np.array([True, False, True]), I3, 0.5),
        expected=[1, 0.5, 3],
        expected_dtype="float32",
    ),
    Case("where", (Arr((2, 3), "bool"), Arr((2, 3)), Arr((3,), "float16")), id="broadcast"),
    Case("where", (Arr((2, 3), "bool"), Arr((2, 3), "int8"), 2), expected_dtype="int8", id="weak"),
    Case(
        "where",
        (np.array([[0, 1], [1, 0]]),),
        expected=([0, 1], [1, 0]),
        expected_dtype="int32",
        symbolic=False,
        id="nonzero",
    ),
    Case(
        "select",
        (
            [np.array([True, False, False]), np.array([True, True, False])],
            [I3, Arr((3,), "int32", values=[4, 5, 6])],
        ),
        expected=[1, 5, 0],
        expected_dtype="int32",
    ),
    Case("select", ([Arr((2, 3), "bool")], [Arr((2, 3))]), {"default": -1.0}, id="default"),
    Case("diag", (I3,), expected=[[1, 0, 0], [0, 2, 0], [0, 0, 3]], expected_dtype="int32"),
    Case("diag", (M23,), expected=[1, 5], id="2d"),
    Case("diag", (M23, 1), expected=[2, 6], id="2d-k"),
    Case("diag", (Arr((2,)), -1), id="1d-k"),
    Case(
        "diagflat", (Arr((2, 2), "int32", values=[[1, 2], [3, 4]]),), expected=np.diag([1, 2, 3, 4])
    ),
    Case("diagflat", (Arr((3,)), 1), id="k"),
    Case("diagonal", (M23,), expected=[1, 5], expected_dtype="float32"),
    Case("diagonal", (M23, 1), expected=[2, 6], id="offset"),
    Case("diagonal", (Arr((2, 3, 4)),), {"offset": -1, "axis1": 1, "axis2": 2}, id="axes"),
    Case("diagonal", (Arr((2, 3, 4)),), {"axis1": -1, "axis2": 0}, id="negative-axes"),
    Case("trace", (M23,), expected=6.0, expected_dtype="float32"),
    Case("trace", (M23, 1), expected=8.0, id="offset"),
    Case(
        "trace",
        (Arr((2, 3, 3), "int8"),),
        {"axis1": 1, "axis2": 2},
        expected_dtype="int32",
        id="i8",
    ),
    Case("trace", (Arr((3, 3), "uint8", 0, 9),), expected_dtype="uint32", id="uint8"),
    Case("trace", (Arr((4, 4), "bfloat16"),), expected_dtype="bfloat16", id="bf16"),
    Case("tril", (M23,), expected=[[1, 0, 0], [4, 5, 0]], expected_dtype="float32"),
    Case("tril", (M23, -1), expected=[[0, 0, 0], [4, 0, 0]], id="k"),
    Case("tril", (Arr((2, 3, 4), "int32"), 1), id="batched"),
    Case("triu", (M23,), expected=[[1, 2, 3], [0, 5, 6]], expected_dtype="float32"),
    Case("triu", (M23, 1), expected=[[0, 2, 3], [0, 0, 6]], id="k"),
    Case("triu", (Arr((2, 4, 3), "bool"), -1), id="batched"),
    Case(
        "unravel_index",
        (Arr((3,), "int32", values=[0, 5, 7]), (2, 4)),
        expected=([0, 1, 1], [0, 1, 3]),
        expected_dtype="int32",
    ),
    Case("unravel_index", (Arr((2, 2), "int32", 0, 23), (2, 3, 4)), id="2d"),
    Case("ndim", (M23,), expected=2),
    Case("ndim", (np.float32(1.0),), expected=0, id="scalar"),
    Case("size", (M23,), expected=6),
    Case("size", (Arr((0, 4)),), expected=0, id="empty"),
    Case(
        "view",
        (Arr((2,), "int32", values=[1, 2]), "uint32"),
        expected=[1, 2],
        expected_dtype="uint32",
    ),
    Case(
        "view",
        (Arr((2,), "float32", values=[1.0, -2.0]), "int32"),
        expected=[1065353216, -1073741824],
        id="bits",
    ),
    Case("view", (Arr((2, 4), "int8"), "int16"), expected_dtype="int16", id="narrow"),
    Case("view", (Arr((2, 3), "float16"),), expected_dtype="float16", id="same"),
]

SORTING = [
    Case("sort", (Arr((2, 3), values=[[3, 1, 2], [0, -1, 5]]),), expected=[[1, 2, 3], [-1, 0, 5]]),
    Case("sort", (Arr((3, 4), "int32"), 0), id="axis0"),
    Case("sort", (Arr((5,), "bfloat16"),), id="bf16"),
    Case("sort", (Arr((0,)),), id="empty"),
    Case(
        "argsort",
        (Arr((4,), values=[3, 1, 2, 1]),),
        expected=[1, 3, 2, 0],
        expected_dtype="int32",
    ),
    Case("argsort", (Arr((3, 4)), 0), id="axis0"),
    Case("argsort", (Arr((6,), "float16"),), id="float16"),
    Case(
        "argpartition",
        (Arr((3,), values=[2.0, 0.0, 1.0]), 1),
        expected=[1, 2, 0],
        expected_dtype="int32",
        compare=lambda got, want: _argpartition_matches(got, want, kth=1),
    ),
    Case(
        "argpartition",
        (Arr((3, 6)), 2),
        compare=_argpartition_matches,
        id="2d",
    ),
    Case(
        "searchsorted",
        (Arr((4,), values=[1, 2, 2, 3]), Arr((3,), values=[2, 0, 4])),
        expected=[1, 0, 4],
        expected_dtype="int32",
    ),
    Case(
        "searchsorted",
        (Arr((4,), values=[1, 2, 2, 3]), Arr((2,), values=[2, 3])),
        {"side": "right"},
        expected=[3, 4],
        id="right",
    ),
    Case(
        "searchsorted", (Arr((3,), "int32", values=[0, 5, 9]), Arr((2, 2), "int32", 0, 10)), id="nd"
    ),
]

PRODUCTS = [
    Case("matmul", (Arr((2, 3)), Arr((3, 4)))),
    Case("matmul", (Arr((5, 2, 3)), Arr((3, 4))), id="batched"),
    Case("matmul", (Arr((3,)), Arr((3, 4))), id="vector"),
    Case("matmul", (Arr((2, 3), "int8"), Arr((3, 2), "int8")), expected_dtype="int32", id="int8"),
    Case("matmul", ([[1.0, 2.0]], [[3.0], [4.0]]), expected=[[11.0]], id="exact"),
    Case(
        "matmul",
        (Arr((2, 3), "bfloat16"), Arr((3, 2), "bfloat16")),
        expected_dtype="bfloat16",
        id="bf16",
    ),
    Case("dot", (I3, I3), expected=14, expected_dtype="int32"),
    Case(
        "dot",
        (M23, Arr((3, 2), values=[[1, 0], [0, 1], [1, 1]])),
        expected=[[4, 5], [10, 11]],
        id="2d",
    ),
    Case("dot", (Arr((2, 3, 4)), Arr((5, 4, 2))), id="nd"),
    Case(
        "dot", (Arr((3,), "float16"), Arr((3,), "float32")), expected_dtype="float32", id="promote"
    ),
    Case("dot", (M23, 2.0), expected=[[2, 4, 6], [8, 10, 12]], id="scalar"),
    Case("inner", (I3, I3), expected=14, expected_dtype="int32"),
    Case(
        "inner",
        (M23, Arr((2, 3), values=[[1, 0, 0], [0, 0, 1]])),
        expected=[[1, 3], [4, 6]],
        id="2d",
    ),
    Case("inner", (Arr((2, 4), "bfloat16"), Arr((3, 4), "bfloat16")), id="bf16"),
    Case("outer", (I3, Arr((2,), "int32", values=[1, -1])), expected=[[1, -1], [2, -2], [3, -3]]),
    Case("outer", (Arr((2, 2)), Arr((3,), "int32")), expected_dtype="float32", id="flattens"),
    Case("vdot", (M23, M23), expected=91.0, expected_dtype="float32"),
    Case("vdot", (Arr((4,), "complex64"), Arr((4,), "complex64")), id="complex"),
    Case(
        "kron",
        (Arr((2,), "int32", values=[1, 2]), Arr((2,), "int32", values=[1, 10])),
        expected=[1, 10, 2, 20],
    ),
    Case("kron", (Arr((2, 2)), Arr((2, 3), "float16")), expected_dtype="float32", id="2d"),
    Case(
        "cross",
        (Arr((3,), values=[1, 0, 0]), Arr((3,), values=[0, 1, 0])),
        expected=[0, 0, 1],
        expected_dtype="float32",
    ),
    Case("cross", (Arr((4, 3)), Arr((4, 3))), id="batched"),
    Case("cross", (Arr((3, 2)), Arr((3, 2))), {"axis": 0}, id="axis"),
    Case("tensordot", (M23, M23, 2), expected=91.0, expected_dtype="float32"),
    Case("tensordot", (Arr((2, 3, 4)), Arr((3, 4, 5))), id="default"),
    Case("tensordot", (Arr((2, 3, 4)), Arr((4, 2))), {"axes": ([0, 2], [1, 0])}, id="lists"),
    Case("tensordot", (Arr((2,)), Arr((3,))), {"axes": 0}, id="outer"),
    Case("einsum", ("ij,jk->ik", M23, Arr((3, 1), values=[[1], [1], [1]])), expected=[[6], [15]]),
    Case("einsum", ("bij->bji", Arr((2, 3, 4))), id="transpose"),
    Case(
        "einsum", ("i,i->", Arr((3,), "int8"), Arr((3,), "int8")), expected_dtype="int32", id="int8"
    ),
    Case("einsum", ("...ij,...jk", Arr((2, 2, 3), "bfloat16"), Arr((3, 2), "bfloat16")), id="bf16"),
    Case(
        "slogdet",
        (Arr((2, 2), values=[[1, 2], [3, 4]]),),
        expected=(-1.0, np.log(2.0)),
        expected_dtype="float32",
    ),
    Case("slogdet", (Arr((3, 4, 4)),), id="batched"),
    Case(
        "slogdet",
        (Arr((2, 2), "int32", values=[[2, 0], [0, 3]]),),
        expected=(1, np.log(6.0)),
        id="int",
    ),
]

FUNCTIONS = [
    Case("vectorize", (_add_one,), compare=_add_one_vectorized),
    Case(
        "vectorize", (_sum_row,), {"signature": "(n)->()"}, compare=_row_sums_vectorized, id="sig"
    ),
    Case("rearrange", (M23, "h w -> w h"), expected=[[1, 4], [2, 5], [3, 6]]),
    Case("rearrange", (Arr((2, 3, 4)), "b h w -> b (h w)"), id="merge"),
    Case(
        "rearrange",
        (Arr((2, 6), "int32", values=np.arange(12)), "b (h w) -> b w h"),
        {"h": 2},
        expected=[[[0, 3], [1, 4], [2, 5]], [[6, 9], [7, 10], [8, 11]]],
        expected_dtype="int32",
        id="split",
    ),
    Case(
        "rearrange",
        (Arr((2, 4, 6, 3)), "b (h1 h) (w1 w) c -> (b h1 w1) h w c"),
        {"h1": 2, "w1": 3},
        id="patches",
    ),
]

CASES = CREATION + SHAPES + JOINING + INDEXING + SORTING + PRODUCTS + FUNCTIONS
