"""`RandomBrightness`: adds a random brightness offset to each image, in training."""

from __future__ import annotations

from kcore import ops, random
from kcore.backend.dtypes import is_int_dtype, standardize_dtype
from kcore.layers.preprocessing.image_preprocessing._arguments import check_value_range
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomBrightness(BaseImagePreprocessingLayer):
    """Shifts the brightness of each image by a random amount, in training.

    Each image gets `delta * (high - low)` added to every pixel, with `delta` drawn from
    `factor`, and is clipped to `value_range = (low, high)`: `delta = -1` makes it black,
    `delta = 1` white. Images keep their dtype (integer images get whole-number offsets). At
    inference the images are returned unchanged.

    Args:
        factor: a number `f` (deltas drawn from `[-f, f]`) or a pair `(lower, upper)`; each in
            `[-1, 1]`.
        value_range: the range `(low, high)` of the input pixel values, default `(0, 255)`.
        seed: an int seed for the layer's `SeedGenerator`.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
    >>> image = np.array([[[0.25], [0.75]]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(image, training=True))[..., 0].tolist()
    [[0.75, 1.0]]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        name = type(self).__name__
        if isinstance(value_range, (tuple, list)) and len(value_range) == 2:
            value_range = sorted(value_range)
        self.value_range = check_value_range(name, value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        """`{"rgb_delta": (batch, 1, 1, 1)}` (`(1, 1, 1)` for one image): the offsets in pixel
        units; zeros at inference."""
        images = self._images_of(data)
        self._check_rank(images.shape)
        delta_shape = (self._batch_size(images), 1, 1, 1)[4 - len(images.shape) :]
        if not training:
            return {"rgb_delta": ops.zeros(delta_shape)}
        delta = random.uniform(
            delta_shape,
            minval=self.factor[0],
            maxval=self.factor[1],
            seed=self.generator if seed is None else seed,
        )
        return {"rgb_delta": ops.multiply(delta, self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        low, high = self.value_range
        dtype = standardize_dtype(images.dtype)
        delta = transformation["rgb_delta"]
        if is_int_dtype(dtype):
            # Whole-number offsets, added in float so that negative ones do not wrap around.
            shifted = ops.add(ops.cast(images, "float32"), ops.trunc(delta))
            return ops.cast(ops.clip(shifted, low, high), dtype)
        return ops.clip(ops.add(images, ops.cast(delta, dtype)), low, high)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def _output_dtype(self, input_dtype, training):
        return input_dtype

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
