"""Contract group ``linalg`` on numpy.

Every function computes in float64 (complex128 for complex input) and casts the result back to the
input's float dtype, so the reference is as exact as numpy's LAPACK allows.
"""

from __future__ import annotations

import numpy as np

from kcore.backend.contract import exported
from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type
from kcore.backend.numpy._utils import float_result, np_dtype, promotion_key, to_array


def _wide(x):
    """`x` in float64 (complex128 if complex), and the float dtype of the result."""
    x = float_result(x)
    wide = np.complex128 if x.dtype.kind == "c" else np.float64
    return x.astype(wide), x.dtype


def _wide_pair(a, b):
    dtype = result_type(promotion_key(a), promotion_key(b))
    if not (is_float_dtype(dtype) or is_complex_dtype(dtype)):
        dtype = result_type(dtype, float)
    dtype = np_dtype(dtype)
    wide = np.complex128 if dtype.kind == "c" else np.float64
    return to_array(a).astype(wide), to_array(b).astype(wide), dtype


def _check_matrix(x, square=True):
    if x.ndim < 2:
        raise ValueError(f"Expected a tensor of rank >= 2, got shape {x.shape}.")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected square matrices (..., M, M), got shape {x.shape}.")


def _real(dtype):
    """The real dtype of the values of a float or complex dtype."""
    return {np.dtype(np.complex64): np.float32, np.dtype(np.complex128): np.float64}.get(
        np.dtype(dtype), dtype
    )


def _transpose(x):
    return np.conj(np.swapaxes(x, -1, -2))


def cholesky(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    try:
        factor = np.linalg.cholesky(x)
    except np.linalg.LinAlgError as error:
        raise ValueError(
            f"Cholesky decomposition failed: the input is not positive-definite ({error})."
        ) from None
    return (_transpose(factor) if upper else factor).astype(dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    identity = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inverse_factor = solve_triangular(x, identity, lower=not upper).astype(x.dtype)
    if upper:
        result = inverse_factor @ _transpose(inverse_factor)
    else:
        result = _transpose(inverse_factor) @ inverse_factor
    return result.astype(dtype)


def det(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    return np.asarray(np.linalg.det(x)).astype(dtype)


def eig(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    complex_dtype = np.complex128 if dtype in (np.float64, np.complex128) else np.complex64
    values, vectors = np.linalg.eig(x)
    return values.astype(complex_dtype), vectors.astype(complex_dtype)


def eigh(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    values, vectors = np.linalg.eigh(x)
    return values.astype(_real(dtype)), vectors.astype(dtype)


def inv(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    try:
        return np.linalg.inv(x).astype(dtype)
    except np.linalg.LinAlgError as error:
        raise ValueError(f"Cannot invert a singular matrix ({error}).") from None


def _lu_in_place(matrix, pivots):
    """Doolittle elimination with partial pivoting on one (M, N) matrix, as LAPACK's getrf."""
    for j in range(pivots.shape[0]):
        p = j + int(np.argmax(np.abs(matrix[j:, j])))
        pivots[j] = p
        if p != j:
            matrix[[j, p]] = matrix[[p, j]]
        if matrix[j, j] != 0:
            matrix[j + 1 :, j] /= matrix[j, j]
        matrix[j + 1 :, j + 1 :] -= np.outer(matrix[j + 1 :, j], matrix[j, j + 1 :])


def lu_factor(x):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    m, n = x.shape[-2:]
    matrices = x.reshape(-1, m, n).copy()
    pivots = np.zeros((matrices.shape[0], min(m, n)), dtype=np.int32)
    for matrix, pivot in zip(matrices, pivots):
        _lu_in_place(matrix, pivot)
    batch = x.shape[:-2]
    return matrices.reshape(x.shape).astype(dtype), pivots.reshape(*batch, min(m, n))


def norm(x, ord=None, axis=None, keepdims=False):
    x, dtype = _wide(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    result = np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    return np.asarray(result).astype(_real(dtype))


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f'mode must be "reduced" or "complete", got mode={mode!r}.')
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    q, r = np.linalg.qr(x, mode=mode)
    return q.astype(dtype), r.astype(dtype)


def _solve_wide(a, b):
    _check_matrix(a)
    if b.ndim == a.ndim - 1:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def solve(a, b):
    a, b, dtype = _wide_pair(a, b)
    try:
        return _solve_wide(a, b).astype(dtype)
    except np.linalg.LinAlgError as error:
        raise ValueError(f"Cannot solve with a singular matrix `a` ({error}).") from None


def solve_triangular(a, b, lower=False):
    a, b, dtype = _wide_pair(a, b)
    _check_matrix(a)
    a = np.tril(a) if lower else np.triu(a)
    try:
        return _solve_wide(a, b).astype(dtype)
    except np.linalg.LinAlgError as error:
        raise ValueError(f"Cannot solve with a singular triangular `a` ({error}).") from None


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False).astype(_real(dtype))
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return u.astype(dtype), s.astype(_real(dtype)), vh.astype(dtype)


def lstsq(a, b, rcond=None):
    a, b, dtype = _wide_pair(a, b)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            f"lstsq needs a of shape (M, N) and b of shape (M,) or (M, K), got a.shape={a.shape} "
            f"and b.shape={b.shape}."
        )
    return np.linalg.lstsq(a, b, rcond=rcond)[0].astype(dtype)


__all__ = exported(globals())
