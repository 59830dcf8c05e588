"""`MaxPooling2D`: the maximum over sliding windows of images."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Max pooling for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``).

    Each output pixel is the maximum over a `pool_size` window of each channel, the window moving
    by `strides`. With ``padding="valid"`` an axis of `n` elements gives
    `(n - pool_size) // strides + 1`, with ``"same"`` `ceil(n / strides)`.

    Args:
        pool_size: an int or a tuple of 2 ints, the window size.
        strides: an int, a tuple of 2 ints or None (default: `pool_size`), the window's step.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(16.0), (1, 4, 4, 1))
    >>> y = kcore.layers.MaxPooling2D(pool_size=(2, 2))(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    pool_dimensions = 2
    _pool = staticmethod(ops.max_pool)

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
