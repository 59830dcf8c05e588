"""`Identity`: returns its inputs unchanged (a placeholder layer)."""

from __future__ import annotations

import optree

from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer


class Identity(Layer):
    """Identity layer: returns its inputs (any structure of tensors) unchanged, masks included.

    Example:

    >>> import kcore
    >>> kcore.ops.shape(kcore.layers.Identity()(kcore.ops.ones((2, 3))))
    (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return optree.tree_map(
            lambda x: KerasTensor(x.shape, dtype=x.dtype),
            inputs,
            is_leaf=lambda x: isinstance(x, KerasTensor),
        )
