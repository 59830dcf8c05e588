"""Inputs of the feature preprocessing layers: values read on the host (numpy), the batches of
`adapt` data, and the integer dtype of index outputs.

The string layers (lookups of strings, hashing, text vectorization) compute on the host: their
inputs are numpy arrays, Python lists or eager tensors, and their integer outputs come back as
backend tensors. The numeric layers compute with `kcore.ops`, and read values on the host only to
check them when they are called directly on concrete data.
"""

from __future__ import annotations

import itertools

import numpy as np

from kcore import ops
from kcore.backend import bound, capabilities, scopes
from kcore.layers import _state


def int_dtype(dtype="int64") -> str:
    """`dtype` (an integer dtype), or int32 on a backend without it (64-bit integers on JAX
    unless ``jax_enable_x64`` is set): what Keras's integer outputs become there."""
    return dtype if dtype in capabilities().dtypes else "int32"


def host_values(x, layer) -> np.ndarray:
    """`x` (numpy array, list, tuple, scalar or eager tensor) as a numpy array.

    A traced tensor (inside a compiled function) has no values to read: the backend's error is
    raised as it is (so that shape inference can fall back to running on zeros), with a note
    saying how to use the layer instead.
    """
    if isinstance(x, np.ndarray):
        return x
    if bound.is_tensor(x) or hasattr(x, "_kcore_variable"):
        try:
            return np.asarray(ops.convert_to_numpy(x))
        except Exception as error:
            if hasattr(error, "add_note"):
                error.add_note(
                    f"Layer {layer.name!r} ({type(layer).__name__}) computes on the host and needs "
                    f"concrete input values, but it received a traced tensor of shape "
                    f"{tuple(x.shape)} (it was called inside a compiled function, such as a `fit` "
                    "step). Apply the layer to your data before training (for example "
                    "`x = layer(x)`, then fit on the result), or compile the model with "
                    "`run_eagerly=True`."
                )
            raise
    return np.asarray(x)


def host_strings(x, layer, encoding="utf-8") -> np.ndarray:
    """`x` as a numpy array of `str`, decoding bytes with `encoding`.

    Raises:
        ValueError: when `x` does not hold strings.
    """
    values = host_values(x, layer)
    if values.dtype.kind == "U":
        return values
    if values.dtype.kind == "S":
        return np.char.decode(values, encoding)
    if values.dtype.kind == "O" and all(isinstance(v, (str, bytes)) for v in values.flat):
        decoded = [v.decode(encoding) if isinstance(v, bytes) else v for v in values.flat]
        return np.asarray(decoded, dtype=str).reshape(values.shape)
    raise ValueError(
        f"Layer {layer.name!r} ({type(layer).__name__}) expects strings, but received values of "
        f"dtype {values.dtype} and shape {values.shape}. Pass a numpy array or a list of `str`."
    )


def concrete_values(x, layer):
    """The values of `x` as numpy when `layer` is called directly (not as part of a model) on
    concrete data, else None: the numeric layers check their inputs only then, and run as pure
    ops inside models."""
    context = _state.get_call_context()
    if context is None or context.entry_layer is not layer or scopes.in_stateless_scope():
        return None
    try:
        return np.asarray(ops.convert_to_numpy(x))
    except Exception:
        return None


def _is_tf_dataset(data) -> bool:
    from kcore.trainers.data_adapters import is_tf_dataset

    return is_tf_dataset(data)


def is_dataset(data) -> bool:
    """Whether `data` is a `tf.data.Dataset` or a `kcore.utils.PyDataset` (batches, not arrays)."""
    from kcore.trainers.data_adapters import PyDataset

    return isinstance(data, PyDataset) or _is_tf_dataset(data)


def iterate_batches(data, steps=None):
    """The inputs of each batch of `data`: a `tf.data.Dataset`, a `kcore.utils.PyDataset` or any
    iterable of batches; from `(x, y)` or `(x, y, sample_weight)` batches, `x`. Stops after
    `steps` batches when it is set."""
    from kcore.trainers.data_adapters import PyDataset

    if isinstance(data, PyDataset):
        count = data.num_batches
        indices = itertools.count() if count is None else range(count)
        source = (data[i] for i in indices)
    else:
        source = iter(data)
    for index, batch in enumerate(source):
        if steps is not None and index >= steps:
            return
        yield batch[0] if isinstance(batch, tuple) else batch


def to_backend(values: np.ndarray):
    """A numpy result as a backend tensor (int64 narrows to int32 where the backend lacks it)."""
    if values.dtype == np.int64 and int_dtype() == "int32":
        values = values.astype(np.int32)
    return bound.convert_to_tensor(values)
