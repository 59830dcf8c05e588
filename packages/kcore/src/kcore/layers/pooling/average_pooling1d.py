"""`AveragePooling1D`: the mean over sliding windows of temporal data."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling for temporal data: `(batch, steps, features)` (or
    `(batch, features, steps)` with ``"channels_first"``).

    Each output step is the mean of `pool_size` input steps, the window moving by `strides`.
    With ``padding="same"`` the padded positions are left out of the mean.

    Args:
        pool_size: an int, the window size.
        strides: an int or None (default: `pool_size`), the window's step.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(5.0), (1, 5, 1))
    >>> y = kcore.layers.AveragePooling1D(pool_size=2, padding="same")(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, 0].tolist()
    [0.5, 2.5, 4.0]
    """

    pool_dimensions = 1
    _pool = staticmethod(ops.average_pool)

    def __init__(
        self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
