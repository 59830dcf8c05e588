"""`Masking`: masks the timesteps whose features all equal `mask_value`."""

from __future__ import annotations

from kcore import ops
from kcore.layers.layer import Layer


class Masking(Layer):
    """Masks a sequence by using a mask value to skip timesteps.

    A timestep (axis 1 of a `(batch, timesteps, features)` input) whose features all equal
    `mask_value` is masked: its output features are zeroed and the layers after it that support
    masking skip it. The mask is `any(inputs != mask_value, axis=-1)` (True: keep).

    Args:
        mask_value: the value that marks padding.

    Example:

    >>> import numpy as np, kcore
    >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
    >>> kcore.ops.convert_to_numpy(kcore.layers.Masking().compute_mask(x)).tolist()
    [[True, False, True]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = mask_value
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.multiply(inputs, ops.cast(keep, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
