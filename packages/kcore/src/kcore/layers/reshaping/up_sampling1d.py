"""`UpSampling1D`: repeats each step of temporal data."""

from __future__ import annotations

from kcore.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Upsampling for temporal data `(batch, steps, features)`: each step is repeated `size`
    times, giving `(batch, steps * size, features)`.

    Args:
        size: a positive int, the upsampling factor.

    Example:

    >>> import kcore
    >>> x = kcore.ops.reshape(kcore.ops.arange(2.0), (1, 2, 1))
    >>> kcore.ops.convert_to_numpy(kcore.layers.UpSampling1D(size=3)(x))[0, :, 0].tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    """

    spatial_rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(
                f"UpSampling1D: expected an integer value for `size`, got {type(size).__name__} "
                f"(size={size!r})."
            )
        if size <= 0:
            raise ValueError(
                f"UpSampling1D: the `size` argument must be a positive integer. Received: "
                f"size={size}"
            )
        self.size = size
        self._set_factors((size,), "channels_last")

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}
