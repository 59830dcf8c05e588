"""`Softmax`: the softmax over one or more axes, skipping masked entries."""

from __future__ import annotations

from kcore import activations, ops
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.layer import Layer


def _large_negative_number(dtype) -> float:
    """A number that `exp` turns into 0 but that stays finite in `dtype`."""
    return -3e4 if standardize_dtype(dtype) == "float16" else -1e9


class Softmax(Layer):
    """Softmax activation layer: `exp(x) / sum(exp(x))` over `axis`.

    Args:
        axis: the axis, or a tuple of axes, the softmax normalizes over (default -1).

    Call arguments:
        inputs: the logits.
        mask: a boolean tensor broadcastable to `inputs`; False entries get probability 0.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Softmax()
    >>> x = kcore.ops.array([[1.0, 1.0, 1.0]])
    >>> mask = kcore.ops.array([[True, True, False]])
    >>> kcore.ops.convert_to_numpy(layer(x, mask=mask)).tolist()
    [[0.5, 0.5, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            drop = ops.subtract(1.0, ops.cast(mask, inputs.dtype))
            inputs = ops.add(inputs, ops.multiply(drop, _large_negative_number(inputs.dtype)))
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            outputs = ops.exp(
                ops.subtract(inputs, ops.logsumexp(inputs, axis=self.axis, keepdims=True))
            )
        else:
            axis = self.axis[0] if isinstance(self.axis, (tuple, list)) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.multiply(outputs, ops.cast(mask, outputs.dtype))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
