"""`MaxPooling3D`: the maximum over sliding windows of volumes."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """Max pooling for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``).

    Each output element is the maximum over a `pool_size` window of each channel, the window
    moving by `strides`. With ``padding="valid"`` an axis of `n` elements gives
    `(n - pool_size) // strides + 1`, with ``"same"`` `ceil(n / strides)`.

    Args:
        pool_size: an int or a tuple of 3 ints, the window size.
        strides: an int, a tuple of 3 ints or None (default: `pool_size`), the window's step.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(8.0), (1, 2, 2, 2, 1))
    >>> kcore.ops.convert_to_numpy(kcore.layers.MaxPooling3D()(x)).ravel().tolist()
    [7.0]
    """

    pool_dimensions = 3
    _pool = staticmethod(ops.max_pool)

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
