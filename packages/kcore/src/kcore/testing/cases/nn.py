"""Conformance cases for contract group ``nn``."""

import math

import numpy as np

from kcore.testing.cases._case import Arr, Case, positive, unary_dtype_cases

LN2, LN3 = math.log(2.0), math.log(3.0)


def _f32(*values):
    return np.array(values, dtype="float32")


def _activation_cases(name, values, expected, **kwargs):
    """An exact case, a 3-D case, an empty case and float16 / bfloat16 / int dtype cases."""
    return [
        Case(name, (_f32(*values),), kwargs, expected=expected, id="exact"),
        Case(name, (Arr((2, 3, 4), low=-4, high=4),), kwargs, id="3d"),
        Case(name, (Arr((0, 3)),), kwargs, id="empty"),
        *unary_dtype_cases(name, ("float16", "bfloat16"), low=-4, high=4),
        Case(name, (Arr((5,), "int32", -4, 4),), kwargs, expected_dtype="float32", id="int32"),
    ]


ACTIVATIONS = [
    *_activation_cases("sigmoid", (0.0, LN3), [0.5, 0.75]),
    *_activation_cases("sparse_sigmoid", (-2.0, 0.0, 0.5, 2.0), [0.0, 0.5, 0.75, 1.0]),
    *_activation_cases("softplus", (0.0, LN3), [LN2, math.log(4.0)]),
    *_activation_cases("softsign", (-3.0, 0.0, 1.0), [-0.75, 0.0, 0.5]),
    *_activation_cases("soft_shrink", (-1.0, 0.2, 2.0), [-0.5, 0.0, 1.5]),
    *_activation_cases("sparse_plus", (-2.0, 0.0, 1.0, 3.0), [0.0, 0.25, 1.0, 3.0]),
    *_activation_cases("silu", (0.0, LN3), [0.0, 0.75 * LN3]),
    *_activation_cases("squareplus", (0.0, 1.5), [1.0, 2.0]),
    *_activation_cases("log_sigmoid", (0.0, -LN3), [-LN2, -math.log(4.0)]),
    *_activation_cases("leaky_relu", (-1.0, 2.0), [-0.2, 2.0]),
    *_activation_cases("hard_sigmoid", (-4.0, 0.0, 3.0, 5.0), [0.0, 0.5, 1.0, 1.0]),
    *_activation_cases(
        "hard_silu", (-3.0, -1.0, 0.0, 1.0, 3.0), [0.0, -1.0 / 3.0, 0.0, 2.0 / 3.0, 3.0]
    ),
    *_activation_cases("elu", (-LN2, 1.0), [-0.5, 1.0]),
    *_activation_cases("selu", (0.0, 1.0), [0.0, 1.0507009873554805]),
    *_activation_cases("gelu", (-1.0, 0.0, 1.0), [-0.15865525, 0.0, 0.84134475], approximate=False),
    *_activation_cases("celu", (-LN2, 1.0), [-0.5, 1.0]),
    *_activation_cases("tanh_shrink", (0.0, LN3), [0.0, LN3 - 0.8]),
    *_activation_cases("hard_tanh", (-2.0, 0.5, 3.0), [-1.0, 0.5, 1.0]),
    *_activation_cases("hard_shrink", (-1.0, 0.3, 2.0), [-1.0, 0.0, 2.0]),
    Case("relu", (_f32(-1.0, 0.0, 2.0),), expected=[0.0, 0.0, 2.0], id="exact"),
    Case("relu", (Arr((2, 3, 4)),), id="3d"),
    Case("relu", (Arr((0, 3)),), id="empty"),
    Case("relu", (Arr((6,), "int32", -3, 3),), expected_dtype="int32", id="int32"),
    *unary_dtype_cases("relu", ("float16", "bfloat16")),
    Case("relu6", (_f32(-3.0, 0.5, 7.0),), expected=[0.0, 0.5, 6.0], id="exact"),
    Case("relu6", (Arr((2, 3, 4), low=-8, high=8),), id="3d"),
    Case("relu6", (Arr((6,), "int32", -9, 9),), expected_dtype="int32", id="int32"),
    *unary_dtype_cases("relu6", ("float16", "bfloat16"), low=-8, high=8),
    Case("gelu", (Arr((3, 4), low=-4, high=4),), id="approximate"),
    Case("gelu", (_f32(0.0),), expected=[0.0], id="approximate-zero"),
    Case("leaky_relu", (Arr((3, 4)),), {"negative_slope": 0.5}, id="slope"),
    Case("elu", (_f32(-LN2, 1.0),), {"alpha": 2.0}, expected=[-1.0, 1.0], id="alpha"),
    Case("celu", (Arr((3, 4)),), {"alpha": 0.5}, id="alpha"),
    Case("soft_shrink", (Arr((3, 4)),), {"threshold": 1.0}, id="threshold"),
    Case("hard_shrink", (Arr((3, 4)),), {"threshold": 1.0}, id="threshold"),
    Case("squareplus", (Arr((3, 4)),), {"b": 1}, id="b"),
    Case("threshold", (_f32(-1.0, 0.0, 1.0, 2.0), 1, 0), expected=[0.0, 0.0, 0.0, 2.0]),
    Case("threshold", (Arr((2, 3)), 0.5, -1.0), id="2d"),
    Case("threshold", (Arr((4,), "float16"), 0.0, 0.0), id="float16"),
    Case("glu", (_f32(2.0, 4.0, 0.0, LN3),), expected=[1.0, 3.0]),
    Case("glu", (Arr((4, 6)),), {"axis": 0}, id="axis0"),
    Case("glu", (Arr((2, 8), "bfloat16"),), id="bfloat16"),
    Case("softmax", (_f32(0.0, LN3),), expected=[0.25, 0.75]),
    Case("softmax", (Arr((2, 3, 4), low=-20, high=20),), {"axis": 1}, id="axis1"),
    Case("softmax", (Arr((2, 3, 4)),), {"axis": (1, 2)}, id="axes"),
    Case("softmax", (Arr((3, 5), "float16"),), id="float16"),
    Case("softmax", (Arr((0, 5)),), id="empty"),
    Case("log_softmax", (_f32(0.0, LN3),), expected=[math.log(0.25), math.log(0.75)]),
    Case("log_softmax", (Arr((2, 3, 4), low=-20, high=20),), {"axis": 0}, id="axis0"),
    Case("log_softmax", (Arr((3, 5), "bfloat16"),), id="bfloat16"),
    Case("sparsemax", (_f32(-1.0, 0.0, 1.0),), expected=[0.0, 0.0, 1.0]),
    Case("sparsemax", (_f32(0.0, 0.5),), expected=[0.25, 0.75], id="split"),
    Case("sparsemax", (Arr((3, 5)),), {"axis": 0}, id="axis0"),
    Case("sparsemax", (Arr((2, 6), "float16"),), id="float16"),
]

_GRID = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)

POOLING = [
    Case("max_pool", (_GRID, 2), expected=[[[[5.0], [7.0]], [[13.0], [15.0]]]]),
    Case("max_pool", (Arr((2, 7, 3)), 3, 2, "same"), id="1d-same"),
    Case(
        "max_pool",
        (Arr((2, 3, 7, 6)), (2, 3), (1, 2)),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case("max_pool", (Arr((1, 4, 5, 6, 2)), 2, None, "same"), id="3d"),
    Case("max_pool", (Arr((2, 6, 6, 3), "int32", -9, 9), 2), expected_dtype="int32", id="int32"),
    Case("max_pool", (Arr((1, 5, 5, 2), "float16"), 2, 1), id="float16"),
    Case("average_pool", (_GRID, 2), expected=[[[[2.5], [4.5]], [[10.5], [12.5]]]]),
    Case(
        "average_pool",
        (_f32(1.0, 2.0, 3.0).reshape(1, 3, 1), 2, 1, "same"),
        expected=[[[1.5], [2.5], [3.0]]],
        id="same-exact",
    ),
    Case("average_pool", (Arr((2, 7, 6, 3)), 3, 2, "same"), id="2d-same"),
    Case(
        "average_pool", (Arr((2, 3, 8)), 2), {"data_format": "channels_first"}, id="channels-first"
    ),
    Case("average_pool", (Arr((1, 4, 4, 2), "bfloat16"), 2), id="bfloat16"),
    Case(
        "adaptive_average_pool",
        (np.arange(10, dtype="float32").reshape(1, 10, 1), 3),
        expected=[[[1.5], [4.5], [7.5]]],
    ),
    Case("adaptive_average_pool", (Arr((2, 7, 9, 3)), (3, 4)), id="2d"),
    Case(
        "adaptive_average_pool",
        (Arr((2, 3, 5, 6)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case("adaptive_average_pool", (Arr((1, 3, 4, 5, 2)), (2, 3, 2)), id="3d"),
    Case(
        "adaptive_max_pool",
        (np.arange(10, dtype="float32").reshape(1, 10, 1), 3),
        expected=[[[3.0], [6.0], [9.0]]],
    ),
    Case("adaptive_max_pool", (Arr((2, 7, 9, 3)), (3, 4)), id="2d"),
    Case(
        "adaptive_max_pool",
        (Arr((2, 3, 5, 6)), 4),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case(
        "adaptive_max_pool",
        (Arr((1, 6, 6, 2), "int32", -9, 9), 4),
        expected_dtype="int32",
        id="int32",
    ),
]

_CONV_TOL = {"rtol": 1e-4, "atol": 1e-4}

CONVOLUTIONS = [
    Case(
        "conv",
        (_f32(1, 2, 3, 4).reshape(1, 4, 1), _f32(1, -1).reshape(2, 1, 1)),
        expected=[[[-1.0], [-1.0], [-1.0]]],
    ),
    Case("conv", (Arr((2, 9, 3)), Arr((3, 3, 4))), {"padding": "same"}, id="1d-same", **_CONV_TOL),
    Case(
        "conv",
        (Arr((2, 8, 7, 3)), Arr((3, 2, 3, 5))),
        {"strides": (2, 1)},
        id="2d-strides",
        **_CONV_TOL,
    ),
    Case(
        "conv",
        (Arr((2, 8, 7, 3)), Arr((3, 3, 3, 4))),
        {"padding": "same", "strides": 2},
        id="2d-same-strides",
        **_CONV_TOL,
    ),
    Case(
        "conv",
        (Arr((1, 9, 9, 2)), Arr((3, 3, 2, 4))),
        {"dilation_rate": 2},
        id="dilation",
        **_CONV_TOL,
    ),
    Case(
        "conv",
        (Arr((2, 6, 7, 4)), Arr((3, 3, 2, 6))),
        {"padding": "same"},
        id="groups",
        **_CONV_TOL,
    ),
    Case(
        "conv",
        (Arr((2, 3, 8, 7)), Arr((3, 3, 3, 4))),
        {"data_format": "channels_first"},
        id="channels-first",
        **_CONV_TOL,
    ),
    Case(
        "conv",
        (Arr((1, 5, 4, 6, 2)), Arr((2, 2, 3, 2, 3))),
        {"padding": "same"},
        id="3d",
        **_CONV_TOL,
    ),
    Case("conv", (Arr((1, 6, 6, 2), "float16"), Arr((3, 3, 2, 2), "float16")), id="float16"),
    Case(
        "depthwise_conv",
        (
            np.array([[[1, 10], [2, 20], [3, 30]]], "float32"),
            np.array([[[1], [1]], [[1], [-1]]], "float32"),
        ),
        expected=[[[3.0, -10.0], [5.0, -10.0]]],
    ),
    Case(
        "depthwise_conv",
        (Arr((2, 7, 6, 3)), Arr((3, 3, 3, 2))),
        {"padding": "same"},
        id="2d-same",
        **_CONV_TOL,
    ),
    Case(
        "depthwise_conv",
        (Arr((2, 3, 7, 6)), Arr((3, 2, 3, 1))),
        {"strides": 2, "data_format": "channels_first"},
        id="channels-first",
        **_CONV_TOL,
    ),
    Case(
        "depthwise_conv",
        (Arr((1, 9, 2)), Arr((3, 2, 2))),
        {"dilation_rate": 2},
        id="1d",
        **_CONV_TOL,
    ),
    Case(
        "separable_conv",
        (
            np.array([[[1, 10], [2, 20], [3, 30]]], "float32"),
            np.array([[[1], [1]], [[1], [-1]]], "float32"),
            np.ones((1, 2, 1), "float32"),
        ),
        expected=[[[-7.0], [-5.0]]],
    ),
    Case(
        "separable_conv",
        (Arr((2, 7, 6, 3)), Arr((3, 3, 3, 2)), Arr((1, 1, 6, 4))),
        {"padding": "same"},
        id="2d",
        **_CONV_TOL,
    ),
    Case(
        "separable_conv",
        (Arr((2, 3, 8, 6)), Arr((3, 3, 3, 1)), Arr((1, 1, 3, 5))),
        {"strides": 2, "data_format": "channels_first"},
        id="channels-first",
        **_CONV_TOL,
    ),
    Case(
        "conv_transpose",
        (_f32(1, 2).reshape(1, 2, 1), _f32(1, 2).reshape(2, 1, 1), 2),
        expected=[[[1.0], [2.0], [2.0], [4.0]]],
    ),
    Case("conv_transpose", (Arr((2, 4, 5, 3)), Arr((3, 3, 4, 3)), 2), id="2d-valid", **_CONV_TOL),
    Case(
        "conv_transpose",
        (Arr((2, 4, 5, 3)), Arr((3, 3, 4, 3)), 2, "same"),
        id="2d-same",
        **_CONV_TOL,
    ),
    Case(
        "conv_transpose",
        (Arr((2, 4, 5, 3)), Arr((3, 3, 4, 3)), (2, 1), "same", 1),
        id="output-padding",
        **_CONV_TOL,
    ),
    Case(
        "conv_transpose",
        (Arr((1, 6, 2)), Arr((3, 2, 2)), 1),
        {"dilation_rate": 2},
        id="dilation",
        **_CONV_TOL,
    ),
    Case(
        "conv_transpose",
        (Arr((2, 3, 4, 5)), Arr((2, 2, 2, 3)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
        **_CONV_TOL,
    ),
]

_LABELS = np.array([1, 3, -1], dtype="int32")

ENCODINGS_AND_LOSSES = [
    Case(
        "one_hot",
        (_LABELS, 3),
        expected=[[0, 1, 0], [0, 0, 0], [0, 0, 0]],
        expected_dtype="float32",
    ),
    Case("one_hot", (Arr((2, 3), "int32", 0, 4), 5), {"axis": 0}, id="axis0"),
    Case(
        "one_hot",
        (Arr((2, 3), "int32", 0, 4), 5),
        {"axis": 1, "dtype": "int32"},
        expected_dtype="int32",
        id="axis1-int32",
    ),
    Case("one_hot", (np.zeros((0,), "int32"), 4), id="empty"),
    Case(
        "multi_hot",
        (np.array([[0, 2], [1, 1]], "int32"), 3),
        expected=[[1, 0, 1], [0, 1, 0]],
        expected_dtype="float32",
    ),
    Case("multi_hot", (np.array([0, 3], "int32"), 4), expected=[1, 0, 0, 1], id="rank1"),
    Case("multi_hot", (Arr((3, 4), "int32", 0, 5), 6), {"dtype": "int32"}, id="int32"),
    Case("binary_crossentropy", (_f32(1, 0), _f32(0.5, 0.5)), expected=[LN2, LN2]),
    Case(
        "binary_crossentropy",
        (_f32(1, 0), _f32(0, 0)),
        {"from_logits": True},
        expected=[LN2, LN2],
        id="logits-exact",
    ),
    Case(
        "binary_crossentropy", (Arr((3, 4), low=0, high=1), Arr((3, 4), low=0, high=1)), id="probs"
    ),
    Case(
        "binary_crossentropy",
        (Arr((3, 4), low=0, high=1), Arr((3, 4), low=-5, high=5)),
        {"from_logits": True},
        id="logits",
    ),
    Case(
        "binary_crossentropy",
        (Arr((4,), "float16", 0, 1), Arr((4,), "float16", 0.1, 0.9)),
        id="float16",
    ),
    Case(
        "categorical_crossentropy",
        (_f32(0, 1).reshape(1, 2), _f32(0.25, 0.75).reshape(1, 2)),
        expected=[-math.log(0.75)],
    ),
    Case("categorical_crossentropy", (Arr((3, 5), low=0, high=1), positive((3, 5))), id="probs"),
    Case(
        "categorical_crossentropy",
        (Arr((3, 5), low=0, high=1), Arr((3, 5))),
        {"from_logits": True},
        id="logits",
    ),
    Case(
        "categorical_crossentropy",
        (Arr((4, 3), low=0, high=1), Arr((4, 3))),
        {"from_logits": True, "axis": 0},
        id="axis0",
    ),
    Case(
        "sparse_categorical_crossentropy",
        (np.array([1], "int32"), _f32(0.25, 0.75).reshape(1, 2)),
        expected=[-math.log(0.75)],
    ),
    Case(
        "sparse_categorical_crossentropy", (Arr((3,), "int32", 0, 4), positive((3, 5))), id="probs"
    ),
    Case(
        "sparse_categorical_crossentropy",
        (Arr((2, 3, 1), "int32", 0, 4), Arr((2, 3, 5))),
        {"from_logits": True},
        id="logits-squeeze",
    ),
    Case(
        "sparse_categorical_crossentropy",
        (Arr((3,), "int32", 0, 4), Arr((3, 5), "bfloat16")),
        {"from_logits": True},
        id="bfloat16",
    ),
    Case(
        "ctc_loss",
        (
            np.array([[1]], "int32"),
            np.zeros((1, 2, 2), "float32"),
            np.array([1], "int32"),
            np.array([2], "int32"),
        ),
        expected=[-math.log(0.75)],
        id="exact",
    ),
    Case(
        "ctc_loss",
        (
            np.array([[1, 2, 2], [3, 1, 0]], "int32"),
            Arr((2, 8, 4)),
            np.array([3, 2], "int32"),
            np.array([8, 6], "int32"),
        ),
        rtol=1e-4,
        atol=1e-4,
        id="batch",
    ),
    Case(
        "ctc_loss",
        (
            np.array([[1, 2]], "int32"),
            Arr((1, 5, 3)),
            np.array([2], "int32"),
            np.array([5], "int32"),
        ),
        {"mask_index": 2},
        rtol=1e-4,
        atol=1e-4,
        id="mask-index",
    ),
    Case(
        "ctc_decode",
        (
            np.log(
                np.array(
                    [[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]],
                    "float32",
                )
            ),
            np.array([4], "int32"),
        ),
        expected=([[[1, 2, -1, -1]]], [[-4.0 * math.log(0.8)]]),
        id="greedy-exact",
    ),
    Case("ctc_decode", (Arr((3, 6, 4)), np.array([6, 4, 0], "int32")), id="greedy"),
    Case(
        "ctc_decode",
        (Arr((3, 6, 4)), np.array([6, 4, 5], "int32")),
        {"merge_repeated": False, "mask_index": 3},
        id="greedy-no-merge",
    ),
    Case(
        "ctc_decode",
        (
            np.log(
                np.array(
                    [[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]],
                    "float32",
                )
            ),
            np.array([4], "int32"),
        ),
        {"strategy": "beam_search", "top_paths": 2},
        rtol=1e-4,
        atol=1e-4,
        id="beam-search",
    ),
]

NORMALIZATION = [
    Case("moments", (_f32(1, 2, 3, 4), 0), expected=(2.5, 1.25)),
    Case("moments", (Arr((2, 3, 4)), (0, 2)), {"keepdims": True}, id="keepdims"),
    Case("moments", (Arr((2, 3, 4), "float16"), [1]), id="float16"),
    Case("moments", (Arr((3, 4), "int32", -5, 5), -1), expected_dtype="float32", id="int32"),
    Case(
        "batch_normalization",
        (_f32(1, 2, 3, 4).reshape(2, 2), _f32(2, 3), _f32(1, 4), -1),
        {"epsilon": 0.0},
        expected=[[-1.0, -0.5], [1.0, 0.5]],
    ),
    Case(
        "batch_normalization",
        (Arr((2, 3, 4)), Arr((3,)), positive((3,)), 1, Arr((3,)), Arr((3,))),
        id="offset-scale",
    ),
    Case(
        "batch_normalization",
        (Arr((2, 4), "float16"), Arr((4,), "float16"), positive((4,), "float16"), -1),
        id="float16",
    ),
    Case("normalize", (_f32(3, 4),), expected=[0.6, 0.8]),
    Case("normalize", (_f32(3, 4),), {"order": 1}, expected=[3 / 7, 4 / 7], id="order1"),
    Case("normalize", (Arr((3, 4)),), {"axis": 0}, id="axis0"),
    Case("normalize", (np.zeros((2, 3), "float32"),), expected=np.zeros((2, 3)), id="zeros"),
    Case("rms_normalization", (_f32(3, -3),), {"scale": 2, "epsilon": 0.0}, expected=[2.0, -2.0]),
    Case("rms_normalization", (Arr((2, 3, 4)), Arr((4,))), id="scale"),
    Case("rms_normalization", (Arr((2, 3, 4), "bfloat16"),), {"axis": (1, 2)}, id="bfloat16"),
    Case(
        "layer_normalization",
        (_f32(1, 3), _f32(2, 2), _f32(1, 1)),
        {"epsilon": 0.0},
        expected=[-1.0, 3.0],
    ),
    Case("layer_normalization", (Arr((2, 3, 4)),), {"axis": (1, 2)}, id="axes"),
    Case("layer_normalization", (Arr((2, 3, 4)), Arr((4,)), Arr((4,))), id="gamma-beta"),
    Case("layer_normalization", (Arr((2, 4), "float16"),), id="float16"),
    Case("psnr", (_f32(0, 0), _f32(0.1, 0.1), 1.0), expected=20.0, rtol=1e-4),
    Case(
        "psnr",
        (Arr((2, 8, 8, 3), low=0, high=1), Arr((2, 8, 8, 3), low=0, high=1), 1.0),
        id="images",
        rtol=1e-4,
    ),
    Case(
        "polar",
        (_f32(2, 1), _f32(0, math.pi / 2)),
        expected=[2 + 0j, 1j],
        expected_dtype="complex64",
    ),
    Case("polar", (positive((3, 4)), Arr((3, 4), low=-3, high=3)), id="2d"),
]

_ZEROS_QK = np.zeros((1, 1, 1, 2), "float32")

ATTENTION = [
    Case(
        "dot_product_attention",
        (_ZEROS_QK, np.zeros((1, 2, 1, 2), "float32"), _f32(1, 2, 3, 4).reshape(1, 2, 1, 2)),
        expected=[[[[2.0, 3.0]]]],
    ),
    Case(
        "dot_product_attention",
        (Arr((2, 5, 4, 8)), Arr((2, 6, 4, 8)), Arr((2, 6, 4, 8))),
        id="basic",
    ),
    Case(
        "dot_product_attention",
        (Arr((2, 5, 4, 8)), Arr((2, 5, 2, 8)), Arr((2, 5, 2, 8))),
        {"is_causal": True},
        id="causal-gqa",
    ),
    Case(
        "dot_product_attention",
        (
            Arr((2, 5, 2, 8)),
            Arr((2, 6, 2, 8)),
            Arr((2, 6, 2, 8)),
            Arr((1, 2, 5, 6)),
            Arr((2, 1, 5, 6), "bool"),
        ),
        {"scale": 0.5},
        id="bias-mask",
    ),
    Case(
        "dot_product_attention",
        (Arr((5, 2, 8)), Arr((5, 2, 8)), Arr((5, 2, 8))),
        {"attn_logits_soft_cap": 2.0},
        id="unbatched-softcap",
    ),
    Case(
        "dot_product_attention",
        (Arr((1, 4, 2, 8), "float16"), Arr((1, 4, 2, 8), "float16"), Arr((1, 4, 2, 8), "float16")),
        id="float16",
    ),
]

_PIXELS = _f32(1, 2, 3, 4)

REARRANGEMENTS = [
    Case(
        "unfold",
        (np.arange(16, dtype="float32").reshape(1, 1, 4, 4), 2),
        expected=[
            [
                [0, 1, 2, 4, 5, 6, 8, 9, 10],
                [1, 2, 3, 5, 6, 7, 9, 10, 11],
                [4, 5, 6, 8, 9, 10, 12, 13, 14],
                [5, 6, 7, 9, 10, 11, 13, 14, 15],
            ]
        ],
    ),
    Case(
        "unfold",
        (Arr((2, 3, 7, 6)), (3, 2)),
        {"dilation": 2, "padding": 1, "stride": (2, 1)},
        id="options",
    ),
    Case(
        "depth_to_space",
        (_PIXELS.reshape(1, 1, 1, 4), 2),
        expected=[[[[1.0], [2.0]], [[3.0], [4.0]]]],
    ),
    Case("depth_to_space", (Arr((2, 3, 4, 8)), 2), id="channels-last"),
    Case(
        "depth_to_space",
        (Arr((2, 8, 3, 4)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case(
        "depth_to_space",
        (np.arange(8, dtype="float32").reshape(1, 8, 1, 1), 2),
        {"data_format": "channels_first"},
        expected=[[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]],
        id="channels-first-exact",
    ),
    Case("space_to_depth", (_PIXELS.reshape(1, 2, 2, 1), 2), expected=[[[[1.0, 2.0, 3.0, 4.0]]]]),
    Case("space_to_depth", (Arr((2, 4, 6, 3)), 2), id="channels-last"),
    Case(
        "space_to_depth",
        (Arr((2, 3, 4, 6)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
]

CASES = [
    *ACTIVATIONS,
    *POOLING,
    *CONVOLUTIONS,
    *ENCODINGS_AND_LOSSES,
    *NORMALIZATION,
    *ATTENTION,
    *REARRANGEMENTS,
]
