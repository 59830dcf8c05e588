"""Categorical encodings shared by the feature preprocessing layers: integer indices to one-hot,
multi-hot, count and TF-IDF vectors, written with `kcore.ops` so they run inside models on every
backend.

Example:

>>> import kcore
>>> from kcore.layers.preprocessing._encoding import encode
>>> kcore.ops.convert_to_numpy(encode([[0, 2], [1, 1]], "count", depth=3, dtype="float32")).tolist()
[[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]]
"""

from __future__ import annotations

from kcore import ops
from kcore.backend import standardize_dtype


def validate_choice(value, allowed, caller, arg_name, allow_none=False, allow_callables=False):
    """Raises a ValueError naming `caller`, `arg_name`, the allowed values and the one received,
    unless `value` is one of `allowed` (or None / a callable where those are allowed)."""
    if allow_none and value is None:
        return
    if allow_callables and callable(value):
        return
    if isinstance(value, str) and value in allowed:
        return
    extra = " or None" if allow_none else ""
    extra += " or a callable" if allow_callables else ""
    raise ValueError(
        f"Unknown value for `{arg_name}` argument of {caller}. Allowed values are: "
        f"{tuple(allowed)}{extra}. Received: {arg_name}={value!r}"
    )


def encode(indices, output_mode, depth, dtype, count_weights=None, idf_weights=None):
    """Encodes integer `indices` in [0, depth) as Keras's categorical output modes do.

    Args:
        indices: an integer tensor (or array-like); a scalar counts as one sample.
        output_mode: ``"int"`` (cast only), ``"one_hot"`` (a new last axis of size `depth`; a
            last axis of size 1 is replaced), ``"multi_hot"`` / ``"count"`` / ``"tf_idf"`` (the
            sample axis, axis 1 of a batch or axis 0 of a single sample, is reduced to a vector of
            size `depth`).
        depth: the number of categories. Indices outside [0, depth) encode to zeros.
        dtype: the output dtype (``"count"`` with `count_weights` uses the weights' dtype).
        count_weights: weights of each index in ``"count"`` mode, shaped like `indices`.
        idf_weights: the per-category weights that ``"tf_idf"`` multiplies the counts by.
    """
    indices = ops.convert_to_tensor(indices)
    if output_mode == "int":
        return ops.cast(indices, dtype)
    if ops.ndim(indices) == 0:
        indices = ops.expand_dims(indices, -1)
    shape = ops.shape(indices)
    if output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    axis = 1 if len(shape) > 1 else 0
    if output_mode == "multi_hot":
        return ops.max(ops.one_hot(indices, depth, dtype=dtype), axis=axis)
    if count_weights is not None:
        dtype = standardize_dtype(count_weights.dtype)
    encoded = ops.one_hot(indices, depth, dtype=dtype)
    if count_weights is not None:
        encoded = ops.multiply(encoded, ops.expand_dims(count_weights, -1))
    counts = ops.sum(encoded, axis=axis)
    if output_mode == "tf_idf":
        weights = ops.convert_to_tensor(idf_weights)
        counts = ops.multiply(ops.cast(counts, weights.dtype), weights)
    return counts


def encoded_shape(input_shape, output_mode, depth) -> tuple:
    """The shape `encode` gives for inputs of `input_shape` (None for unknown dimensions)."""
    shape = tuple(input_shape)
    if output_mode == "int":
        return shape
    if not shape:
        shape = (1,)
    if output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    if len(shape) == 1:
        return (depth,)
    return (shape[0], *shape[2:], depth)
