"""`Cropping1D`: removes steps at the start and end of temporal data."""

from __future__ import annotations

from kcore.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Cropping for temporal data `(batch, steps, features)`: removes steps at both ends.

    Args:
        cropping: an int (as many steps at both ends) or a pair `(before, after)`, all >= 0;
            together smaller than the number of steps.

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(5.0), (1, 5, 1))
    >>> y = kcore.layers.Cropping1D(cropping=(1, 2))(x)
    >>> kcore.ops.convert_to_numpy(y)[0, :, 0].tolist()
    [1.0, 2.0]
    """

    spatial_rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)
