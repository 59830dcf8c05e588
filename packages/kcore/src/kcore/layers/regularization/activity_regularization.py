"""`ActivityRegularization`: adds an L1/L2 penalty on its inputs to the training loss."""

from __future__ import annotations

from kcore import regularizers
from kcore.layers.layer import Layer


class ActivityRegularization(Layer):
    """Returns its input unchanged and adds `l1 * sum(|x|) + l2 * sum(x**2)` of it to the
    layer's `losses` (which training adds to the model's loss).

    Args:
        l1: the L1 regularization factor (a non-negative float).
        l2: the L2 regularization factor (a non-negative float).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.ActivityRegularization(l1=0.1)
    >>> kcore.ops.convert_to_numpy(layer(np.array([[1.0, -2.0]], "float32"))).tolist()
    [[1.0, -2.0]]
    >>> round(float(kcore.ops.convert_to_numpy(layer.losses[0])), 4)
    0.3
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
