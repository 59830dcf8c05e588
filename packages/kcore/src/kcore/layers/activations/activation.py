"""`Activation`: applies an activation function to its input."""

from __future__ import annotations

from kcore import activations
from kcore.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: an activation function, or the name of one of `kcore.activations`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Activation("relu")
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.array([-3.0, -1.0, 0.0, 2.0]))).tolist()
    [0.0, 0.0, 0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
