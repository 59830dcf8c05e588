"""`RandomZoom`: zooms images in or out by random amounts about their centers, in training."""

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


class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms each image by random factors along its height and width, in training.

    A zoom `z` drawn from `1 + height_factor` samples the input at `z` times the distance from
    the image center: `z > 1` (a positive factor) zooms out, `z < 1` zooms in. At inference the
    images are returned unchanged (in the compute dtype).

    Args:
        height_factor: a number `f` (zooms drawn from `[1 - f, 1 + f]`) or a pair
            `(lower, upper)` (from `[1 + lower, 1 + upper]`); each in `(-1, 1]`.
        width_factor: the same for the width, or None (default) to zoom both axes by the same
            draw, keeping the aspect ratio.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"constant"`` or ``"nearest"``: how
            points outside the image are filled (see `RandomRotation`).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int seed for the layer's `SeedGenerator`.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (None: the configured one).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RandomZoom((-0.5, -0.5), fill_mode="constant", seed=0)
    >>> image = np.arange(9, dtype="float32").reshape(3, 3, 1)
    >>> kcore.ops.convert_to_numpy(layer(image, training=True))[..., 0].tolist()
    [[2.0, 2.5, 3.0], [3.5, 4.0, 4.5], [5.0, 5.5, 6.0]]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
            name, "height_factor", height_factor, (-1, 1), open_lower=True
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(
                name, "width_factor", width_factor, (-1, 1), open_lower=True
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
        """In training, `{"height_zoom": (batch, 1), "width_zoom": (batch, 1), "input_shape"}`
        (zoom factors, 1 = unchanged); else None."""
        if not training:
            return None
        images = self._images_of(data)
        shape = ops.shape(images)
        seed = self.generator if seed is None else seed
        zoom_shape = (self._batch_size(images), 1)
        height_zoom = random.uniform(
            zoom_shape, 1.0 + self.height_lower, 1.0 + self.height_upper, seed=seed
        )
        if self.width_factor is None:
            width_zoom = height_zoom
        else:
            width_zoom = random.uniform(
                zoom_shape, 1.0 + self.width_lower, 1.0 + self.width_upper, seed=seed
            )
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": shape}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height, width = self._image_size(images)
        return ops.image.affine_transform(
            images,
            self._zoom_matrix(transformation, height, width),
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    @staticmethod
    def _zoom_matrix(transformation, height, width):
        """Affine rows `[zx, 0, (W - 1) / 2 * (1 - zx), 0, zy, (H - 1) / 2 * (1 - zy), 0, 0]`,
        which keep the image center in place."""
        zoom_x = ops.cast(transformation["width_zoom"][:, 0], "float32")
        zoom_y = ops.cast(transformation["height_zoom"][:, 0], "float32")
        center_x = ops.divide(ops.subtract(ops.cast(width, "float32"), 1.0), 2.0)
        center_y = ops.divide(ops.subtract(ops.cast(height, "float32"), 1.0), 2.0)
        zeros = ops.zeros_like(zoom_x)
        rows = [
            zoom_x,
            zeros,
            center_x * (1.0 - zoom_x),
            zeros,
            zoom_y,
            center_y * (1.0 - zoom_y),
            zeros,
            zeros,
        ]
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
