"""`ReLU`: the rectified linear unit, with optional cap, slope and threshold."""

from __future__ import annotations

from kcore import activations
from kcore.layers.layer import Layer


class ReLU(Layer):
    """Rectified Linear Unit activation function layer.

    `f(x) = max_value` for `x >= max_value`, `x` for `threshold <= x < max_value`, and
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: the largest output value (None: no cap); must be nonnegative.
        negative_slope: the slope below the threshold (nonnegative, default 0).
        threshold: the value below which the output is damped (nonnegative, default 0).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.ReLU(max_value=1.0)
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.array([-3.0, 0.5, 2.0]))).tolist()
    [0.0, 0.5, 1.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                "max_value of a ReLU layer cannot be a negative value. Received: "
                f"max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be a negative value. Received: "
                f"negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                "threshold of a ReLU layer cannot be a negative value. Received: "
                f"threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
