"""`ZeroPadding1D`: adds zeros at the start and end of the steps axis."""

from __future__ import annotations

from kcore.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding for temporal data: `(batch, steps, features)` (or `(batch, features, steps)`
    with ``"channels_first"``) gets zeros before and after its steps.

    Args:
        padding: an int (as many zeros at both ends) or a pair `(before, after)`, all >= 0.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.ones((1, 2, 1))
    >>> y = kcore.layers.ZeroPadding1D(padding=(1, 2))(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, 0].tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    spatial_rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format=data_format, **kwargs)
