"""`RandomRotation`: rotates images by random angles about their centers, in training."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.preprocessing.image_preprocessing._arguments import (
    AFFINE_FILL_MODES,
    AFFINE_INTERPOLATIONS,
    check_choice,
)
from kcore.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image by an angle drawn uniformly from `factor * 360` degrees, in training.

    At inference the images are returned unchanged (in the compute dtype). Positive angles turn
    the image counter-clockwise as displayed (rows downwards), negative ones clockwise.

    Args:
        factor: a fraction of a full turn: `f` draws from `[-f * 360, f * 360]` degrees, a pair
            `(lower, upper)` from `[lower * 360, upper * 360]`; in `[-1, 1]`.
        fill_mode: how points outside the image are filled: ``"reflect"`` (default,
            `d c b a | a b c d | d c b a`), ``"wrap"`` (`a b c d | a b c d`), ``"constant"``
            (`fill_value`) or ``"nearest"`` (`a a a a | a b c d | d d d d`).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for the layer's `SeedGenerator`.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomRotation(0.25, seed=0)
    >>> images = np.ones((2, 5, 5, 3), "float32")
    >>> kcore.ops.convert_to_numpy(layer(images, training=True)).shape
    (2, 5, 5, 3)
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        name = type(self).__name__
        self.fill_mode = check_choice(
            name, "fill_mode", fill_mode, AFFINE_FILL_MODES, NotImplementedError
        )
        self.interpolation = check_choice(
            name, "interpolation", interpolation, AFFINE_INTERPOLATIONS, NotImplementedError
        )
        self.seed = seed
        self.generator = random.SeedGenerator(seed)
        self.fill_value = fill_value

    def get_random_transformation(self, data, training=True, seed=None):
        """In training, `{"angle": (batch,) degrees, "rotation_matrix": (batch, 8) affine rows,
        "image_height", "image_width", "batch_size"}` (a single image: one (8,) row); else None.
        """
        if not training:
            return None
        images = self._images_of(data)
        height, width = self._image_size(images)
        batch_size = self._batch_size(images)
        lower, upper = self.factor
        angle = random.uniform(
            (batch_size,),
            minval=lower * 360.0,
            maxval=upper * 360.0,
            seed=self.generator if seed is None else seed,
        )
        zeros = ops.zeros_like(angle)
        matrix = self._compute_affine_matrix(
            center_x=0.5,
            center_y=0.5,
            angle=angle,
            translate_x=zeros,
            translate_y=zeros,
            scale=ops.ones_like(angle),
            shear_x=zeros,
            shear_y=zeros,
            height=height,
            width=width,
        )
        if len(images.shape) == 3:
            matrix = ops.squeeze(matrix, axis=0)
        return {
            "angle": angle,
            "rotation_matrix": matrix,
            "image_height": height,
            "image_width": width,
            "batch_size": batch_size,
        }

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return ops.image.affine_transform(
            images,
            transformation["rotation_matrix"],
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "factor": self.factor,
            "data_format": self.data_format,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
