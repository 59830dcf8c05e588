"""`UnitNormalization`: scales each example to an L2 norm of 1."""

from __future__ import annotations

from kcore import ops
from kcore.backend.dtypes import is_float_dtype, standardize_dtype
from kcore.layers.layer import Layer
from kcore.layers.normalization._axes import positive_axes, standardize_axis_arg

# The smallest norm divided by: an all-zero example stays zero.
_EPSILON = 1e-12


class UnitNormalization(Layer):
    """Divides each example by its L2 norm over `axis`, so that the sum of squares over `axis`
    is 1 (an all-zero example stays zero). It has no weights.

    Args:
        axis: an int or a list of ints, the axes the norm is taken over (default: the last).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> x = np.array([[3.0, 4.0], [0.0, 0.0]], "float32")
    >>> kcore.ops.convert_to_numpy(kcore.layers.UnitNormalization()(x)).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis_arg(axis, "UnitNormalization")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = standardize_dtype(inputs.dtype)
        output_dtype = dtype if is_float_dtype(dtype) else self.compute_dtype
        # Half precision is computed in float32 (its sums of squares overflow otherwise).
        work_dtype = output_dtype if output_dtype in ("float32", "float64") else "float32"
        x = inputs if dtype == work_dtype else ops.cast(inputs, work_dtype)
        axes = positive_axes(self, self.axis, x.shape)
        squares = ops.sum(ops.square(x), axis=axes, keepdims=True)
        outputs = x * ops.minimum(ops.rsqrt(squares), 1.0 / _EPSILON)
        return outputs if work_dtype == output_dtype else ops.cast(outputs, output_dtype)

    def compute_output_shape(self, input_shape):
        positive_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
