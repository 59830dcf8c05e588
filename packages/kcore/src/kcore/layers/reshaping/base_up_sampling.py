"""`BaseUpSampling`: what the upsampling layers share (factors, nearest repetition, shapes)."""

from __future__ import annotations

from kcore import ops
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class BaseUpSampling(Layer):
    """The base of `UpSampling1D/2D/3D`: repeats each element of the spatial axes.

    Subclasses set `spatial_rank`, and call `_set_factors` from their constructor once they
    have checked their arguments.
    """

    spatial_rank = 2

    def _set_factors(self, factors, data_format):
        """Records the factor of each spatial axis for inputs laid out as `data_format`."""
        first = 1 if data_format == "channels_last" else 2
        self._factors = dict(zip(range(first, first + self.spatial_rank), factors))
        self._repeats = tuple((axis, f) for axis, f in self._factors.items() if f != 1)
        self.input_spec = InputSpec(ndim=self.spatial_rank + 2)

    def build(self, input_shape):
        """Nothing to create: the layer has no weights."""

    def call(self, inputs):
        for axis, factor in self._repeats:
            inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(
            d * self._factors[axis] if axis in self._factors and d is not None else d
            for axis, d in enumerate(input_shape)
        )
