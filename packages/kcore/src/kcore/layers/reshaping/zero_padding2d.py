"""`ZeroPadding2D`: adds rows and columns of zeros around images."""

from __future__ import annotations

from kcore.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero-padding for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``) gets rows of zeros above and
    below, and columns of zeros left and right.

    Args:
        padding: an int (the same everywhere), a pair `(rows, columns)` (the same on both
            sides), or `((top, bottom), (left, right))`; all >= 0.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> y = kcore.layers.ZeroPadding2D(padding=((1, 0), (0, 1)))(kcore.ops.ones((1, 1, 1, 1)))
    >>> kcore.ops.convert_to_numpy(y)[0, :, :, 0].tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """

    spatial_rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
