"""The image preprocessing layers: Rescaling, Resizing and CenterCrop at their options, the
augmentation layers at inference, and each augmentation's `transform_images` applied to one given
transformation (the random draws themselves differ between Keras and kcore).

The transformation cases build, in both libraries, a subclass of the layer whose `call` applies
a fixed transformation, written in Keras's format (the same dict keys in kcore), through
`transform_images`; the layer itself still comes from the Keras layer's config.
"""

import importlib

import numpy as np
import pytest

from .cases import Case

BATCH = (2, 6, 7, 3)
BATCH_FIRST = (2, 3, 6, 7)


def _library_ops(layers_module):
    """`keras.ops` or `kcore.ops`, for the library whose `layers` module this is."""
    return importlib.import_module(layers_module.__name__.split(".")[0]).ops


def _to_tensors(ops, value):
    if isinstance(value, dict):
        return {key: _to_tensors(ops, v) for key, v in value.items()}
    if isinstance(value, np.ndarray):
        return ops.convert_to_tensor(value)
    return value


def _given(layer, transformation, single=False, **kwargs):
    """A `make` for `layer(**kwargs)` whose call applies `transformation` (numpy values) with
    `transform_images` in training mode (`transform_single_image` for one image)."""

    def make(layers_module):
        ops = _library_ops(layers_module)

        class Given(getattr(layers_module, layer)):
            def call(self, data, training=True):
                given = _to_tensors(ops, transformation)
                if single:
                    return self.transform_single_image(data, given, training=True)
                return self.transform_images(data, given, training=True)

        Given.__name__ = layer
        return Given(**kwargs)

    return make


def _resizing_where_ops_agree(atol=1e-5, **kwargs):
    """A `make` for Resizing that skips where Keras's own `ops.image.resize` on this backend
    disagrees with `jax.image.resize`, which kcore's follows on every backend (Keras's torch
    backend has no Lanczos and a bicubic kernel of its own; its TensorFlow bicubic differs by
    about 2e-3 without antialiasing)."""

    def make(layers_module):
        library = layers_module.__name__.split(".")[0]
        if library == "keras":
            resize_options = {
                key: kwargs[key] for key in ("interpolation", "antialias") if key in kwargs
            }
            probe = np.random.default_rng(1).standard_normal((1, 7, 9, 2)).astype("float32")
            size = (kwargs["height"], kwargs["width"])
            kcore_ops = importlib.import_module("kcore").ops
            want = kcore_ops.convert_to_numpy(kcore_ops.image.resize(probe, size, **resize_options))
            ops = _library_ops(layers_module)
            try:
                got = ops.convert_to_numpy(ops.image.resize(probe, size, **resize_options))
            except ValueError as error:
                pytest.skip(f"Keras's resize on this backend refuses {resize_options}: {error}")
            gap = float(np.abs(np.asarray(got) - np.asarray(want)).max())
            if gap > atol:
                pytest.skip(
                    f"Keras's ops.image.resize on this backend differs from jax.image.resize by "
                    f"{gap:.3g} for {resize_options}; kcore follows jax.image.resize."
                )
        return layers_module.Resizing(**kwargs)

    return make


def _rotation_rows(degrees, height, width):
    """Affine rows rotating each image by `degrees` about its center (numpy, float32)."""
    theta = np.deg2rad(np.asarray(degrees, dtype=np.float64))
    cos, sin = np.cos(theta), np.sin(theta)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    rows = [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos]
    rows += [np.zeros_like(theta)] * 2
    return np.stack(rows, axis=-1).astype("float32")


def _uint8_images(shape):
    return lambda rng: rng.integers(0, 256, size=shape).astype("uint8")


INFERENCE = {"training": False}
FLIPS = {"flips": np.array([True, False]).reshape(2, 1, 1, 1)}
ROTATION = {"rotation_matrix": _rotation_rows([30.0, -75.0], 6, 7)}
ZOOM = {
    "height_zoom": np.array([[0.7], [1.3]], "float32"),
    "width_zoom": np.array([[1.2], [0.8]], "float32"),
}
TRANSLATION = {"translations": np.array([[1.25, -2.5], [-3.75, 0.6]], "float32")}
SHIFT = {"translations": np.array([[2.0, -1.0], [-3.0, 4.0]], "float32")}
CONTRAST = {"contrast_factor": np.array([0.5, 1.7], "float32").reshape(2, 1, 1, 1)}
BRIGHTNESS = {"rgb_delta": np.array([-0.4, 0.9], "float32").reshape(2, 1, 1, 1)}


def _resizing_cases():
    cases = []
    for interpolation in ("bilinear", "nearest"):
        for size in ((3, 4), (9, 11)):
            cases.append(
                Case(
                    "Resizing",
                    {"height": size[0], "width": size[1], "interpolation": interpolation},
                    input_shape=BATCH,
                    id=f"Resizing-{interpolation}-{size[0]}x{size[1]}",
                )
            )
        for option in ("crop_to_aspect_ratio", "pad_to_aspect_ratio", "antialias"):
            kwargs = {"height": 4, "width": 3, "interpolation": interpolation, option: True}
            if option == "pad_to_aspect_ratio":
                kwargs["fill_value"] = 0.5
            cases.append(
                Case("Resizing", kwargs, input_shape=BATCH, id=f"Resizing-{interpolation}-{option}")
            )
    for interpolation, antialias, atol in (
        ("bicubic", True, 1e-5),
        ("bicubic", False, 5e-3),
        ("lanczos3", False, 1e-5),
        ("lanczos5", True, 1e-5),
    ):
        kwargs = {"height": 4, "width": 9, "interpolation": interpolation, "antialias": antialias}
        cases.append(
            Case(
                "Resizing",
                make=_resizing_where_ops_agree(atol=atol, **kwargs),
                input_shape=BATCH,
                atol=atol,
                id=f"Resizing-{interpolation}-antialias={antialias}",
            )
        )
    cases += [
        Case(
            "Resizing",
            {"height": 3, "width": 5, "data_format": "channels_first"},
            input_shape=BATCH_FIRST,
            id="Resizing-channels_first",
        ),
        Case(
            "Resizing",
            {"height": 4, "width": 2, "crop_to_aspect_ratio": True},
            input_shape=(6, 7, 3),
            id="Resizing-single-image",
        ),
        # Integer images keep their dtype. Nearest: Keras's torch backend resizes uint8 images
        # with torch's own uint8 kernels, whose bilinear rounding differs by 1 here and there.
        Case(
            "Resizing",
            {"height": 4, "width": 9, "interpolation": "nearest"},
            input_data=_uint8_images(BATCH),
            id="Resizing-uint8",
        ),
    ]
    return cases


CASES = [
    # Rescaling: any rank, per-channel scales, integer inputs.
    Case("Rescaling", {"scale": 1 / 255}, input_shape=BATCH),
    Case("Rescaling", {"scale": 1 / 127.5, "offset": -1.0}, input_data=_uint8_images(BATCH)),
    Case("Rescaling", {"scale": [0.5, 1.0, 2.0], "offset": [0.0, 0.1, 0.2]}, input_shape=BATCH),
    Case("Rescaling", {"scale": 3.0}, input_shape=(4, 5), id="Rescaling-rank2"),
    *_resizing_cases(),
    # CenterCrop: larger images (odd and even margins), smaller ones (resized), a mix.
    Case("CenterCrop", {"height": 3, "width": 4}, input_shape=BATCH),
    Case("CenterCrop", {"height": 5, "width": 2}, input_shape=BATCH),
    Case("CenterCrop", {"height": 8, "width": 9}, input_shape=BATCH, id="CenterCrop-upscale"),
    Case("CenterCrop", {"height": 4, "width": 10}, input_shape=BATCH, id="CenterCrop-mixed"),
    Case(
        "CenterCrop",
        {"height": 2, "width": 5, "data_format": "channels_first"},
        input_shape=BATCH_FIRST,
        id="CenterCrop-channels_first",
    ),
    Case("CenterCrop", {"height": 3, "width": 3}, input_shape=(6, 7, 3), id="CenterCrop-single"),
    # The augmentation layers at inference.
    Case("RandomFlip", {"seed": 1}, input_shape=BATCH, call_kwargs=INFERENCE),
    Case(
        "RandomFlip",
        {"mode": "vertical"},
        input_data=_uint8_images(BATCH),
        call_kwargs=INFERENCE,
        id="RandomFlip-uint8",
    ),
    Case("RandomRotation", {"factor": 0.2}, input_shape=BATCH, call_kwargs=INFERENCE),
    Case(
        "RandomRotation",
        {"factor": (-0.1, 0.3), "fill_mode": "constant", "data_format": "channels_first"},
        input_shape=BATCH_FIRST,
        call_kwargs=INFERENCE,
    ),
    Case("RandomZoom", {"height_factor": 0.2}, input_shape=BATCH, call_kwargs=INFERENCE),
    Case(
        "RandomZoom",
        {"height_factor": (-0.3, 0.1), "width_factor": 0.4, "fill_mode": "nearest"},
        input_shape=(6, 7, 3),
        call_kwargs=INFERENCE,
    ),
    Case(
        "RandomTranslation",
        {"height_factor": 0.2, "width_factor": (-0.1, 0.3)},
        input_shape=BATCH,
        call_kwargs=INFERENCE,
    ),
    Case("RandomContrast", {"factor": 0.3}, input_shape=BATCH, call_kwargs=INFERENCE),
    Case(
        "RandomContrast",
        {"factor": (0.1, 0.4), "value_range": (0, 1)},
        input_data=_uint8_images(BATCH),
        call_kwargs=INFERENCE,
        id="RandomContrast-uint8",
    ),
    Case("RandomBrightness", {"factor": 0.3}, input_shape=BATCH, call_kwargs=INFERENCE),
    Case(
        "RandomBrightness",
        {"factor": (-0.2, 0.5), "value_range": (0, 1)},
        input_data=_uint8_images(BATCH),
        call_kwargs=INFERENCE,
        id="RandomBrightness-uint8",
    ),
    # At inference Keras 3.15's RandomCrop returns its input (keras-team/keras#21868) and
    # kcore's resizes it: they agree where the images already have the target size.
    Case(
        "RandomCrop",
        {"height": 6, "width": 7, "seed": 3},
        input_shape=BATCH,
        call_kwargs=INFERENCE,
        id="RandomCrop-inference-same-size",
    ),
    # One given transformation through transform_images.
    Case(
        "RandomFlip",
        make=_given("RandomFlip", FLIPS, mode="horizontal_and_vertical"),
        input_shape=BATCH,
        id="RandomFlip-given-both",
    ),
    Case(
        "RandomFlip",
        make=_given("RandomFlip", FLIPS, mode="horizontal", data_format="channels_first"),
        input_shape=BATCH_FIRST,
        id="RandomFlip-given-horizontal-channels_first",
    ),
    Case(
        "RandomFlip",
        make=_given("RandomFlip", FLIPS, mode="vertical"),
        input_data=_uint8_images(BATCH),
        id="RandomFlip-given-vertical-uint8",
    ),
    Case(
        "RandomRotation",
        make=_given("RandomRotation", ROTATION, factor=0.3),
        input_shape=BATCH,
        id="RandomRotation-given-reflect",
    ),
    Case(
        "RandomRotation",
        make=_given("RandomRotation", ROTATION, factor=0.3, fill_mode="constant", fill_value=0.5),
        input_shape=BATCH,
        id="RandomRotation-given-constant",
    ),
    Case(
        "RandomRotation",
        make=_given(
            "RandomRotation",
            ROTATION,
            factor=0.3,
            fill_mode="nearest",
            interpolation="nearest",
            data_format="channels_first",
        ),
        input_shape=BATCH_FIRST,
        id="RandomRotation-given-nearest-channels_first",
    ),
    Case(
        "RandomRotation",
        make=_given(
            "RandomRotation",
            {"rotation_matrix": _rotation_rows([40.0], 6, 7)[0]},
            single=True,
            factor=0.2,
            fill_mode="constant",
        ),
        input_shape=(6, 7, 3),
        id="RandomRotation-given-single-image",
    ),
    Case(
        "RandomZoom",
        make=_given("RandomZoom", ZOOM, height_factor=0.3, width_factor=0.3),
        input_shape=BATCH,
        id="RandomZoom-given-reflect",
    ),
    Case(
        "RandomZoom",
        make=_given(
            "RandomZoom",
            ZOOM,
            height_factor=0.3,
            fill_mode="constant",
            fill_value=-1.0,
            data_format="channels_first",
        ),
        input_shape=BATCH_FIRST,
        id="RandomZoom-given-constant-channels_first",
    ),
    Case(
        "RandomTranslation",
        make=_given("RandomTranslation", TRANSLATION, height_factor=0.5, width_factor=0.5),
        input_shape=BATCH,
        id="RandomTranslation-given-reflect",
    ),
    Case(
        "RandomTranslation",
        make=_given(
            "RandomTranslation",
            SHIFT,
            height_factor=0.5,
            width_factor=0.5,
            fill_mode="constant",
            interpolation="nearest",
        ),
        input_shape=BATCH,
        id="RandomTranslation-given-nearest",
    ),
    Case(
        "RandomContrast",
        make=_given("RandomContrast", CONTRAST, factor=0.7, value_range=(-1, 1)),
        input_shape=BATCH,
        id="RandomContrast-given",
    ),
    Case(
        "RandomContrast",
        make=_given(
            "RandomContrast",
            CONTRAST,
            factor=0.7,
            value_range=(0, 255),
            data_format="channels_first",
        ),
        input_shape=BATCH_FIRST,
        id="RandomContrast-given-channels_first",
    ),
    Case(
        "RandomBrightness",
        make=_given("RandomBrightness", BRIGHTNESS, factor=0.9, value_range=(-2, 2)),
        input_shape=BATCH,
        id="RandomBrightness-given",
    ),
    Case(
        "RandomCrop",
        make=_given("RandomCrop", (1, 2), height=3, width=4, seed=3),
        input_shape=BATCH,
        id="RandomCrop-given-window",
    ),
    Case(
        "RandomCrop",
        make=_given("RandomCrop", (0, 1), height=2, width=5, seed=3, data_format="channels_first"),
        input_shape=BATCH_FIRST,
        id="RandomCrop-given-window-channels_first",
    ),
    # Images smaller than the target: Keras resizes the window rather than refusing.
    Case(
        "RandomCrop",
        make=_given("RandomCrop", (0, 0), height=8, width=9, seed=3),
        input_shape=BATCH,
        id="RandomCrop-given-upscale",
    ),
    Case(
        "RandomCrop",
        make=_given("RandomCrop", (0, 1), height=8, width=5, seed=3),
        input_shape=BATCH,
        id="RandomCrop-given-taller-than-images",
    ),
]
