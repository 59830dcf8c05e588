"""`Maximum` and its functional form `maximum`: the elementwise maximum of a list of tensors."""

from __future__ import annotations

from kcore import ops
from kcore.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Computes elementwise maximum on a list of inputs.

    It takes a list of tensors of the same (or broadcastable) shape and returns one tensor of
    that shape.

    Example:

    >>> import kcore
    >>> x1, x2 = kcore.ops.array([[1.0, 2.0]]), kcore.ops.array([[3.0, 4.0]])
    >>> kcore.ops.convert_to_numpy(kcore.layers.Maximum()([x1, x2])).tolist()
    [[3.0, 4.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.maximum(output, x)
        return output


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer: `Maximum(**kwargs)(inputs)`.

    Args:
        inputs: a list of input tensors of the same shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        The elementwise maximum of the inputs.
    """
    return Maximum(**kwargs)(inputs)
