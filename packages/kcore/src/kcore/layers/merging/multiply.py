"""`Multiply` and its functional form `multiply`: the elementwise product of a list of tensors."""

from __future__ import annotations

from kcore import ops
from kcore.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Performs elementwise multiplication.

    It takes a list of tensors of the same (or broadcastable) shape and returns one tensor of
    that shape.

    Example:

    >>> import kcore
    >>> x1, x2 = kcore.ops.array([[1.0, 2.0]]), kcore.ops.array([[3.0, 4.0]])
    >>> kcore.ops.convert_to_numpy(kcore.layers.Multiply()([x1, x2])).tolist()
    [[3.0, 8.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.multiply(output, x)
        return output


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`.

    Args:
        inputs: a list of input tensors of the same shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        The elementwise product of the inputs.
    """
    return Multiply(**kwargs)(inputs)
