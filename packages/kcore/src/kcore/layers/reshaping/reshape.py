"""`Reshape`: gives each sample a new shape."""

from __future__ import annotations

import math

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer


class Reshape(Layer):
    """Layer that reshapes inputs into the given shape.

    Args:
        target_shape: the shape of each sample (batch axis excluded); one entry may be -1, to
            be inferred from the input's size.

    Example:

    >>> import kcore
    >>> kcore.layers.Reshape((3, 4))(kcore.KerasTensor((None, 12))).shape
    (None, 3, 4)
    >>> kcore.layers.Reshape((-1, 2, 2))(kcore.KerasTensor((None, 12))).shape
    (None, 3, 2, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if target_shape.count(-1) > 1:
            raise ValueError(
                "The `target_shape` argument must not contain more than one `-1` value. "
                f"Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape
        self.built = True

    def _sample_shape(self, input_shape):
        """The output shape of one sample: `target_shape` with its -1 resolved (None when the
        input's size is unknown)."""
        sample = tuple(input_shape)[1:]
        target = self.target_shape
        known = math.prod(d for d in target if d != -1)
        if any(d is None for d in sample):
            return tuple(None if d == -1 else d for d in target)
        size = math.prod(sample)
        if -1 in target:
            if known == 0 or size % known:
                raise ValueError(
                    f"Layer {self.name!r}: the total size of the tensor must be unchanged. "
                    f"Received: input_shape={tuple(input_shape)}, "
                    f"target_shape={self.target_shape}"
                )
            return tuple(size // known if d == -1 else d for d in target)
        if size != known:
            raise ValueError(
                f"Layer {self.name!r}: the total size of the tensor must be unchanged. Received: "
                f"input_shape={tuple(input_shape)}, target_shape={self.target_shape}"
            )
        return target

    def call(self, inputs):
        sample = tuple(-1 if d is None else d for d in self._sample_shape(inputs.shape))
        return ops.reshape(inputs, (ops.shape(inputs)[0], *sample))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._sample_shape(input_shape))

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}
