"""`BaseAdaptivePooling`: pooling to a fixed output size, whatever the input's size."""

from __future__ import annotations

from kcore import config
from kcore.layers._arguments import int_tuple
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """The base of the adaptive pooling layers: output index `i` of a spatial axis of `n`
    input elements pools the input elements `floor(i * n / out)` to `ceil((i + 1) * n / out)`
    (excluded), so the output always has `output_size` elements per axis.

    Subclasses set `pool_dimensions` and `_pool`, the op (`ops.adaptive_max_pool` or
    `ops.adaptive_average_pool`).

    Args:
        output_size: an int or a tuple of `pool_dimensions` positive ints, the output's
            spatial size.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
    """

    pool_dimensions = 2
    _pool = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.pool_dimensions
        self.output_size = int_tuple(output_size, rank, "output_size", type(self).__name__)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        """Nothing to create: the layer has no weights."""

    def call(self, inputs):
        return self._pool(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }
