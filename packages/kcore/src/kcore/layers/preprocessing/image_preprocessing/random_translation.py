"""`RandomTranslation`: shifts images by random fractions of their size, in training."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.preprocessing.image_preprocessing._arguments import (
    AFFINE_FILL_MODES,
    AFFINE_INTERPOLATIONS,
    check_choice,
    factor_range,
)
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by random fractions of its height and width, in training.

    At inference the images are returned unchanged (in the compute dtype).

    Args:
        height_factor: a number `f` (shifts drawn from `[-f, f]` times the height) or a pair
            `(lower, upper)`; each in `[-1, 1]`. Positive values shift the image down.
        width_factor: the same for the width; positive values shift the image right.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"constant"`` or ``"nearest"``: how
            points outside the image are filled (see `RandomRotation`).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for the layer's `SeedGenerator`.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomTranslation(
    ...     (0, 0), (0.5, 0.5), fill_mode="constant", interpolation="nearest"
    ... )
    >>> image = np.array([[[1.0], [2.0], [3.0], [4.0]]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(image, training=True))[..., 0].tolist()
    [[0.0, 0.0, 1.0, 2.0]]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        name = type(self).__name__
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(
            name, "height_factor", height_factor, (-1, 1)
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range(
            name, "width_factor", width_factor, (-1, 1)
        )
        self.fill_mode = check_choice(
            name, "fill_mode", fill_mode, AFFINE_FILL_MODES, NotImplementedError
        )
        self.interpolation = check_choice(
            name, "interpolation", interpolation, AFFINE_INTERPOLATIONS, NotImplementedError
        )
        self.fill_value = fill_value
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        """In training, `{"translations": (batch, 2) float32 shifts (dx, dy) in pixels,
        "input_shape"}`; else None."""
        if not training:
            return None
        images = self._images_of(data)
        height, width = self._image_size(images)
        seed = self.generator if seed is None else seed
        shifts_shape = (self._batch_size(images), 1)
        dy = random.uniform(shifts_shape, self.height_lower, self.height_upper, seed=seed)
        dx = random.uniform(shifts_shape, self.width_lower, self.width_upper, seed=seed)
        translations = ops.concatenate(
            [
                ops.multiply(dx, ops.cast(width, dx.dtype)),
                ops.multiply(dy, ops.cast(height, dy.dtype)),
            ],
            axis=1,
        )
        return {"translations": ops.cast(translations, "float32"), "input_shape": ops.shape(images)}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return ops.image.affine_transform(
            images,
            self._translation_matrix(transformation["translations"]),
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    @staticmethod
    def _translation_matrix(translations):
        """Affine rows `[1, 0, -dx, 0, 1, -dy, 0, 0]`: output pixel `(x, y)` samples the input at
        `(x - dx, y - dy)`."""
        translations = ops.cast(translations, "float32")
        dx, dy = translations[:, 0], translations[:, 1]
        zeros, ones = ops.zeros_like(dx), ops.ones_like(dx)
        rows = [ones, zeros, ops.negative(dx), zeros, ones, ops.negative(dy), zeros, zeros]
        return ops.stack(rows, axis=1)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
            "data_format": self.data_format,
        }
