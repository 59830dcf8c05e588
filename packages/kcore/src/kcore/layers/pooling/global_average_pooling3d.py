"""`GlobalAveragePooling3D`: the mean over the spatial axes of volumes."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``) becomes `(batch, channels)`,
    the mean over the spatial axes.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        keepdims: whether to keep the spatial axes with size 1 rather than drop them.

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.GlobalAveragePooling3D()(kcore.ops.ones((2, 2, 3, 4, 3))))
    (2, 3)
    """

    pool_dimensions = 3
    _reduce = staticmethod(ops.mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
