"""`RandomFlip`: flips images left-right and/or top-bottom at random, in training."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.preprocessing.image_preprocessing._arguments import check_choice
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 during training; returns the images at inference.

    With ``"horizontal_and_vertical"`` one draw per image decides both flips, so an image is
    either left as is or flipped along both axes. Outputs are in the compute dtype.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (top-bottom) or
            ``"horizontal_and_vertical"`` (default).
        seed: an int seed for the layer's `SeedGenerator`.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomFlip("horizontal", seed=0)
    >>> image = np.array([[[1.0], [2.0], [3.0]]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(image, training=False))[..., 0].tolist()
    [[1.0, 2.0, 3.0]]
    >>> kcore.ops.convert_to_numpy(layer(image, training=True)).shape
    (1, 3, 1)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.mode = check_choice(type(self).__name__, "mode", mode, MODES)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        """`{"flips": bool tensor (batch, 1, 1, 1), "input_shape": ...}` in training, else None."""
        if not training:
            return None
        images = self._images_of(data)
        shape = ops.shape(images)
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        draws = random.uniform(flips_shape, seed=self.generator if seed is None else seed)
        return {"flips": ops.less_equal(draws, 0.5), "input_shape": shape}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training:
            return self._flip(images, transformation)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training:
            return self._flip(segmentation_masks, transformation)
        return segmentation_masks

    def _flip(self, images, transformation):
        if transformation is None:
            return images
        flips = transformation["flips"]
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=self._width_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=self._height_axis), images)
        return images

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "seed": self.seed,
            "mode": self.mode,
            "data_format": self.data_format,
        }
