"""Helpers of the reduction, product, nn, math, linalg, random, image and rnn modules, on top of
`kbackend_tf._utils`: computing float ops in a wide enough dtype, shapes that may be partly unknown
(inside `tf.function`), and argument normalization."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kbackend_tf._utils import dtype_name, float_array, tf_dtype, to_tf, widen
from kcore.backend.dtypes import result_type

HALF = (tf.float16, tf.bfloat16)

float_input = float_array

__all__ = [
    "HALF",
    "as_tuple",
    "compute_dtype",
    "dtype_name",
    "float_input",
    "float_op",
    "moveaxis",
    "pair_float_dtype",
    "shape_of",
    "take_along_axis",
    "tf_dtype",
    "to_tf",
    "widen",
]


def float_op(fn, x):
    """`fn` on `x` as floats (half floats computed in float32), cast back to `x`'s float dtype."""
    x = float_array(x)
    if x.dtype in HALF:
        return tf.cast(fn(tf.cast(x, tf.float32)), x.dtype)
    return fn(x)


def pair_float_dtype(a, b) -> str:
    """The float result dtype of a binary op on `a` and `b` (ints and bools give floatx)."""
    return result_type(dtype_name(a), dtype_name(b), float)


def compute_dtype(dtype) -> tf.DType:
    """The dtype to compute a `dtype` float result in: half floats in float32, others as is."""
    dtype = tf_dtype(dtype)
    return tf.float32 if dtype in HALF else dtype


def as_tuple(value, n, name):
    """An int or a sequence of `n` ints as a tuple of `n` ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, got {value!r}.")
    return value


def shape_of(x):
    """The shape of `x` as a list: static ints where known, scalar tensors where not."""
    static = x.shape.as_list()
    if all(d is not None for d in static):
        return static
    dynamic = tf.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(static)]


def moveaxis(x, source: int, destination: int):
    """`x` with axis `source` moved to position `destination` (the rank must be known)."""
    rank = x.shape.rank
    source, destination = source % rank, destination % rank
    if source == destination:
        return x
    order = [i for i in range(rank) if i != source]
    order.insert(destination, source)
    return tf.transpose(x, order)


def take_along_axis(x, indices, axis: int):
    """`np.take_along_axis` for `indices` of the rank of `x` (broadcast on the other axes)."""
    rank = x.shape.rank
    axis = axis % rank
    x = moveaxis(x, axis, -1)
    indices = moveaxis(indices, axis, -1)
    batch_shape = tf.broadcast_dynamic_shape(tf.shape(x)[:-1], tf.shape(indices)[:-1])
    x = tf.broadcast_to(x, tf.concat([batch_shape, tf.shape(x)[-1:]], 0))
    indices = tf.broadcast_to(indices, tf.concat([batch_shape, tf.shape(indices)[-1:]], 0))
    gathered = tf.gather(x, indices, axis=-1, batch_dims=rank - 1)
    return moveaxis(gathered, -1, axis)
