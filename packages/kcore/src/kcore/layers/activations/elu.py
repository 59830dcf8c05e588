"""`ELU`: the exponential linear unit."""

from __future__ import annotations

from kcore import activations
from kcore.layers.layer import Layer


class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    `f(x) = alpha * (exp(x) - 1)` for `x < 0`, `x` for `x >= 0`.

    Args:
        alpha: the scale of the negative section (default 1.0).

    Example:

    >>> import kcore
    >>> kcore.ops.convert_to_numpy(kcore.layers.ELU()(kcore.ops.array([0.0, 2.0]))).tolist()
    [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}
