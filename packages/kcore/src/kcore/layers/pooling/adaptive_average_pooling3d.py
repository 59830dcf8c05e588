"""`AdaptiveAveragePooling3D`: average pooling of volumes to a fixed output size."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive average pooling for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``) is pooled to `output_size`
    elements per spatial axis, each the mean of a window whose bounds follow from the input and
    output sizes.

    Args:
        output_size: an int or a tuple of 3 positive ints, the output's spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.AdaptiveAveragePooling3D(3)(kcore.ops.ones((2, 5, 4, 7, 3))))
    (2, 3, 3, 3, 3)
    """

    pool_dimensions = 3
    _pool = staticmethod(ops.adaptive_average_pool)

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format=data_format, **kwargs)
