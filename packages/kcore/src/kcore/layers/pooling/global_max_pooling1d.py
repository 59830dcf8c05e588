"""`GlobalMaxPooling1D`: the maximum over the steps of temporal data."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling for temporal data: `(batch, steps, features)` (or
    `(batch, features, steps)` with ``"channels_first"``) becomes `(batch, features)`, the maximum
    over the steps.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        keepdims: whether to keep the spatial axes with size 1 rather than drop them.

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.GlobalMaxPooling1D()(kcore.ops.ones((2, 3, 4))))
    (2, 4)
    """

    pool_dimensions = 1
    _reduce = staticmethod(ops.max)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
