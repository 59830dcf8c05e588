"""`Cropping3D`: removes elements at the edges of volumes."""

from __future__ import annotations

from kcore.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Cropping for volumes: `(batch, dim1, dim2, dim3, channels)` (or
    `(batch, channels, dim1, dim2, dim3)` with ``"channels_first"``) loses elements at both
    ends of each spatial axis.

    Args:
        cropping: an int (the same everywhere), 3 ints (one per axis, the same on both sides),
            or 3 pairs `(before, after)`; all >= 0, and smaller than the volume.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).

    Example:

    >>> import kcore
    >>> x = kcore.ops.ones((1, 4, 5, 6, 2))
    >>> kcore.ops.shape(kcore.layers.Cropping3D(cropping=(1, (0, 2), 0))(x))
    (1, 2, 3, 6, 2)
    """

    spatial_rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format=data_format, **kwargs)
