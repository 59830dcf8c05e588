"""Contract group ``linalg`` on JAX (`jax.numpy.linalg` and `jax.scipy.linalg`).

Ints and bools compute in floatx; half floats compute in float32 and are cast back.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from kbackend_jax._compute import float_input, to_jax, widen
from kbackend_jax._utils import jnp_dtype, promote_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type


def _wide(x):
    """`x` as a float (or complex) array to compute with, and the dtype of the result."""
    x = float_input(x)
    return widen(x), x.dtype


def _wide_pair(a, b):
    dtype = promote_dtype(a, b)
    if not (is_float_dtype(dtype) or is_complex_dtype(dtype)):
        dtype = result_type(dtype, float)
    dtype = jnp_dtype(dtype)
    return widen(to_jax(a).astype(dtype)), widen(to_jax(b).astype(dtype)), dtype


def _check_matrix(x, square=True):
    if x.ndim < 2:
        raise ValueError(f"Expected a tensor of rank >= 2, got shape {x.shape}.")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected square matrices (..., M, M), got shape {x.shape}.")


def _real(dtype):
    """The dtype of the real values of a float or complex dtype."""
    return jnp.finfo(dtype).dtype


def _transpose(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _raise_if_not_finite(result, message):
    """Raises ValueError when an eager result holds NaN or inf (a failed factorization); under
    tracing the values stay in the result, as no value can be checked there."""
    if not isinstance(result, jax.core.Tracer) and not bool(jnp.all(jnp.isfinite(result))):
        raise ValueError(message)


def cholesky(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    factor = jnp.linalg.cholesky(x)
    _raise_if_not_finite(
        factor, "Cholesky decomposition failed: the input is not positive-definite."
    )
    return (_transpose(factor) if upper else factor).astype(dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    identity = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inverse_factor = jsl.solve_triangular(x, identity, lower=not upper)
    if upper:
        result = inverse_factor @ _transpose(inverse_factor)
    else:
        result = _transpose(inverse_factor) @ inverse_factor
    return result.astype(dtype)


def det(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    return jnp.linalg.det(x).astype(dtype)


def eig(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    complex_dtype = jnp.complex128 if dtype in (jnp.float64, jnp.complex128) else jnp.complex64
    values, vectors = jnp.linalg.eig(x)
    return values.astype(complex_dtype), vectors.astype(complex_dtype)


def eigh(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    values, vectors = jnp.linalg.eigh(x, UPLO="L", symmetrize_input=False)
    return values.astype(_real(dtype)), vectors.astype(dtype)


def inv(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    inverse = jnp.linalg.inv(x)
    _raise_if_not_finite(inverse, "Cannot invert a singular matrix.")
    return inverse.astype(dtype)


def lu_factor(x):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    lu, pivots, _ = jax.lax.linalg.lu(x)
    return lu.astype(dtype), pivots.astype(jnp.int32)


def norm(x, ord=None, axis=None, keepdims=False):
    x, dtype = _wide(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims).astype(_real(dtype))


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f'mode must be "reduced" or "complete", got mode={mode!r}.')
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    q, r = jnp.linalg.qr(x, mode=mode)
    return q.astype(dtype), r.astype(dtype)


def _solve_with(solver, a, b):
    _check_matrix(a)
    if b.ndim == a.ndim - 1:
        return solver(a, b[..., None])[..., 0]
    return solver(a, b)


def solve(a, b):
    a, b, dtype = _wide_pair(a, b)
    return _solve_with(jnp.linalg.solve, a, b).astype(dtype)


def solve_triangular(a, b, lower=False):
    a, b, dtype = _wide_pair(a, b)

    def solver(a, b):
        return jsl.solve_triangular(a, b, lower=lower)

    return _solve_with(solver, a, b).astype(dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False).astype(_real(dtype))
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    return u.astype(dtype), s.astype(_real(dtype)), vh.astype(dtype)


def lstsq(a, b, rcond=None):
    a, b, dtype = _wide_pair(a, b)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            f"lstsq needs a of shape (M, N) and b of shape (M,) or (M, K), got a.shape={a.shape} "
            f"and b.shape={b.shape}."
        )
    return jnp.linalg.lstsq(a, b, rcond=rcond)[0].astype(dtype)


__all__ = exported(globals())
