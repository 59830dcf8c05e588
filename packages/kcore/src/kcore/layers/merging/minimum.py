"""`Minimum` and its functional form `minimum`: the elementwise minimum of a list of tensors."""

from __future__ import annotations

from kcore import ops
from kcore.layers.merging.base_merge import Merge


class Minimum(Merge):
    """Computes elementwise minimum on a list of inputs.

    It takes a list of tensors of the same (or broadcastable) shape and returns one tensor of
    that shape.

    Example:

    >>> import kcore
    >>> x1, x2 = kcore.ops.array([[1.0, 2.0]]), kcore.ops.array([[3.0, 4.0]])
    >>> kcore.ops.convert_to_numpy(kcore.layers.Minimum()([x1, x2])).tolist()
    [[1.0, 2.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.minimum(output, x)
        return output


def minimum(inputs, **kwargs):
    """Functional interface to the `Minimum` layer: `Minimum(**kwargs)(inputs)`.

    Args:
        inputs: a list of input tensors of the same shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        The elementwise minimum of the inputs.
    """
    return Minimum(**kwargs)(inputs)
