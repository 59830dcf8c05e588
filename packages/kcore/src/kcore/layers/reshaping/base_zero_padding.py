"""`BaseZeroPadding`: what the zero-padding layers share (padding amounts, output shapes)."""

from __future__ import annotations

from kcore import config, ops
from kcore.layers._arguments import axis_pairs, int_tuple
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class BaseZeroPadding(Layer):
    """The base of `ZeroPadding1D/2D/3D`: adds zeros before and after each spatial axis.

    Subclasses set `spatial_rank` and their defaults.

    Args:
        padding: with one spatial axis, an int or a pair `(before, after)`; with more, an int
            (everywhere), one int per axis (the same before and after), or one pair per axis.
            Every amount is >= 0.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
    """

    spatial_rank = 2

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.data_format = config.standardize_data_format(data_format)
        if self.spatial_rank == 1:
            self.padding = int_tuple(padding, 2, "padding", owner, allow_zero=True)
            pairs = (self.padding,)
        else:
            self.padding = pairs = axis_pairs(padding, self.spatial_rank, "padding", owner)
        first = 1 if self.data_format == "channels_last" else 2
        self._pairs = dict(zip(range(first, first + self.spatial_rank), pairs))
        rank = self.spatial_rank + 2
        self._pad_width = tuple(self._pairs.get(axis, (0, 0)) for axis in range(rank))
        self.input_spec = InputSpec(ndim=rank)

    def build(self, input_shape):
        """Nothing to create: the layer has no weights."""

    def call(self, inputs):
        return ops.pad(inputs, self._pad_width)

    def compute_output_shape(self, input_shape):
        return tuple(
            d + sum(self._pairs[axis]) if axis in self._pairs and d is not None else d
            for axis, d in enumerate(input_shape)
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
