"""`UpSampling3D`: enlarges volumes by repeating their elements."""

from __future__ import annotations

from kcore import config
from kcore.layers._arguments import int_tuple
from kcore.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Upsampling for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``) has each element repeated
    `size[i]` times along spatial axis `i`.

    Args:
        size: an int or 3 positive ints, the factors of the three spatial axes.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.ones((1, 1, 2, 3, 4))
    >>> kcore.ops.shape(kcore.layers.UpSampling3D(size=(2, 1, 3))(x))
    (1, 2, 2, 9, 4)
    """

    spatial_rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.size = int_tuple(size, 3, "size", "UpSampling3D")
        self._set_factors(self.size, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
