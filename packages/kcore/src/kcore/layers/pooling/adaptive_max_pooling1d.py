"""`AdaptiveMaxPooling1D`: max pooling of temporal data to a fixed output size."""

from __future__ import annotations

from kcore import ops
from kcore.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling for temporal data: `(batch, steps, features)` (or
    `(batch, features, steps)` with ``"channels_first"``) is pooled to `output_size` elements per
    spatial axis, each the maximum of a window whose bounds follow from the input and output sizes.

    Args:
        output_size: an int, the output's spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(5.0), (1, 5, 1))
    >>> kcore.ops.convert_to_numpy(kcore.layers.AdaptiveMaxPooling1D(2)(x))[0, :, 0].tolist()
    [2.0, 4.0]
    """

    pool_dimensions = 1
    _pool = staticmethod(ops.adaptive_max_pool)

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format=data_format, **kwargs)
