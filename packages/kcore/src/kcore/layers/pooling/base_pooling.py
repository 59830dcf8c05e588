"""`BasePooling`: what the max and average pooling layers share (arguments, output shapes)."""

from __future__ import annotations

from kcore import config
from kcore.layers._arguments import int_tuple, padding_mode
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


def pooled_size(size, pool, stride, padding):
    """The output size of one spatial axis of `size` elements (None: unknown)."""
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return (size - pool) // stride + 1


class BasePooling(Layer):
    """The base of the pooling layers: slides a `pool_size` window over the spatial axes.

    Subclasses set `pool_dimensions` and `_pool`, the op (`ops.max_pool` or
    `ops.average_pool`), and give their own defaults.

    Args:
        pool_size: an int or a tuple of `pool_dimensions` ints, the window size.
        strides: an int, a tuple of ints or None (then `pool_size`): the window's step.
        padding: ``"valid"`` (no padding) or ``"same"`` (the output keeps `ceil(size / stride)`
            elements per axis), case-insensitive.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: the configured
            `image_data_format`).
    """

    pool_dimensions = 2
    _pool = None

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        rank = self.pool_dimensions
        self.pool_size = int_tuple(pool_size, rank, "pool_size", owner)
        self.strides = int_tuple(pool_size if strides is None else strides, rank, "strides", owner)
        self.padding = padding_mode(padding, owner)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _spatial(self, shape):
        return shape[1:-1] if self.data_format == "channels_last" else shape[2:]

    def _check_input_shape(self, input_shape):
        """Raises a clear error when a "valid" window does not fit in the input."""
        if self.padding != "valid" or len(input_shape) != self.pool_dimensions + 2:
            return
        spatial = self._spatial(tuple(input_shape))
        if any(s is not None and s < p for s, p in zip(spatial, self.pool_size)):
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): the pooling window "
                f"pool_size={self.pool_size} is larger than the spatial size {tuple(spatial)} of "
                f'its input of shape {tuple(input_shape)} (data_format="{self.data_format}"), '
                f'so padding="valid" leaves no output. Use a smaller pool_size, padding="same", '
                f"or a larger input."
            )

    def build(self, input_shape):
        self._check_input_shape(input_shape)

    def call(self, inputs):
        try:
            return self._pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)
        except Exception:
            # Backends word a window larger than the input differently: name the layer instead.
            self._check_input_shape(inputs.shape)
            raise

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        self._check_input_shape(input_shape)
        spatial = tuple(
            pooled_size(size, pool, stride, self.padding)
            for size, pool, stride in zip(self._spatial(input_shape), self.pool_size, self.strides)
        )
        if self.data_format == "channels_last":
            return (input_shape[0], *spatial, input_shape[-1])
        return (input_shape[0], input_shape[1], *spatial)

    def get_build_config(self):
        # Keras builds its pooling layers at construction and writes no build config for them.
        return None

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
