"""`SpatialDropout1D`, `SpatialDropout2D`, `SpatialDropout3D`: dropout of whole feature maps."""

from __future__ import annotations

from kcore import config, dtype_policies, random
from kcore.layers.input_spec import InputSpec
from kcore.layers.regularization.dropout import Dropout


class _SpatialDropout(Dropout):
    """Dropout whose mask has one entry per example and channel: a dropped channel is zero at
    every position of the example (adjacent positions of a feature map are correlated, so
    dropping single entries barely regularizes)."""

    _rank = 3
    data_format = "channels_last"

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=self._rank)

    def _mask_shape(self) -> tuple:
        """The dropout mask's shape: None (the input's size) for the batch and channels axes,
        1 for the spatial axes."""
        spatial = (1,) * (self._rank - 2)
        if self.data_format == "channels_first":
            return (None, None, *spatial)
        return (None, *spatial, None)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self._mask_shape(), seed=self.seed_generator
            )
        return inputs

    def get_config(self) -> dict:
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": dtype_policies.serialize(self.dtype_policy),
        }


class SpatialDropout1D(_SpatialDropout):
    """Spatial 1D dropout: drops whole channels of `(batch, timesteps, channels)` inputs.

    During training each channel of each example is zeroed, at every timestep, with probability
    `rate`, and the kept ones are scaled by `1 / (1 - rate)`. At inference the layer returns its
    input.

    Args:
        rate: the fraction of the channels to drop, between 0 and 1.
        seed: an int seed for the layer's `SeedGenerator`.
        name, dtype: the base layer arguments.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.SpatialDropout1D(0.5, seed=1)
    >>> out = kcore.ops.convert_to_numpy(layer(np.ones((2, 5, 8), "float32"), training=True))
    >>> bool((out == out[:, :1, :]).all())  # the same channels are dropped at every timestep
    True
    """

    _rank = 3


class _SpatialDropoutND(_SpatialDropout):
    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = _standardize_data_format(type(self).__name__, data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout2D(_SpatialDropoutND):
    """Spatial 2D dropout: drops whole feature maps of 4D inputs.

    During training each channel of each example is zeroed, over its whole `rows x cols` map,
    with probability `rate`, and the kept ones are scaled by `1 / (1 - rate)`. At inference the
    layer returns its input.

    Args:
        rate: the fraction of the channels to drop, between 0 and 1.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`) or
            `"channels_first"` (`(batch, channels, rows, cols)`); None means
            `kcore.config.image_data_format()`.
        seed: an int seed for the layer's `SeedGenerator`.
        name, dtype: the base layer arguments.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.SpatialDropout2D(0.5, data_format="channels_first", seed=1)
    >>> out = kcore.ops.convert_to_numpy(layer(np.ones((2, 8, 3, 3), "float32"), training=True))
    >>> bool((out == out[:, :, :1, :1]).all())
    True
    """

    _rank = 4


class SpatialDropout3D(_SpatialDropoutND):
    """Spatial 3D dropout: drops whole feature volumes of 5D inputs.

    During training each channel of each example is zeroed, over its whole
    `dim1 x dim2 x dim3` volume, with probability `rate`, and the kept ones are scaled by
    `1 / (1 - rate)`. At inference the layer returns its input.

    Args:
        rate: the fraction of the channels to drop, between 0 and 1.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`); None means
            `kcore.config.image_data_format()`.
        seed: an int seed for the layer's `SeedGenerator`.
        name, dtype: the base layer arguments.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.SpatialDropout3D(0.5, seed=1)
    >>> out = kcore.ops.convert_to_numpy(layer(np.ones((2, 2, 2, 2, 8), "float32"), training=True))
    >>> bool((out == out[:, :1, :1, :1, :]).all())
    True
    """

    _rank = 5


def _standardize_data_format(class_name: str, data_format) -> str:
    try:
        return config.standardize_data_format(data_format)
    except ValueError:
        raise ValueError(
            f"{class_name}: unknown data_format {data_format!r}. Expected 'channels_last' or "
            "'channels_first' (or None for kcore.config.image_data_format())."
        ) from None
