"""`Merge`: the base of the layers that combine a list of tensors elementwise."""

from __future__ import annotations

from kcore import ops
from kcore.backend import result_type
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


class Merge(Layer):
    """Generic merge layer for elementwise merge functions (`Add`, `Average`, ...).

    It is called on a list of tensors whose non-batch shapes broadcast together (inputs of lower
    rank get size-1 axes inserted after the batch axis). The output mask, when every input has
    one, is their logical OR (a position is kept when any input keeps it), as in Keras 3.

    Subclasses implement `_merge_function(inputs)`.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _where(self) -> str:
        return f'Layer "{self.name}" ({type(self).__name__})'

    def _check_list(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(_is_shape(s) for s in input_shape)
        ):
            raise ValueError(
                f"{self._where()}: a merge layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )

    def _compute_elemwise_op_output_shape(self, shape1, shape2):
        """The broadcast shape of two non-batch shapes (None for an unknown one)."""
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            return self._compute_elemwise_op_output_shape(shape2, shape1)
        if not shape2:
            return tuple(shape1)
        output_shape = list(shape1[: -len(shape2)])
        for i, j in zip(shape1[-len(shape2) :], shape2):
            if i is None or j is None:
                output_shape.append(None)
            elif i == 1:
                output_shape.append(j)
            elif j == 1 or i == j:
                output_shape.append(i)
            else:
                raise ValueError(
                    f"{self._where()}: Inputs have incompatible shapes. Received shapes "
                    f"{tuple(shape1)} and {tuple(shape2)}"
                )
        return tuple(output_shape)

    def _merged_shape(self, input_shape):
        output_shape = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output_shape = self._compute_elemwise_op_output_shape(output_shape, tuple(shape[1:]))
        return output_shape

    def build(self, input_shape):
        self._check_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"{self._where()}: Cannot merge tensors with different batch sizes. Received "
                f"tensors with shapes {[tuple(s) for s in input_shape]}"
            )
        self._merged_shape(input_shape)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._where()}: a merge layer should be called on a list of inputs. "
                f"Received: inputs={inputs} (not a list of tensors)"
            )
        ranks = [len(x.shape) for x in inputs]
        if len(set(ranks)) > 1:
            # Lower-rank inputs get size-1 axes after the batch axis, to broadcast.
            top = max(ranks)
            expanded = []
            for x, rank in zip(inputs, ranks):
                for _ in range(top - rank):
                    x = ops.expand_dims(x, axis=1)
                expanded.append(x)
            inputs = expanded
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        output_shape = self._merged_shape(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch, *output_shape)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        return KerasTensor(shape, dtype=result_type(*[x.dtype for x in inputs]))

    def compute_mask(self, inputs, mask=None):
        mask = _check_masks(inputs, mask)
        if mask is None or any(m is None for m in mask):
            return None
        output_mask = mask[0]
        for m in mask[1:]:
            output_mask = ops.logical_or(output_mask, m)
        return output_mask


def _check_masks(inputs, mask):
    """`mask` as a list matching `inputs` (None when there is no mask at all)."""
    if mask is None:
        return None
    if not isinstance(mask, (tuple, list)):
        raise ValueError(f"`mask` should be a list. Received: mask={mask}")
    if not isinstance(inputs, (tuple, list)):
        raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
    if len(mask) != len(inputs):
        raise ValueError(
            "The lists `inputs` and `mask` should have the same length. Received: "
            f"inputs={inputs} of length {len(inputs)}, and mask={mask} of length {len(mask)}"
        )
    return list(mask)
