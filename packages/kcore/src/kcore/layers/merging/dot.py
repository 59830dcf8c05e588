"""`Dot` and its functional form `dot`: the per-sample dot product of two tensors."""

from __future__ import annotations

import math

from kcore import ops
from kcore.layers.merging.base_merge import Merge


def batch_dot(x, y, axes):
    """The dot product of each sample of `x` with the same sample of `y`, over axis `axes[0]`
    of `x` and `axes[1]` of `y` (positive, not the batch axis).

    The result has `x`'s remaining axes then `y`'s (batch axis once); a result of rank 1 gets a
    trailing axis of size 1, so it is `(batch, 1)`.
    """
    x_axis, y_axis = axes
    x = ops.moveaxis(x, x_axis, -1)
    y = ops.moveaxis(y, y_axis, 1)
    x_rest = tuple(x.shape[1:-1])
    y_rest = tuple(y.shape[2:])
    batch = ops.shape(x)[0]
    x = ops.reshape(x, (batch, math.prod(x_rest), x.shape[-1]))
    y = ops.reshape(y, (batch, y.shape[1], math.prod(y_rest)))
    result = ops.matmul(x, y)
    shape = (*x_rest, *y_rest) or (1,)
    return ops.reshape(result, (batch, *shape))


class Dot(Merge):
    """Computes the dot product of the samples of two tensors.

    For inputs of shapes `(batch, 3, 5)` and `(batch, 10, 3)` and `axes=(1, 2)` the output is
    `(batch, 5, 10)`. The sizes of the two axes must match.

    Args:
        axes: an int (the same axis of both inputs) or a pair `(axis of the first, axis of the
            second)`; the batch axis 0 cannot be one of them.
        normalize: whether to L2-normalize both inputs along their dot axis first, so that the
            output is the cosine similarity.

    Example:

    >>> import numpy as np, kcore
    >>> x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    >>> y = np.arange(10, 20, dtype="float32").reshape(1, 2, 5)
    >>> kcore.ops.shape(kcore.layers.Dot(axes=(1, 2))([x, y]))
    (1, 2, 2)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize

    def _axes_for(self, shape1, shape2):
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        axes = []
        for axis, shape in zip(pair, (shape1, shape2)):
            if not -len(shape) <= axis < len(shape):
                raise ValueError(
                    f"{self._where()}: axis {axis} is out of range for an input of shape "
                    f"{tuple(shape)}."
                )
            axes.append(axis % len(shape))
        if 0 in axes:
            raise ValueError(
                f"{self._where()}: cannot take the dot product over the batch axis 0 "
                f"(axes={self.axes}, input shapes {tuple(shape1)} and {tuple(shape2)})."
            )
        return axes

    def _check(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f"{self._where()}: A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}"
            )
        shape1, shape2 = (tuple(s) for s in input_shape)
        for shape in (shape1, shape2):
            if len(shape) < 2:
                raise ValueError(
                    f"{self._where()}: Cannot do batch_dot on inputs with rank < 2. Received "
                    f"inputs with shapes {shape1} and {shape2}."
                )
        axes = self._axes_for(shape1, shape2)
        size1, size2 = shape1[axes[0]], shape2[axes[1]]
        if size1 is not None and size2 is not None and size1 != size2:
            raise ValueError(
                f"{self._where()}: Incompatible input shapes: axis values {size1} (at axis "
                f"{axes[0]}) != {size2} (at axis {axes[1]}). Full input shapes: {shape1}, "
                f"{shape2}"
            )
        return shape1, shape2, axes

    def build(self, input_shape):
        self._check(input_shape)

    def call(self, inputs):
        return self._merge_function(list(inputs))

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"{self._where()}: A `Dot` layer should be called on exactly 2 inputs. "
                f"Received: inputs={inputs}"
            )
        x1, x2 = inputs
        axes = self._axes_for(x1.shape, x2.shape)
        if self.normalize:
            x1 = ops.normalize(x1, axis=axes[0])
            x2 = ops.normalize(x2, axis=axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        shape1, shape2, axes = self._check(input_shape)
        shape1 = [d for i, d in enumerate(shape1) if i != axes[0]]
        shape2 = [d for i, d in enumerate(shape2) if i not in (0, axes[1])]
        output_shape = shape1 + shape2
        if len(output_shape) == 1:
            output_shape.append(1)
        return tuple(output_shape)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer: `Dot(axes, **kwargs)(inputs)`.

    Args:
        inputs: a list of two input tensors.
        axes: an int or a pair of ints, the axes to take the dot product over (not 0).
        **kwargs: standard layer keyword arguments (and `normalize`).

    Returns:
        The per-sample dot product of the inputs.
    """
    return Dot(axes=axes, **kwargs)(inputs)
