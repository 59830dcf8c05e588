"""The padding, cropping and upsampling layers: each argument form and both data formats.

UpSampling2D is compared with "nearest" and "bilinear" interpolation only: Keras 3.15 on torch
resizes "bicubic" with torch's kernel (a = -0.75, not the a = -0.5 of Keras on JAX and
TensorFlow) and refuses "lanczos3"/"lanczos5"; kcore's tests check those against
`ops.image.resize`.
"""

from .cases import Case

CASES = [
    # Zero padding.
    Case("ZeroPadding1D", input_shape=(2, 4, 3)),
    Case("ZeroPadding1D", {"padding": (1, 3)}, input_shape=(2, 4, 3)),
    Case(
        "ZeroPadding1D",
        {"padding": (2, 0), "data_format": "channels_first"},
        input_shape=(2, 3, 4),
        id="ZeroPadding1D-channels_first",
    ),
    Case("ZeroPadding2D", input_shape=(2, 3, 4, 2)),
    Case("ZeroPadding2D", {"padding": (2, 1)}, input_shape=(2, 3, 4, 2)),
    Case("ZeroPadding2D", {"padding": ((1, 0), (0, 3))}, input_shape=(2, 3, 4, 2)),
    Case(
        "ZeroPadding2D",
        {"padding": ((1, 2), (3, 0)), "data_format": "channels_first"},
        input_shape=(2, 2, 3, 4),
        id="ZeroPadding2D-channels_first",
    ),
    Case("ZeroPadding3D", input_shape=(1, 2, 3, 2, 2)),
    Case("ZeroPadding3D", {"padding": (1, 0, 2)}, input_shape=(1, 2, 3, 2, 2)),
    Case(
        "ZeroPadding3D",
        {"padding": ((0, 1), (2, 0), (1, 1)), "data_format": "channels_first"},
        input_shape=(1, 2, 2, 3, 2),
        id="ZeroPadding3D-channels_first",
    ),
    # Cropping.
    Case("Cropping1D", input_shape=(2, 5, 3)),
    Case("Cropping1D", {"cropping": (0, 2)}, input_shape=(2, 5, 3)),
    Case("Cropping1D", {"cropping": 2}, input_shape=(2, 5, 3)),
    Case("Cropping2D", input_shape=(2, 4, 5, 2)),
    Case("Cropping2D", {"cropping": 1}, input_shape=(2, 4, 5, 2)),
    Case("Cropping2D", {"cropping": ((1, 0), (0, 2))}, input_shape=(2, 4, 5, 2)),
    Case(
        "Cropping2D",
        {"cropping": ((0, 1), (2, 1)), "data_format": "channels_first"},
        input_shape=(2, 2, 4, 5),
        id="Cropping2D-channels_first",
    ),
    Case("Cropping3D", input_shape=(1, 4, 5, 3, 2)),
    Case("Cropping3D", {"cropping": ((0, 1), 1, (1, 0))}, input_shape=(1, 4, 5, 3, 2)),
    Case(
        "Cropping3D",
        {"cropping": ((1, 0), (0, 0), (0, 2)), "data_format": "channels_first"},
        input_shape=(1, 2, 4, 5, 3),
        id="Cropping3D-channels_first",
    ),
    # Upsampling.
    Case("UpSampling1D", input_shape=(2, 3, 4)),
    Case("UpSampling1D", {"size": 3}, input_shape=(2, 3, 4)),
    Case("UpSampling2D", input_shape=(2, 3, 4, 2)),
    Case("UpSampling2D", {"size": (1, 3)}, input_shape=(2, 3, 4, 2)),
    Case(
        "UpSampling2D",
        {"size": (2, 3), "data_format": "channels_first"},
        input_shape=(2, 2, 3, 4),
        id="UpSampling2D-channels_first",
    ),
    Case(
        "UpSampling2D",
        {"size": (2, 3), "interpolation": "bilinear"},
        input_shape=(2, 3, 4, 2),
        id="UpSampling2D-bilinear",
    ),
    Case(
        "UpSampling2D",
        {"size": 2, "interpolation": "bilinear", "data_format": "channels_first"},
        input_shape=(2, 2, 3, 4),
        id="UpSampling2D-bilinear-channels_first",
    ),
    Case("UpSampling3D", input_shape=(1, 2, 3, 2, 2)),
    Case("UpSampling3D", {"size": (1, 2, 3)}, input_shape=(1, 2, 3, 2, 2)),
    Case(
        "UpSampling3D",
        {"size": 2, "data_format": "channels_first"},
        input_shape=(1, 2, 2, 3, 2),
        id="UpSampling3D-channels_first",
    ),
]
