"""`RandomCrop`: crops a random window in training; resizes the centered window at inference."""

from __future__ import annotations

import numbers

from kcore import ops, random
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.preprocessing.image_preprocessing._arguments import check_size
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kcore.random.seed_generator import make_default_seed


class RandomCrop(BaseImagePreprocessingLayer):
    """Crops images to `(height, width)`: at a random place in training, by resizing at inference.

    In training, when the images are larger than the target along both axes, one window
    position is drawn for the whole batch. Otherwise the window starts at the corner of the
    centered window of the target aspect ratio and is resized (bilinear) where it falls short
    of the target size, as in Keras 3.15. At inference the largest centered window of the
    target aspect ratio is resized to `(height, width)`, as Keras documents; Keras 3.15 itself
    returns its inputs unchanged at inference (keras-team/keras#21868), so that its outputs do
    not have the shape the layer announces. Outputs are in the compute dtype.

    Args:
        height, width: the size of the output images.
        seed: an int seed for the layer's `SeedGenerator` (None: a random one, saved in the
            config).
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomCrop(2, 2, seed=0)
    >>> image = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> kcore.ops.convert_to_numpy(layer(image, training=False))[..., 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    >>> kcore.ops.convert_to_numpy(layer(image, training=True)).shape
    (2, 2, 1)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height, self.width = check_size(type(self).__name__, height, width)
        self.seed = seed if seed is not None else make_default_seed()
        self.generator = random.SeedGenerator(self.seed)

    def get_random_transformation(self, data, training=True, seed=None):
        """`(h_start, w_start)`: the top-left corner of the window (ints, or int32 scalar
        tensors when drawn at random)."""
        images = self._images_of(data)
        input_height, input_width = images.shape[self._height_axis], images.shape[self._width_axis]
        if input_height is None or input_width is None:
            raise ValueError(
                f"Layer {self.name!r} (RandomCrop) needs images of known height and width, got "
                f"shape {tuple(images.shape)}."
            )
        if training and input_height > self.height and input_width > self.width:
            seed = self.generator if seed is None else seed
            h_start = random.randint((), 0, input_height - self.height + 1, seed=seed)
            w_start = random.randint((), 0, input_width - self.width + 1, seed=seed)
            return h_start, w_start
        # The centered window of the target aspect ratio.
        crop_height = max(min(input_height, int(input_width * self.height / self.width)), 1)
        crop_width = max(min(input_width, int(input_height * self.width / self.height)), 1)
        return (input_height - crop_height) // 2, (input_width - crop_width) // 2

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        return self._crop(images, transformation, "bilinear", training)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self._crop(segmentation_masks, transformation, "nearest", training)

    def _crop(self, images, transformation, interpolation, training):
        dtype = standardize_dtype(images.dtype)
        if not training:
            resized = ops.image.resize(
                images,
                (self.height, self.width),
                interpolation=interpolation,
                crop_to_aspect_ratio=True,
                data_format=self.data_format,
            )
            return ops.cast(resized, dtype)
        h_start, w_start = transformation
        images = self._take_window(images, h_start, self.height, self._height_axis)
        images = self._take_window(images, w_start, self.width, self._width_axis)
        if images.shape[self._height_axis] != self.height or (
            images.shape[self._width_axis] != self.width
        ):
            images = ops.image.resize(
                images,
                (self.height, self.width),
                interpolation=interpolation,
                data_format=self.data_format,
            )
            images = ops.cast(images, dtype)
        return images

    @staticmethod
    def _take_window(images, start, size, axis):
        """Rows `start` to `start + size` along `axis`, stopping at the image's edge; `start` may
        be a tensor (then the window fits)."""
        if isinstance(start, numbers.Integral):
            size = min(size, images.shape[axis] - start)
        indices = ops.add(ops.arange(size, dtype="int32"), ops.cast(start, "int32"))
        return ops.take(images, indices, axis=axis)

    def _output_image_size(self):
        return self.height, self.width

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
            "data_format": self.data_format,
        }
