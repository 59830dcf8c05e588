"""`GlobalMaxPooling2D`: the maximum over the height and width of images."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Global max pooling for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``) becomes `(batch, channels)`, the
    maximum over the height and width.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        keepdims: whether to keep the spatial axes with size 1 rather than drop them.

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.GlobalMaxPooling2D()(kcore.ops.ones((2, 4, 5, 3))))
    (2, 3)
    """

    pool_dimensions = 2
    _reduce = staticmethod(ops.max)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
