"""`Permute`: reorders the non-batch axes of its input."""

from __future__ import annotations

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    Args:
        dims: the permutation of the non-batch axes, counted from 1: `(2, 1)` swaps the two
            axes of a `(batch, a, b)` input.

    Example:

    >>> import kcore
    >>> kcore.layers.Permute((2, 1))(kcore.KerasTensor((None, 10, 64))).shape
    (None, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def call(self, inputs):
        return ops.transpose(inputs, axes=(0, *self.dims))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}
