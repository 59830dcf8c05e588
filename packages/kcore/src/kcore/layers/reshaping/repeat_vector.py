"""`RepeatVector`: repeats a `(batch, features)` input `n` times along a new axis 1."""

from __future__ import annotations

import operator

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats the input n times: `(batch, features)` becomes `(batch, n, features)`.

    Args:
        n: the repetition factor.

    Example:

    >>> import kcore
    >>> kcore.layers.RepeatVector(3)(kcore.KerasTensor((None, 32))).shape
    (None, 3, 32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        try:
            n = operator.index(n)
        except (TypeError, OverflowError):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.") from None
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
