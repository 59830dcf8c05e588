"""`ZeroPadding3D`: adds zeros around volumes."""

from __future__ import annotations

from kcore.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``) gets zeros before and after
    each of its three spatial axes.

    Args:
        padding: an int (the same everywhere), 3 ints (one per axis, the same on both sides),
            or 3 pairs `(before, after)`; all >= 0.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.ones((1, 2, 2, 2, 3))
    >>> kcore.ops.shape(kcore.layers.ZeroPadding3D(padding=(1, 0, 2))(x))
    (1, 4, 2, 6, 3)
    """

    spatial_rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
