"""`MaxPooling1D`: the maximum over sliding windows of temporal data."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling for temporal data: `(batch, steps, features)` (or `(batch, features, steps)`
    with ``"channels_first"``).

    Each output step is the maximum of `pool_size` input steps, the window moving by `strides`.
    With ``padding="valid"`` the output has `(steps - pool_size) // strides + 1` steps, with
    ``"same"`` `ceil(steps / strides)`.

    Args:
        pool_size: an int, the window size.
        strides: an int or None (default: `pool_size`), the window's step.
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(5.0), (1, 5, 1))
    >>> y = kcore.layers.MaxPooling1D(pool_size=2, strides=1)(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, 0].tolist()
    [1.0, 2.0, 3.0, 4.0]
    """

    pool_dimensions = 1
    _pool = staticmethod(ops.max_pool)

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
