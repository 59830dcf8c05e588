"""`CenterCrop`: crops the center of images to a fixed size, in training and at inference."""

from __future__ import annotations

from kcore import ops
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.preprocessing.image_preprocessing._arguments import check_size
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` window of images (rank 3, or a rank-4 batch).

    When an image is smaller than the target along an axis, the largest centered window of the
    target aspect ratio is resized (bilinear) to `(height, width)` instead. When the size
    difference along an axis is odd, the window sits one pixel nearer the top (left).
    Outputs are in the compute dtype.

    Args:
        height, width: the size of the output images.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> image = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> kcore.ops.convert_to_numpy(kcore.layers.CenterCrop(2, 2)(image))[..., 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = check_size(type(self).__name__, height, width)

    def get_random_transformation(self, data, training=True, seed=None):
        """`{"input_shape": ...}`: CenterCrop is not random."""
        return {"input_shape": ops.shape(self._images_of(data))}

    def transform_images(self, images, transformation=None, training=True):
        return self._crop(ops.cast(images, self.compute_dtype))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        cropped = self._crop(segmentation_masks, interpolation="nearest")
        return ops.cast(cropped, standardize_dtype(segmentation_masks.dtype))

    def _crop(self, images, interpolation="bilinear"):
        height, width = self._image_size(images)
        if height >= self.height and width >= self.width:
            return ops.image.crop_images(
                images,
                top_cropping=(height - self.height) // 2,
                left_cropping=(width - self.width) // 2,
                target_height=self.height,
                target_width=self.width,
                data_format=self.data_format,
            )
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=interpolation,
            crop_to_aspect_ratio=True,
            data_format=self.data_format,
        )

    def _output_image_size(self):
        return self.height, self.width

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "data_format": self.data_format,
        }
