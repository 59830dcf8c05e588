"""`BaseGlobalPooling`: what the global max and average pooling layers share."""

from __future__ import annotations

from kcore import config
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """The base of the global pooling layers: reduces every spatial axis at once.

    Subclasses set `pool_dimensions` and `_reduce`, the op (`ops.max` or `ops.mean`).

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
        keepdims: whether to keep the spatial axes, with size 1 (as `ops.mean(...,
            keepdims=True)`), rather than drop them.
    """

    pool_dimensions = 2
    _reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.keepdims = keepdims
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + self.pool_dimensions))
        self.input_spec = InputSpec(ndim=self.pool_dimensions + 2)
        self.built = True

    def call(self, inputs):
        return self._reduce(inputs, axis=self._axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.keepdims:
            return tuple(1 if axis in self._axes else d for axis, d in enumerate(input_shape))
        return tuple(d for axis, d in enumerate(input_shape) if axis not in self._axes)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "data_format": self.data_format,
            "keepdims": self.keepdims,
        }
