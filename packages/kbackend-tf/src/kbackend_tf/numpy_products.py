"""Contract group ``numpy`` on TensorFlow, part four: sorting and searching, products, `vectorize`.

Products of float16 and bfloat16 operands accumulate in float32 and are rounded to their dtype
once; TF has no integer matmul below 32 bits, so those operands multiply as int32.
"""

from __future__ import annotations

import re

import tensorflow as tf

from kbackend_tf._compute import HALF, moveaxis, shape_of
from kbackend_tf._utils import dtype_name, float_array, promote, tf_dtype, to_tf
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

_SMALL_INTS = (tf.bool, tf.int8, tf.uint8, tf.int16, tf.uint16)


# ---------------------------------------------------------------------------------------------
# Sorting and searching


def _sortable(x):
    """`x` in a dtype TF sorts (bools as uint8), and a function casting results back."""
    if x.dtype == tf.bool:
        return tf.cast(x, tf.uint8), lambda result: tf.cast(result, tf.bool)
    return x, lambda result: result


def sort(x, axis=-1):
    x, back = _sortable(to_tf(x))
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return back(tf.sort(x, axis=axis))


def argsort(x, axis=-1):
    x, _ = _sortable(to_tf(x))
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.cast(tf.argsort(x, axis=axis, stable=True), tf.int32)


def argpartition(x, kth, axis=-1):
    # A full stable sort is one valid partition.
    return argsort(x, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence = to_tf(sorted_sequence)
    if sorted_sequence.shape.rank != 1:
        raise ValueError(
            "searchsorted needs a 1-D sorted_sequence, got shape "
            f"{sorted_sequence.shape}; map over the leading axes with ops.vectorized_map."
        )
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted side must be 'left' or 'right', got side={side!r}")
    sorted_sequence, values = promote(sorted_sequence, values)
    sorted_sequence, _ = _sortable(sorted_sequence)
    values, _ = _sortable(values)
    found = tf.searchsorted(
        sorted_sequence[None, :], tf.reshape(values, [1, -1]), side=side, out_type=tf.int32
    )
    return tf.reshape(found, tf.shape(values))


# ---------------------------------------------------------------------------------------------
# Products


def _operands(*operands):
    """The operands as tensors of the dtype to multiply in, and the result dtype."""
    tensors = [to_tf(x) for x in operands]
    target = tf_dtype(result_type(*(dtype_name(t) for t in tensors)))
    if target in HALF:
        compute = tf.float32
    elif target in _SMALL_INTS:
        compute = tf.int32
    else:
        compute = target
    return [t if t.dtype == compute else tf.cast(t, compute) for t in tensors], target


def _done(result, target):
    return result if result.dtype == target else tf.cast(result, target)


def _matmul(x1, x2):
    """numpy's matmul of two tensors of one dtype (1-D operands as vectors)."""
    vector_1, vector_2 = x1.shape.rank == 1, x2.shape.rank == 1
    if vector_1:
        x1 = x1[None, :]
    if vector_2:
        x2 = x2[:, None]
    result = tf.linalg.matmul(x1, x2)
    if vector_1:
        result = tf.squeeze(result, -2)
    if vector_2:
        result = tf.squeeze(result, -1)
    return result


def matmul(x1, x2):
    x1, x2 = to_tf(x1), to_tf(x2)
    if x1.dtype == x2.dtype and x1.dtype in (tf.float32, tf.float64):
        return _matmul(x1, x2)
    (x1, x2), target = _operands(x1, x2)
    if target in _SMALL_INTS:
        return _matmul(x1, x2)
    return _done(_matmul(x1, x2), target)


def dot(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        result = x1 * x2
    elif x2.shape.rank == 1:
        result = tf.tensordot(x1, x2, [[x1.shape.rank - 1], [0]])
    else:
        result = tf.tensordot(x1, x2, [[x1.shape.rank - 1], [x2.shape.rank - 2]])
    return _done(result, target)


def inner(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return _done(x1 * x2, target)
    return _done(tf.tensordot(x1, x2, [[x1.shape.rank - 1], [x2.shape.rank - 1]]), target)


def outer(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    return _done(tf.reshape(x1, [-1, 1]) * tf.reshape(x2, [1, -1]), target)


def vdot(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    x1, x2 = tf.reshape(x1, [-1]), tf.reshape(x2, [-1])
    if x1.dtype.is_complex:
        x1 = tf.math.conj(x1)
    return _done(tf.reduce_sum(x1 * x2), target)


def kron(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    rank = max(x1.shape.rank, x2.shape.rank)
    x1 = tf.reshape(x1, [1] * (rank - x1.shape.rank) + shape_of(x1))
    x2 = tf.reshape(x2, [1] * (rank - x2.shape.rank) + shape_of(x2))
    # Interleave the axes: (a0, b0, a1, b1, ...), then merge each pair.
    a = tf.reshape(x1, [d for size in shape_of(x1) for d in (size, 1)])
    b = tf.reshape(x2, [d for size in shape_of(x2) for d in (1, size)])
    merged = [p * q for p, q in zip(shape_of(x1), shape_of(x2))]
    return _done(tf.reshape(a * b, merged), target)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    (x1, x2), target = _operands(x1, x2)
    a, b = moveaxis(x1, axisa, -1), moveaxis(x2, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(
            "cross needs vectors of 2 or 3 components, got shapes "
            f"{x1.shape} (axisa={axisa}) and {x2.shape} (axisb={axisb})."
        )
    a0, a1, a2 = _components(a)
    b0, b1, b2 = _components(b)
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return _done(a0 * b1 - a1 * b0, target)
    result = tf.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return _done(moveaxis(result, -1, axisc), target)


def _components(v):
    """The 3 components of vectors along the last axis (a missing third one is zero)."""
    parts = tf.unstack(v, axis=-1)
    if len(parts) == 2:
        parts.append(tf.zeros_like(parts[0]))
    return parts


def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = [list(a) if isinstance(a, (list, tuple)) else [a] for a in axes]
    (x1, x2), target = _operands(x1, x2)
    return _done(tf.tensordot(x1, x2, axes), target)


def _explicit(subscripts):
    """`subscripts` with an explicit output (numpy's implicit one: the ellipsis, then the labels
    used once, in alphabetical order), which TF needs when an ellipsis broadcasts."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        return subscripts
    labels = subscripts.replace(",", "").replace(".", "")
    once = sorted(label for label in set(labels) if labels.count(label) == 1)
    return subscripts + "->" + ("..." if "..." in subscripts else "") + "".join(once)


def einsum(subscripts, *operands, **kwargs):
    tensors, target = _operands(*operands)
    result = tf.einsum(_explicit(subscripts), *tensors, **kwargs)
    if {dtype_name(to_tf(x)) for x in operands} == {"int8"}:
        return result
    return _done(result, target)


def slogdet(x):
    x = float_array(x)
    wide = tf.cast(x, tf.float32) if x.dtype in HALF else x
    sign, logabsdet = tf.linalg.slogdet(wide)
    return _done(sign, x.dtype), _done(logabsdet, x.dtype)


# ---------------------------------------------------------------------------------------------
# Functions

_DIMS = re.compile(r"\(([^()]*)\)")


def _core_ranks(signature):
    """The number of core dims of each input and output of a gufunc `signature`."""
    inputs, outputs = signature.replace(" ", "").split("->")

    def ranks(side):
        return [len([d for d in group.split(",") if d]) for group in _DIMS.findall(side)]

    return ranks(inputs), ranks(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` mapped (`tf.vectorized_map`) over the broadcast leading dims of its positional
    tensor arguments; keyword arguments and `excluded` positions pass through as they are."""
    excluded = set(excluded or ())
    core_in, _ = _core_ranks(signature) if signature else (None, None)

    def wrapper(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [to_tf(args[i]) for i in positions]
        cores = core_in or [0] * len(tensors)
        loop_shape = tf.constant([], tf.int32)
        for tensor, core in zip(tensors, cores):
            loop_shape = tf.broadcast_dynamic_shape(
                loop_shape, tf.shape(tensor)[: tensor.shape.rank - core]
            )
        flat = [
            tf.reshape(
                tf.broadcast_to(t, tf.concat([loop_shape, tf.shape(t)[t.shape.rank - c :]], 0)),
                tf.concat([[-1], tf.shape(t)[t.shape.rank - c :]], 0),
            )
            for t, c in zip(tensors, cores)
        ]

        def call(elements):
            full = list(args)
            for i, element in zip(positions, elements):
                full[i] = element
            return pyfunc(*full, **kwargs)

        result = tf.vectorized_map(call, tuple(flat))

        def unflatten(r):
            r = to_tf(r)
            return tf.reshape(r, tf.concat([loop_shape, tf.shape(r)[1:]], 0))

        if isinstance(result, (tuple, list)):
            return tuple(unflatten(r) for r in result)
        return unflatten(result)

    return wrapper


__all__ = exported(globals())
