"""`AveragePooling3D`: the mean over sliding windows of volumes."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``).

    Each output element is the mean over a `pool_size` window of each channel, the window moving
    by `strides`. With ``padding="same"`` the padded positions are left out of the mean.

    Args:
        pool_size: an int or a tuple of 3 ints, the window size.
        strides: an int, a tuple of 3 ints or None (default: `pool_size`), the window's step.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(8.0), (1, 2, 2, 2, 1))
    >>> kcore.ops.convert_to_numpy(kcore.layers.AveragePooling3D(2)(x)).ravel().tolist()
    [3.5]
    """

    pool_dimensions = 3
    _pool = staticmethod(ops.average_pool)

    def __init__(
        self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
