"""`Input` and `InputLayer`: where a Functional model's graph starts."""

from __future__ import annotations

from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.layer import Layer
from kcore.ops.node import Node


class InputLayer(Layer):
    """The layer behind `kcore.Input`: it has no weights and outputs a symbolic `KerasTensor`.

    Args:
        shape: the shape of one sample, without the batch axis (e.g. ``(784,)``).
        batch_size: the fixed batch size, or None.
        dtype: the input's dtype (default floatx).
        sparse, ragged: must be False (kcore has no sparse or ragged inputs yet).
        batch_shape: the full shape including the batch axis (instead of `shape`).
        input_tensor: an existing `KerasTensor` to use as the input.
        optional: whether the input may be None.
        name: the layer's name (default ``input_layer``, made unique).
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        from kcore import config
        from kcore.backend.dtypes import standardize_dtype

        ragged = kwargs.pop("ragged", False)
        kwargs.pop("input_shape", None)
        super().__init__(name=name, **kwargs)
        if sparse or ragged:
            raise ValueError(
                f"InputLayer {self.name!r}: sparse and ragged inputs are not supported by kcore "
                "yet; pass dense arrays."
            )
        if shape is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `shape` and `batch_shape` at the same time to Input."
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"input_tensor must be a KerasTensor, got {type(input_tensor).__name__}."
                )
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        if batch_shape is None:
            if shape is None:
                raise ValueError(
                    "You must pass a `shape` argument to Input (the shape of one sample, e.g. "
                    "shape=(784,))."
                )
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size, *tuple(shape))
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = standardize_dtype(dtype or config.floatx())
        self.sparse = False
        self.optional = optional
        tensor = input_tensor or KerasTensor(self._batch_shape, dtype=self._dtype, name=self.name)
        self.output = tensor
        Node(self, (), {}, tensor)
        self.built = True

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._dtype

    def call(self):
        return self.output

    def get_config(self) -> dict:
        return {
            "batch_shape": self._batch_shape,
            "dtype": self._dtype,
            "sparse": self.sparse,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
):
    """A symbolic input of a Functional model.

    Args:
        shape: the shape of one sample, without the batch axis.
        batch_size: the fixed batch size, or None.
        dtype: the dtype (default floatx).
        sparse: must be falsy.
        batch_shape: the full shape including the batch axis (instead of `shape`).
        name: the input's name (unique in a model).
        tensor: an existing `KerasTensor` to wrap.
        optional: whether the input may be None.

    Example:

    >>> import kcore
    >>> x = kcore.Input(shape=(784,))
    >>> x.shape
    (None, 784)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer.output
