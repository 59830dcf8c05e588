"""`RandomContrast`: scales each channel's deviation from its mean at random, in training."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.preprocessing.image_preprocessing._arguments import check_value_range
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts the contrast of each image by a random factor, in training.

    Each channel of each image becomes `(x - mean) * c + mean`, `mean` its mean over the
    height and width, with `c` drawn per image from `[1 - factor[0], 1 + factor[1]]`; the
    result is clipped to `value_range` and in the compute dtype. At inference the images are
    returned unchanged.

    Args:
        factor: a number `f` in `[0, 1]`, stored as the pair `(0, f)` (so `c` is drawn from
            `[1, 1 + f]`, as in Keras 3), or a pair `(lower, upper)` in `[0, 1]`.
        value_range: the range `(low, high)` of the input pixel values, default `(0, 255)`.
        seed: an int seed for the layer's `SeedGenerator`.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomContrast(0.5, value_range=(0, 1), seed=0)
    >>> images = np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32")
    >>> out = kcore.ops.convert_to_numpy(layer(images, training=True))
    >>> bool(out.min() >= 0.0 and out.max() <= 1.0)
    True
    >>> bool((kcore.ops.convert_to_numpy(layer(images, training=False)) == images).all())
    True
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.value_range = check_value_range(type(self).__name__, value_range)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        """`{"contrast_factor": (batch, 1, 1, 1)}` (`(1, 1, 1)` for one image); zeros at
        inference."""
        images = self._images_of(data)
        self._check_rank(images.shape)
        factor_shape = (self._batch_size(images), 1, 1, 1)[4 - len(images.shape) :]
        if not training:
            return {"contrast_factor": ops.zeros(factor_shape, dtype=self.compute_dtype)}
        factor = random.uniform(
            factor_shape,
            minval=1.0 - self.factor[0],
            maxval=1.0 + self.factor[1],
            dtype=self.compute_dtype,
            seed=self.generator if seed is None else seed,
        )
        return {"contrast_factor": factor}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        mean = ops.mean(images, axis=(self._height_axis, self._width_axis), keepdims=True)
        adjusted = ops.add(
            ops.multiply(ops.subtract(images, mean), transformation["contrast_factor"]), mean
        )
        return ops.clip(adjusted, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def _output_dtype(self, input_dtype, training):
        return self.compute_dtype if training else input_dtype

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
