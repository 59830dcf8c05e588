"""`LeakyReLU`: `x` for positive inputs, `negative_slope * x` for negative ones."""

from __future__ import annotations

import warnings

from kcore import activations
from kcore.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    Args:
        negative_slope: the slope for negative inputs (nonnegative, default 0.3). The old name
            `alpha` is accepted with a warning.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.LeakyReLU(negative_slope=0.5)
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.array([-2.0, 3.0]))).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2
            )
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative "
                f"value. Expected a float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}
