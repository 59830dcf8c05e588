"""`Subtract` and its functional form `subtract`: the difference of two tensors."""

from __future__ import annotations

from kcore import ops
from kcore.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Performs elementwise subtraction: `inputs[0] - inputs[1]`.

    It takes a list of exactly two tensors of the same (or broadcastable) shape.

    Example:

    >>> import kcore
    >>> x1, x2 = kcore.ops.array([[5.0, 2.0]]), kcore.ops.array([[3.0, 4.0]])
    >>> kcore.ops.convert_to_numpy(kcore.layers.Subtract()([x1, x2])).tolist()
    [[2.0, -2.0]]
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"{self._where()}: A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"{self._where()}: A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: inputs={inputs}"
            )
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: a list of exactly two input tensors of the same shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        `inputs[0] - inputs[1]`.
    """
    return Subtract(**kwargs)(inputs)
