"""Conformance cases for contract group ``image``."""

import numpy as np

from kcore.testing.cases._case import Arr, Case

_TOL = {"rtol": 1e-4, "atol": 1e-4}
_RAMP = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
_SHIFT_RIGHT = np.array([1, 0, -1, 0, 1, 0, 0, 0], "float32")  # output x samples input x - 1

COLOR = [
    Case(
        "rgb_to_grayscale",
        (np.array([[[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]], "float32"),),
        expected=[[[0.9999], [0.2989]]],
    ),
    Case("rgb_to_grayscale", (Arr((2, 4, 5, 3), low=0, high=1),), id="batch"),
    Case(
        "rgb_to_grayscale",
        (Arr((2, 3, 4, 5), low=0, high=1),),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case(
        "rgb_to_grayscale", (Arr((4, 5, 3), "uint8", 0, 255),), expected_dtype="uint8", id="uint8"
    ),
    Case(
        "rgb_to_hsv",
        (np.array([[[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 0.0]]], "float32"),),
        expected=[[[0.0, 1.0, 1.0], [0.5, 1.0, 0.5], [0.0, 0.0, 0.0]]],
    ),
    Case("rgb_to_hsv", (Arr((2, 4, 5, 3), low=0, high=1),), id="batch"),
    Case(
        "rgb_to_hsv",
        (Arr((3, 4, 5), low=0, high=1),),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case("rgb_to_hsv", (Arr((4, 5, 3), "float16", 0, 1),), id="float16"),
    Case(
        "hsv_to_rgb",
        (np.array([[[0.0, 1.0, 1.0], [0.5, 1.0, 0.5]]], "float32"),),
        expected=[[[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]]],
    ),
    Case("hsv_to_rgb", (Arr((2, 4, 5, 3), low=0, high=1),), id="batch"),
    Case(
        "hsv_to_rgb",
        (Arr((3, 4, 5), low=0, high=1),),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
]

RESIZING = [
    Case(
        "resize",
        (np.array([[[0.0], [4.0]]], "float32"), (1, 4)),
        expected=[[[0.0], [1.0], [3.0], [4.0]]],
        id="bilinear-exact",
    ),
    Case(
        "resize",
        (_RAMP, (2, 2)),
        {"interpolation": "nearest"},
        expected=[[[[5.0], [7.0]], [[13.0], [15.0]]]],
        id="nearest-exact",
    ),
    Case("resize", (Arr((2, 5, 7, 3)), (8, 4)), id="bilinear", **_TOL),
    Case("resize", (Arr((2, 9, 7, 3)), (4, 3)), {"antialias": True}, id="antialias", **_TOL),
    Case("resize", (Arr((2, 5, 7, 3)), (9, 4)), {"interpolation": "bicubic"}, id="bicubic", **_TOL),
    Case("resize", (Arr((5, 7, 3)), (9, 11)), {"interpolation": "lanczos3"}, id="lanczos3", **_TOL),
    Case(
        "resize",
        (Arr((2, 3, 9, 7)), (4, 5)),
        {"interpolation": "lanczos5", "antialias": True, "data_format": "channels_first"},
        id="lanczos5-channels-first",
        **_TOL,
    ),
    Case("resize", (Arr((2, 6, 7, 3)), (3, 4)), {"interpolation": "nearest"}, id="nearest"),
    Case("resize", (Arr((2, 4, 8, 3)), (6, 6)), {"crop_to_aspect_ratio": True}, id="crop", **_TOL),
    Case(
        "resize",
        (Arr((2, 4, 8, 3)), (6, 6)),
        {"pad_to_aspect_ratio": True, "fill_value": 1.0},
        id="pad",
        **_TOL,
    ),
    Case(
        "resize",
        (Arr((4, 4, 2), "uint8", 0, 255), (3, 3)),
        expected_dtype="float32",
        id="uint8",
        **_TOL,
    ),
    Case(
        "scale_and_translate",
        (np.array([0.0, 4.0], "float32"), (4,), [2.0], [0.0], (0,), "linear"),
        expected=[0.0, 1.0, 3.0, 4.0],
    ),
    Case(
        "scale_and_translate",
        (Arr((2, 5, 6, 3)), (2, 8, 4, 3), [1.5, 0.7], [0.5, -1.0], (1, 2), "bicubic"),
        id="bicubic",
        **_TOL,
    ),
    Case(
        "scale_and_translate",
        (Arr((2, 9, 6, 3)), (2, 4, 6, 3), [0.4], [0.0], (1,), "lanczos3"),
        {"antialias": False},
        id="lanczos3",
        **_TOL,
    ),
]

SAMPLING = [
    Case(
        "affine_transform",
        (_RAMP, _SHIFT_RIGHT),
        expected=np.array(
            [[0, 0, 1, 2], [0, 4, 5, 6], [0, 8, 9, 10], [0, 12, 13, 14]], "float32"
        ).reshape(1, 4, 4, 1),
    ),
    Case(
        "affine_transform",
        (
            Arr((2, 6, 5, 3)),
            np.array([[0.9, 0.1, 0.3, -0.2, 1.1, 0.5, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0]], "float32"),
        ),
        id="batch",
        **_TOL,
    ),
    Case(
        "affine_transform",
        (Arr((6, 5, 3)), np.array([0.8, 0.3, 1.2, -0.3, 0.9, 0.4, 0, 0], "float32")),
        {"interpolation": "nearest", "fill_mode": "reflect"},
        id="nearest-reflect",
        **_TOL,
    ),
    Case(
        "affine_transform",
        (Arr((2, 3, 6, 5)), _SHIFT_RIGHT * 2),
        {"fill_mode": "wrap", "data_format": "channels_first"},
        id="wrap-channels-first",
        **_TOL,
    ),
    Case(
        "affine_transform",
        (Arr((6, 5, 2)), np.array([1.3, 0.2, -1, 0.1, 1.2, -2, 0, 0], "float32")),
        {"fill_mode": "mirror"},
        id="mirror",
        **_TOL,
    ),
    Case(
        "affine_transform",
        (Arr((6, 5, 2)), np.array([1.3, 0.2, -1, 0.1, 1.2, -2, 0, 0], "float32")),
        {"fill_mode": "nearest", "fill_value": 0.5},
        id="nearest-fill",
        **_TOL,
    ),
    Case(
        "perspective_transform",
        (
            _RAMP,
            np.array([[0, 0], [3, 0], [0, 3], [3, 3]], "float32"),
            np.array([[0, 0], [3, 0], [0, 3], [3, 3]], "float32"),
        ),
        expected=_RAMP,
        id="identity",
    ),
    Case(
        "perspective_transform",
        (
            Arr((2, 6, 7, 3)),
            np.array([[0, 0], [6, 0], [0, 5], [6, 5]], "float32"),
            np.array([[1, 0], [5, 1], [0, 4], [6, 5]], "float32"),
        ),
        id="warp",
        **_TOL,
    ),
    Case(
        "perspective_transform",
        (
            Arr((3, 6, 7)),
            np.array([[0, 0], [6, 0], [0, 5], [6, 5]], "float32"),
            np.array([[1, 0], [5, 1], [0, 4], [6, 5]], "float32"),
        ),
        {"interpolation": "nearest", "data_format": "channels_first"},
        id="nearest",
        **_TOL,
    ),
    Case(
        "map_coordinates",
        (np.array([0.0, 10.0, 20.0], "float32"), np.array([[0.5, 1.25, -1.0, 2.0]], "float32"), 1),
        expected=[5.0, 12.5, 0.0, 20.0],
    ),
    Case(
        "map_coordinates",
        (np.array([0.0, 10.0, 20.0], "float32"), np.array([[0.5, 1.5, 2.6]], "float32"), 0),
        expected=[0.0, 20.0, 0.0],
        id="nearest-half-even",
    ),
    Case("map_coordinates", (Arr((5, 6)), Arr((2, 3, 4), low=-2, high=7), 1), id="2d", **_TOL),
    *[
        Case(
            "map_coordinates",
            (Arr((5, 6)), Arr((2, 7), low=-8, high=12), order),
            {"fill_mode": mode, "fill_value": 1.5},
            id=f"{mode}-{order}",
            **_TOL,
        )
        for mode in ("constant", "nearest", "wrap", "mirror", "reflect")
        for order in (0, 1)
    ],
    Case(
        "map_coordinates",
        (Arr((4, 5), "int32", 0, 9), Arr((2, 6), low=0, high=4), 1),
        expected_dtype="int32",
        id="int32",
        **_TOL,
    ),
]

FILTERS = [
    Case(
        "gaussian_blur",
        (np.ones((1, 3, 3, 1), "float32"),),
        {"kernel_size": (3, 3), "sigma": (1e-6, 1e-6)},
        expected=np.ones((1, 3, 3, 1)),
        id="identity",
    ),
    Case("gaussian_blur", (Arr((2, 6, 7, 3)),), id="default", **_TOL),
    Case(
        "gaussian_blur",
        (Arr((2, 3, 8, 7)),),
        {"kernel_size": (5, 3), "sigma": (2.0, 0.5), "data_format": "channels_first"},
        id="channels-first",
        **_TOL,
    ),
    Case(
        "gaussian_blur", (Arr((6, 7, 2)),), {"kernel_size": 5, "sigma": 1.5}, id="unbatched", **_TOL
    ),
    Case(
        "elastic_transform",
        (_RAMP,),
        {"alpha": 0.0, "seed": np.array([1, 2], "uint32")},
        expected=_RAMP,
        id="identity",
    ),
    Case(
        "elastic_transform",
        (Arr((2, 8, 9, 3)),),
        {"seed": np.array([3, 4], "uint32")},
        compare="shape",
        id="batch",
    ),
    Case(
        "elastic_transform",
        (Arr((3, 8, 9)),),
        {
            "alpha": 5.0,
            "sigma": 1.0,
            "interpolation": "nearest",
            "fill_mode": "constant",
            "seed": np.array([3, 4], "uint32"),
            "data_format": "channels_first",
        },
        compare="shape",
        id="channels-first",
    ),
]

_PATCH_INPUT = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)

PATCHES = [
    Case(
        "extract_patches",
        (_PATCH_INPUT, 2),
        expected=[[[[0, 1, 4, 5], [2, 3, 6, 7]], [[8, 9, 12, 13], [10, 11, 14, 15]]]],
    ),
    Case(
        "extract_patches",
        (Arr((2, 7, 8, 3)), (3, 2)),
        {"strides": (2, 3), "padding": "same"},
        id="same",
    ),
    Case(
        "extract_patches",
        (Arr((7, 8, 3)), 3),
        {"strides": 1, "dilation_rate": 2},
        id="unbatched-dilation",
    ),
    Case(
        "extract_patches",
        (Arr((2, 3, 6, 6)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case(
        "extract_patches_3d",
        (np.arange(8, dtype="float32").reshape(1, 2, 2, 2, 1), 2),
        expected=np.arange(8, dtype="float32").reshape(1, 1, 1, 1, 8),
    ),
    Case("extract_patches_3d", (Arr((2, 4, 5, 6, 2)), (2, 2, 3)), {"strides": 1}, id="strides"),
    Case(
        "extract_patches_3d",
        (Arr((2, 4, 4, 6)), 2),
        {"data_format": "channels_first"},
        id="channels-first",
    ),
    Case(
        "pad_images",
        (np.ones((1, 1, 1, 1), "float32"), 1, 2),
        {"target_height": 3, "target_width": 4},
        expected=np.pad(np.ones((1, 1, 1, 1)), ((0, 0), (1, 1), (2, 1), (0, 0))),
    ),
    Case(
        "pad_images",
        (Arr((2, 4, 5, 3)),),
        {"top_padding": 1, "bottom_padding": 2, "left_padding": 0, "right_padding": 3},
        id="paddings",
    ),
    Case(
        "pad_images",
        (Arr((3, 4, 5)),),
        {
            "bottom_padding": 1,
            "target_height": 6,
            "right_padding": 2,
            "target_width": 9,
            "data_format": "channels_first",
        },
        id="channels-first",
    ),
    Case(
        "crop_images",
        (_RAMP, 1, 1),
        {"target_height": 2, "target_width": 2},
        expected=[[[[5.0], [6.0]], [[9.0], [10.0]]]],
    ),
    Case(
        "crop_images",
        (Arr((2, 6, 7, 3)),),
        {"top_cropping": 1, "bottom_cropping": 2, "left_cropping": 3, "right_cropping": 0},
        id="croppings",
    ),
    Case(
        "crop_images",
        (Arr((3, 6, 7)),),
        {
            "bottom_cropping": 1,
            "target_height": 4,
            "right_cropping": 2,
            "target_width": 3,
            "data_format": "channels_first",
        },
        id="channels-first",
    ),
]

CASES = [*COLOR, *RESIZING, *SAMPLING, *FILTERS, *PATCHES]
