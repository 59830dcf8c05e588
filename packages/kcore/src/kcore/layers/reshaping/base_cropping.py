"""`BaseCropping`: what the cropping layers share (amounts, checks, output shapes)."""

from __future__ import annotations

from kcore import config
from kcore.layers._arguments import axis_pairs, int_tuple
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class BaseCropping(Layer):
    """The base of `Cropping1D/2D/3D`: removes elements at the start and end of each spatial
    axis.

    Subclasses set `spatial_rank` and their defaults. Cropping an axis to nothing (or less) is
    an error.

    Args:
        cropping: with one spatial axis, an int or a pair `(before, after)`; with more, an int
            (everywhere), one int per axis (the same before and after), or one pair per axis.
            Every amount is >= 0.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`); the 1D layer is always channels-last.
    """

    spatial_rank = 2

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        if self.spatial_rank == 1:
            self.cropping = int_tuple(cropping, 2, "cropping", owner, allow_zero=True)
            pairs = (self.cropping,)
            first = 1
        else:
            self.data_format = config.standardize_data_format(data_format)
            self.cropping = pairs = axis_pairs(cropping, self.spatial_rank, "cropping", owner)
            first = 1 if self.data_format == "channels_last" else 2
        self._pairs = dict(zip(range(first, first + self.spatial_rank), pairs))
        rank = self.spatial_rank + 2
        self._slices = tuple(
            slice(self._pairs[axis][0], -self._pairs[axis][1] or None)
            if axis in self._pairs
            else slice(None)
            for axis in range(rank)
        )
        self.input_spec = InputSpec(ndim=rank)

    def _cropped_shape(self, input_shape):
        """The output shape; raises a clear error when an axis would be cropped to nothing."""
        input_shape = tuple(input_shape)
        output = list(input_shape)
        for axis, (before, after) in self._pairs.items():
            if axis >= len(input_shape) or input_shape[axis] is None:
                continue
            output[axis] = input_shape[axis] - before - after
            if output[axis] <= 0:
                raise ValueError(
                    f"Layer {self.name!r} ({type(self).__name__}): cropping={self.cropping} "
                    f"removes {before + after} elements from axis {axis} of its input of shape "
                    f"{input_shape}, which has only {input_shape[axis]}: the cropping must be "
                    f"smaller than the input. Use a smaller cropping or a larger input."
                )
        return tuple(output)

    def build(self, input_shape):
        self._cropped_shape(input_shape)

    def call(self, inputs):
        self._cropped_shape(inputs.shape)
        return inputs[self._slices]

    def compute_output_shape(self, input_shape):
        return self._cropped_shape(input_shape)

    def get_config(self) -> dict:
        config = {**super().get_config(), "cropping": self.cropping}
        if self.spatial_rank > 1:
            config["data_format"] = self.data_format
        return config
