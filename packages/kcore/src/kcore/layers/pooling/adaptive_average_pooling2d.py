"""`AdaptiveAveragePooling2D`: average pooling of images to a fixed output size."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive average pooling for images: `(batch, height, width, channels)` (or
    `(batch, channels, height, width)` with ``"channels_first"``) is pooled to `output_size`
    elements per spatial axis, each the mean of a window whose bounds follow from the input and
    output sizes.

    Args:
        output_size: an int or a tuple of 2 positive ints, the output's spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.AdaptiveAveragePooling2D(3)(kcore.ops.ones((2, 7, 5, 3))))
    (2, 3, 3, 3)
    """

    pool_dimensions = 2
    _pool = staticmethod(ops.adaptive_average_pool)

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format=data_format, **kwargs)
