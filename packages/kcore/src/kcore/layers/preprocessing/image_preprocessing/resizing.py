"""`Resizing`: resizes images to a fixed height and width, in training and at inference."""

from __future__ import annotations

from kcore import ops
from kcore.backend.dtypes import is_int_dtype, standardize_dtype
from kcore.layers.preprocessing.image_preprocessing._arguments import check_choice, check_size
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images (rank 3, or a rank-4 batch) to `(height, width)`.

    Float images come out in the compute dtype; integer images are rounded and keep their dtype
    (saturating at its limits). Pixel values may be in any range.

    Args:
        height, width: the size of the output images.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"bicubic"``, ``"lanczos3"`` or
            ``"lanczos5"``.
        crop_to_aspect_ratio: first crop the largest centered window of the target aspect ratio,
            so that the images are not distorted.
        pad_to_aspect_ratio: first pad the short side evenly with `fill_value` to the target
            aspect ratio (not with `crop_to_aspect_ratio`).
        fill_mode: how padding is filled; only ``"constant"``.
        fill_value: the value of the padding.
        antialias: widen the filter when downsampling, to avoid aliasing.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.Resizing(2, 2, interpolation="nearest")
    >>> image = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> kcore.ops.convert_to_numpy(layer(image))[..., 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        name = type(self).__name__
        self.height, self.width = check_size(name, height, width)
        self.interpolation = check_choice(name, "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = check_choice(name, "fill_mode", fill_mode, ("constant",))
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"{name}: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
            )
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def get_random_transformation(self, data, training=True, seed=None):
        """The input's `(height, width)`: Resizing is not random."""
        return self._image_size(self._images_of(data))

    def transform_images(self, images, transformation=None, training=True):
        return self._transform_images(images, transformation, self.interpolation)

    def _transform_images(self, images, transformation, interpolation):
        resized = ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        dtype = standardize_dtype(images.dtype)
        if standardize_dtype(resized.dtype) == dtype:
            return resized
        if is_int_dtype(dtype):
            resized = ops.round(resized)
        return ops.saturate_cast(resized, dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self._transform_images(segmentation_masks, transformation, "nearest")

    def _output_image_size(self):
        return self.height, self.width

    def _output_dtype(self, input_dtype, training):
        return input_dtype

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
            "data_format": self.data_format,
        }
