"""`BaseImagePreprocessingLayer`: what the image preprocessing and augmentation layers share.

A call draws one transformation for the whole input with `get_random_transformation` (random
for augmentation layers in training, `None` or a neutral one at inference) and applies it with
`transform_images`. Inputs are one image (rank 3) or a batch (rank 4), laid out by
`data_format`, or a dict with the images under ``"images"`` and, optionally, ``"labels"`` and
``"segmentation_masks"``, which get the same transformation (other keys pass through).

Augmentation layers default to `training=True` when called directly, as in Keras; inside a
model, `fit` turns them on and `predict`/`evaluate` off.
"""

from __future__ import annotations

import math

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer
from kcore.layers.preprocessing.image_preprocessing._arguments import (
    check_data_format,
    factor_range,
)

_DICT_KEYS = ("images", "labels", "segmentation_masks", "bounding_boxes")


class BaseImagePreprocessingLayer(Layer):
    """The base class of the image preprocessing layers.

    A subclass implements `get_random_transformation` (what to do to this input, drawn from the
    layer's `SeedGenerator`) and `_transform_images` (doing it), or overrides `transform_images`
    itself; `compute_output_shape` only when the image size changes (`_output_image_size`).

    Args:
        factor: the layer's strength: a number `f` (the range `[-f, f]`, clipped to
            `_FACTOR_BOUNDS`) or a pair `(lower, upper)`. Stored as `self.factor`, a pair.
            Only for subclasses with `_USE_BASE_FACTOR`.
        bounding_box_format: accepted and saved for Keras compatibility; kcore does not transform
            bounding boxes yet.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.bounding_box_format = bounding_box_format
        self.data_format = check_data_format(name, data_format)
        if self._USE_BASE_FACTOR:
            self.factor = factor_range(
                name, "factor", 0.0 if factor is None else factor, self._FACTOR_BOUNDS
            )
        elif factor is not None:
            raise ValueError(f"{name} takes no `factor` argument; got factor={factor!r}.")
        self.built = True

    # --- layout ----------------------------------------------------------------------------

    @property
    def _height_axis(self) -> int:
        return -2 if self.data_format == "channels_first" else -3

    @property
    def _width_axis(self) -> int:
        return -1 if self.data_format == "channels_first" else -2

    def _image_size(self, images):
        """`(height, width)` of `images`: ints where known, scalar tensors otherwise."""
        shape = ops.shape(images)
        return shape[self._height_axis], shape[self._width_axis]

    def _batch_size(self, images):
        """The batch size of rank-4 `images` (1 for a single image)."""
        return ops.shape(images)[0] if len(images.shape) == 4 else 1

    def _check_rank(self, shape) -> None:
        if len(shape) not in (3, 4):
            expected = (
                "(height, width, channels)"
                if self.data_format == "channels_last"
                else "(channels, height, width)"
            )
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}) expects images of rank 3 (one "
                f"image, {expected}) or rank 4 (a batch of them), got shape {tuple(shape)}."
            )

    def _is_batched(self, images) -> bool:
        self._check_rank(images.shape)
        return len(images.shape) == 4

    @staticmethod
    def _images_of(data):
        return data["images"] if isinstance(data, dict) else data

    # --- calling ---------------------------------------------------------------------------

    def call(self, data, training=True):
        if isinstance(data, dict):
            return self._call_on_dict(data, training)
        batched = self._is_batched(data)
        transformation = self.get_random_transformation(data, training=training)
        if batched:
            return self.transform_images(data, transformation, training=training)
        return self.transform_single_image(data, transformation, training=training)

    def _call_on_dict(self, data, training):
        if "images" not in data:
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): a dict input needs the key "
                f"'images' (and may hold {_DICT_KEYS[1:]}); got keys {sorted(data)}."
            )
        if "bounding_boxes" in data:
            raise self._bounding_boxes_unsupported()
        batched = self._is_batched(data["images"])
        transformation = self.get_random_transformation(data, training=training)
        transforms = {
            "images": self.transform_images,
            "labels": self.transform_labels,
            "segmentation_masks": self.transform_segmentation_masks,
        }
        result = dict(data)
        for key, transform in transforms.items():
            if key not in data:
                continue
            if batched:
                result[key] = transform(data[key], transformation, training=training)
            else:
                one = transform(ops.expand_dims(data[key], 0), transformation, training=training)
                result[key] = ops.squeeze(one, axis=0)
        return result

    def get_random_transformation(self, data, training=True, seed=None):
        """The transformation to apply to `data` (images or a dict holding them).

        Args:
            data: the layer's input.
            training: whether the layer augments (a neutral transformation or None if not).
            seed: a seed for the draw (default: the layer's `SeedGenerator`).
        """
        return None

    def transform_images(self, images, transformation, training=True):
        """Applies `transformation` to a batch of images (rank 4), in the compute dtype."""
        images = ops.cast(images, self.compute_dtype)
        if training:
            images = self._transform_images(images, transformation, self.interpolation)
        return images

    def _transform_images(self, images, transformation, interpolation):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `_transform_images` or `transform_images`."
        )

    def transform_single_image(self, image, transformation, training=True):
        """`transform_images` for one image (rank 3)."""
        images = self.transform_images(ops.expand_dims(image, 0), transformation, training)
        return ops.squeeze(images, axis=0)

    def transform_labels(self, labels, transformation, training=True):
        """The labels of the transformed images: unchanged by the layers of this group."""
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        """Applies the images' transformation to segmentation masks (nearest sampling)."""
        if training:
            return self._transform_images(segmentation_masks, transformation, "nearest")
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        """Not implemented in kcore yet: raises NotImplementedError."""
        raise self._bounding_boxes_unsupported()

    def _bounding_boxes_unsupported(self):
        return NotImplementedError(
            f"Layer {self.name!r} ({type(self).__name__}): kcore does not transform bounding "
            "boxes yet. Pass a dict without 'bounding_boxes' (images, labels, "
            "segmentation_masks) or transform the boxes separately."
        )

    # --- shapes ----------------------------------------------------------------------------

    def _output_image_size(self):
        """The `(height, width)` of the output images, or None for the input's size."""
        return None

    def _output_dtype(self, input_dtype, training):
        """The dtype of the output images for images of `input_dtype`."""
        return self.compute_dtype

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        shape = list(input_shape)
        size = self._output_image_size()
        if size is not None:
            shape[self._height_axis], shape[self._width_axis] = size
        return tuple(shape)

    def compute_output_spec(self, data, training=True, **kwargs):
        if not isinstance(data, dict):
            shape = self.compute_output_shape(data.shape)
            return KerasTensor(shape, dtype=self._output_dtype(data.dtype, training))
        specs = {key: KerasTensor(value.shape, dtype=value.dtype) for key, value in data.items()}
        specs["images"] = self.compute_output_spec(data["images"], training=training)
        if "segmentation_masks" in data:
            masks = data["segmentation_masks"]
            shape = self.compute_output_shape(masks.shape)
            specs["segmentation_masks"] = KerasTensor(shape, dtype=masks.dtype)
        return specs

    # --- config ----------------------------------------------------------------------------

    def get_config(self) -> dict:
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config

    # --- helpers for geometric layers -----------------------------------------------------

    def _compute_affine_matrix(
        self,
        center_x,
        center_y,
        angle,
        translate_x,
        translate_y,
        scale,
        shear_x,
        shear_y,
        height,
        width,
    ):
        """The `affine_transform` rows `(batch, 8)` of scale * shear * rotation about a center.

        `angle`, `shear_x` and `shear_y` are in degrees, all of shape `(batch,)`; the center is
        at `(center_x * (width - 1), center_y * (height - 1))`, then the image moves by
        `(translate_x, translate_y)` pixels.
        """
        radians = math.pi / 180.0
        angle = ops.multiply(angle, radians)
        cos, sin = ops.cos(angle), ops.sin(angle)
        tan_x = ops.tan(ops.multiply(shear_x, radians))
        tan_y = ops.tan(ops.multiply(shear_y, radians))
        cx = ops.multiply(center_x, ops.subtract(ops.cast(width, angle.dtype), 1.0))
        cy = ops.multiply(center_y, ops.subtract(ops.cast(height, angle.dtype), 1.0))
        a0 = scale * (cos + tan_x * sin)
        a1 = scale * (tan_x * cos - sin)
        b0 = scale * (tan_y * cos + sin)
        b1 = scale * (cos - tan_y * sin)
        a2 = translate_x + cx - cx * a0 - cy * a1
        b2 = translate_y + cy - cx * b0 - cy * b1
        zeros = ops.zeros_like(a0)
        return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
