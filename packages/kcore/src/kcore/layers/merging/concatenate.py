"""`Concatenate` and its functional form `concatenate`: joins tensors along an axis."""

from __future__ import annotations

from kcore import ops
from kcore.layers.merging.base_merge import Merge, _check_masks


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    The inputs must have the same shape except along the concatenation axis. Their masks, if
    any, are concatenated too (an input without a mask counts as all kept).

    Args:
        axis: the axis to concatenate along (default -1).

    Example:

    >>> import numpy as np, kcore
    >>> x = np.arange(20).reshape(2, 2, 5)
    >>> y = np.arange(20, 30).reshape(2, 1, 5)
    >>> kcore.ops.shape(kcore.layers.Concatenate(axis=1)([x, y]))
    (2, 3, 5)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f"{self._where()}: A `Concatenate` layer should be called on a list of at least "
                f"1 input. Received: input_shape={input_shape}"
            )
        shapes = [tuple(s) for s in input_shape]
        error = (
            f"{self._where()}: A `Concatenate` layer requires inputs with matching shapes "
            f"except for the concatenation axis. Received: input_shape={shapes}"
        )
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ValueError(error)
        (rank,) = ranks
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._where()}: axis {self.axis} is out of range for inputs of rank {rank}. "
                f"Received: input_shape={shapes}"
            )
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in shapes} - {None}
            if len(sizes) > 1:
                raise ValueError(error)
        return shapes, axis

    def build(self, input_shape):
        self._check(input_shape)

    def _merge_function(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def call(self, inputs):
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        shapes, axis = self._check(input_shape)
        output_shape = list(shapes[0])
        for shape in shapes[1:]:
            if output_shape[axis] is None or shape[axis] is None:
                output_shape[axis] = None
                break
            output_shape[axis] += shape[axis]
        for i in range(len(output_shape)):
            if output_shape[i] is None and i != axis:
                output_shape[i] = next((s[i] for s in shapes if s[i] is not None), None)
        return tuple(output_shape)

    def compute_mask(self, inputs, mask=None):
        mask = _check_masks(inputs, mask)
        if mask is None or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(ops.ones_like(x, dtype="bool"))
            elif len(m.shape) < len(x.shape):
                # Broadcast against the input (works for symbolic inputs of unknown sizes).
                ones = ops.ones_like(x, dtype="bool")
                masks.append(ops.logical_and(ops.expand_dims(m, axis=-1), ones))
            else:
                masks.append(m)
        concatenated = ops.concatenate(masks, axis=self.axis)
        return ops.any(concatenated, axis=-1, keepdims=False)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer: `Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: a list of input tensors.
        axis: the concatenation axis.
        **kwargs: standard layer keyword arguments.

    Returns:
        The concatenation of the inputs along `axis`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
