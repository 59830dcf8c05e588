"""`Cropping2D`: removes rows and columns at the edges of images."""

from __future__ import annotations

from kcore.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Cropping for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``) loses rows at the top and
    bottom and columns at the left and right.

    Args:
        cropping: an int (the same everywhere), a pair `(rows, columns)` (the same on both
            sides), or `((top, bottom), (left, right))`; all >= 0, and smaller than the image.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(9.0), (1, 3, 3, 1))
    >>> y = kcore.layers.Cropping2D(cropping=((1, 0), (0, 1)))(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, :, 0].tolist()
    [[3.0, 4.0], [6.0, 7.0]]
    """

    spatial_rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
