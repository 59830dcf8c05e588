"""`UpSampling2D`: enlarges images by whole factors, repeating or interpolating pixels."""

from __future__ import annotations

from kcore import config, ops
from kcore.layers._arguments import int_tuple
from kcore.layers.reshaping.base_up_sampling import BaseUpSampling

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


class UpSampling2D(BaseUpSampling):
    """Upsampling for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``) becomes
    `(batch, height * size[0], width * size[1], channels)`.

    ``"nearest"`` repeats each row and column; the other interpolations resize the images as
    `kcore.ops.image.resize` does.

    Args:
        size: an int or a pair of positive ints, the factors for rows and columns.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        interpolation: ``"nearest"``, ``"bilinear"``, ``"bicubic"``, ``"lanczos3"`` or
            ``"lanczos5"`` (case-insensitive).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(2.0), (1, 1, 2, 1))
    >>> y = kcore.layers.UpSampling2D(size=(2, 2))(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, :, 0].tolist()
    [[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]]
    """

    spatial_rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.size = int_tuple(size, 2, "size", "UpSampling2D")
        method = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if method not in INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D: the `interpolation` argument must be one of {INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = method
        self._set_factors(self.size, self.data_format)

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        shape = ops.shape(inputs)
        size = tuple(shape[axis] * factor for axis, factor in self._factors.items())
        return ops.image.resize(
            inputs, size, interpolation=self.interpolation, data_format=self.data_format
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
