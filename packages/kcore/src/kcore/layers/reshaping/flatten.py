"""`Flatten`: flattens each sample to one axis."""

from __future__ import annotations

import math

from kcore import config, ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input. Does not affect the batch size.

    An input of shape `(batch,)` gives `(batch, 1)`.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`). With ``"channels_first"`` the channels axis is moved last
            before flattening, so the result matches a channels-last model's.

    Example:

    >>> import kcore
    >>> kcore.layers.Flatten()(kcore.KerasTensor((None, 10, 64))).shape
    (None, 640)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self.built = True

    def call(self, inputs):
        rank = len(inputs.shape)
        if self.data_format == "channels_first" and rank > 1:
            inputs = ops.transpose(inputs, axes=(0, *range(2, rank), 1))
        shape = tuple(-1 if d is None else d for d in self.compute_output_shape(inputs.shape))
        return ops.reshape(inputs, shape)

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape)[1:]
        if not rest:
            size = 1
        elif any(d is None for d in rest):
            size = None
        else:
            size = math.prod(rest)
        return (input_shape[0], size)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
