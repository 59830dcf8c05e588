"""Contract group ``linalg`` on TensorFlow (`tf.linalg`).

Ints and bools compute in floatx; half floats compute in float32 and are cast back. Failed
factorizations raise ValueError when run eagerly.
"""

from __future__ import annotations

import contextlib

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import HALF, float_input, to_tf
from kbackend_tf._utils import promote_dtype, tf_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type


def _widen(x):
    return tf.cast(x, tf.float32) if x.dtype in HALF else x


def _wide(x):
    """`x` as a float (or complex) tensor to compute with, and the dtype of the result."""
    x = float_input(x)
    return _widen(x), x.dtype


def _wide_pair(a, b):
    dtype = promote_dtype(a, b)
    if not (is_float_dtype(dtype) or is_complex_dtype(dtype)):
        dtype = result_type(dtype, float)
    dtype = tf_dtype(dtype)
    return _widen(tf.cast(to_tf(a), dtype)), _widen(tf.cast(to_tf(b), dtype)), dtype


def _check_matrix(x, square=True):
    if x.shape.rank < 2:
        raise ValueError(f"Expected a tensor of rank >= 2, got shape {x.shape}.")
    rows, cols = x.shape[-2], x.shape[-1]
    if square and rows is not None and cols is not None and rows != cols:
        raise ValueError(f"Expected square matrices (..., M, M), got shape {x.shape}.")


def _real(dtype):
    """The dtype of the real values of a float or complex dtype."""
    return dtype.real_dtype


def _cast(x, dtype):
    return x if x.dtype == dtype else tf.cast(x, dtype)


@contextlib.contextmanager
def _failure_as_value_error(message):
    """Turns TF's eager error for a failed factorization into a ValueError."""
    try:
        yield
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(f"{message} ({error.message.strip()})") from None


def cholesky(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    message = "Cholesky decomposition failed: the input is not positive-definite."
    with _failure_as_value_error(message):
        factor = tf.linalg.cholesky(x)
    if tf.executing_eagerly() and not bool(tf.reduce_all(tf.math.is_finite(factor))):
        raise ValueError(message)
    return _cast(tf.linalg.adjoint(factor) if upper else factor, dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    identity = tf.eye(tf.shape(x)[-1], batch_shape=tf.shape(x)[:-2], dtype=x.dtype)
    inverse_factor = tf.linalg.triangular_solve(x, identity, lower=not upper)
    if upper:
        result = tf.linalg.matmul(inverse_factor, inverse_factor, adjoint_b=True)
    else:
        result = tf.linalg.matmul(inverse_factor, inverse_factor, adjoint_a=True)
    return _cast(result, dtype)


def det(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    return _cast(tf.linalg.det(x), dtype)


def eig(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    complex_dtype = tf.complex128 if dtype in (tf.float64, tf.complex128) else tf.complex64
    values, vectors = tf.linalg.eig(x)
    return _cast(values, complex_dtype), _cast(vectors, complex_dtype)


def eigh(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    values, vectors = tf.linalg.eigh(x)
    return _cast(values, _real(dtype)), _cast(vectors, dtype)


def inv(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    with _failure_as_value_error("Cannot invert a singular matrix."):
        inverse = tf.linalg.inv(x)
    return _cast(inverse, dtype)


def _swap_rows(a, k, p):
    """`a` with rows `k` (an int) and `p` (a tensor of the batch shape) swapped."""
    rows = tf.range(tf.shape(a)[-2])
    p = p[..., None]
    index = tf.where(tf.equal(rows, k), p, tf.where(tf.equal(rows, p), k, rows))
    return tf.gather(a, index, axis=-2, batch_dims=a.shape.rank - 2)


def lu_factor(x):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    rows, cols = x.shape[-2], x.shape[-1]
    if rows is None or cols is None:
        raise ValueError(f"lu_factor needs static matrix dimensions, got shape {x.shape}.")
    # Doolittle's elimination with partial pivoting, one column at a time.
    pivots = []
    a = x
    for k in range(min(rows, cols)):
        p = tf.argmax(tf.abs(a[..., k:, k]), axis=-1, output_type=tf.int32) + k
        pivots.append(p)
        a = _swap_rows(a, k, p)
        head, below = a[..., : k + 1, :], a[..., k + 1 :, :]
        factors = below[..., :, k : k + 1] / a[..., k : k + 1, k : k + 1]
        rest = below[..., :, k + 1 :] - factors * a[..., k : k + 1, k + 1 :]
        below = tf.concat([below[..., :, :k], factors, rest], axis=-1)
        a = tf.concat([head, below], axis=-2)
    return _cast(a, dtype), tf.stack(pivots, axis=-1)


def _vector_norm(x, ord, axis, keepdims):
    magnitude = tf.abs(x)
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(tf.square(magnitude), axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return tf.reduce_max(magnitude, axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return tf.reduce_min(magnitude, axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = tf.cast(tf.not_equal(magnitude, 0), magnitude.dtype)
        return tf.reduce_sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(magnitude, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors.")
    total = tf.reduce_sum(tf.pow(magnitude, float(ord)), axis=axis, keepdims=keepdims)
    return tf.pow(total, 1.0 / float(ord))


def _singular_values(x, row_axis, col_axis):
    rank = x.shape.rank
    order = [a for a in range(rank) if a not in (row_axis, col_axis)] + [row_axis, col_axis]
    moved = tf.transpose(x, order)
    return tf.linalg.svd(moved, compute_uv=False)


def _matrix_norm(x, ord, axis, keepdims):
    row_axis, col_axis = (a % x.shape.rank for a in axis)
    magnitude = tf.abs(x)
    if ord is None or ord == "fro":
        result = tf.sqrt(tf.reduce_sum(tf.square(magnitude), axis=axis))
    elif ord == "nuc":
        result = tf.reduce_sum(_singular_values(x, row_axis, col_axis), axis=-1)
    elif ord in (2, -2):
        values = _singular_values(x, row_axis, col_axis)
        result = tf.reduce_max(values, -1) if ord == 2 else tf.reduce_min(values, -1)
    elif ord in (1, -1, np.inf, -np.inf):
        summed, remaining = (row_axis, col_axis) if ord in (1, -1) else (col_axis, row_axis)
        sums = tf.reduce_sum(magnitude, axis=summed, keepdims=True)
        reduce = tf.reduce_max if ord in (1, np.inf) else tf.reduce_min
        result = tf.squeeze(reduce(sums, axis=remaining, keepdims=True), axis=axis)
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    if keepdims:
        for a in sorted((row_axis, col_axis)):
            result = tf.expand_dims(result, a)
    return result


def norm(x, ord=None, axis=None, keepdims=False):
    x, dtype = _wide(x)
    rank = x.shape.rank
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if axis is None:
        if ord is None:
            result = tf.sqrt(tf.reduce_sum(tf.square(tf.abs(x))))
            if keepdims:
                result = tf.reshape(result, [1] * rank)
            return _cast(result, _real(dtype))
        axis = 0 if rank == 1 else (0, 1)
    if isinstance(axis, (list, tuple)):
        result = _matrix_norm(x, ord, tuple(axis), keepdims)
    else:
        result = _vector_norm(x, ord, axis, keepdims)
    return _cast(result, _real(dtype))


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f'mode must be "reduced" or "complete", got mode={mode!r}.')
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return _cast(q, dtype), _cast(r, dtype)


def _solve_with(solver, a, b):
    _check_matrix(a)
    vector = b.shape.rank == a.shape.rank - 1
    if vector:
        b = b[..., None]
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    a = tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0))
    b = tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0))
    result = solver(a, b)
    return result[..., 0] if vector else result


def solve(a, b):
    a, b, dtype = _wide_pair(a, b)
    with _failure_as_value_error("Cannot solve with a singular matrix."):
        return _cast(_solve_with(tf.linalg.solve, a, b), dtype)


def solve_triangular(a, b, lower=False):
    a, b, dtype = _wide_pair(a, b)

    def solver(a, b):
        return tf.linalg.triangular_solve(a, b, lower=lower)

    return _cast(_solve_with(solver, a, b), dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    if not compute_uv:
        return _cast(tf.linalg.svd(x, compute_uv=False), _real(dtype))
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return _cast(u, dtype), _cast(s, _real(dtype)), _cast(tf.linalg.adjoint(v), dtype)


def lstsq(a, b, rcond=None):
    a, b, dtype = _wide_pair(a, b)
    if (
        a.shape.rank != 2
        or b.shape.rank not in (1, 2)
        or (a.shape[0] is not None and b.shape[0] is not None and b.shape[0] != a.shape[0])
    ):
        raise ValueError(
            f"lstsq needs a of shape (M, N) and b of shape (M,) or (M, K), got a.shape={a.shape} "
            f"and b.shape={b.shape}."
        )
    vector = b.shape.rank == 1
    rhs = b[:, None] if vector else b
    # The pseudo-inverse solution, with numpy's default cutoff for small singular values.
    s, u, v = tf.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = np.finfo(a.dtype.as_numpy_dtype).eps * max(a.shape[0] or 1, a.shape[1] or 1)
    cutoff = tf.cast(rcond, s.dtype) * tf.reduce_max(s)
    inverse_s = tf.where(s > cutoff, 1.0 / tf.where(s > cutoff, s, tf.ones_like(s)), 0.0)
    inverse_s = tf.cast(inverse_s, u.dtype)
    solution = tf.linalg.matmul(v * inverse_s[None, :], tf.linalg.matmul(u, rhs, adjoint_a=True))
    return _cast(solution[:, 0] if vector else solution, dtype)


__all__ = exported(globals())
