"""Contract group ``linalg`` on torch (`torch.linalg`).

Ints and bools compute in floatx; half floats compute in float32 and are cast back.
"""

from __future__ import annotations

import torch

from kbackend_torch._compute import float_input, to_torch, torch_dtype, widen
from kbackend_torch._utils import promote_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type


def _wide(x):
    """`x` as a float (or complex) tensor to compute with, and the dtype of the result."""
    x = float_input(x)
    return widen(x), x.dtype


def _wide_pair(a, b):
    dtype = promote_dtype(a, b)
    if not (is_float_dtype(dtype) or is_complex_dtype(dtype)):
        dtype = result_type(dtype, float)
    dtype = torch_dtype(dtype)
    a = to_torch(a).to(dtype)
    return widen(a), widen(to_torch(b).to(device=a.device, dtype=dtype)), dtype


def _check_matrix(x, square=True):
    if x.ndim < 2:
        raise ValueError(f"Expected a tensor of rank >= 2, got shape {tuple(x.shape)}.")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected square matrices (..., M, M), got shape {tuple(x.shape)}.")


def _real(dtype):
    """The dtype of the real values of a float or complex dtype."""
    return dtype.to_real() if dtype.is_complex else dtype


def _raise_on_error(info, message):
    """Raises ValueError when a factorization reports failure (`info` nonzero somewhere)."""
    if bool(torch.any(info != 0)):
        raise ValueError(message)


def cholesky(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    factor, info = torch.linalg.cholesky_ex(x, upper=upper)
    _raise_on_error(info, "Cholesky decomposition failed: the input is not positive-definite.")
    return factor.to(dtype)


def cholesky_inverse(x, upper=False):
    x, dtype = _wide(x)
    _check_matrix(x)
    return torch.cholesky_inverse(x, upper=upper).to(dtype)


def det(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    return torch.linalg.det(x).to(dtype)


def eig(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    complex_dtype = (
        torch.complex128 if dtype in (torch.float64, torch.complex128) else torch.complex64
    )
    values, vectors = torch.linalg.eig(x)
    return values.to(complex_dtype), vectors.to(complex_dtype)


def eigh(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    values, vectors = torch.linalg.eigh(x, UPLO="L")
    return values.to(_real(dtype)), vectors.to(dtype)


def inv(x):
    x, dtype = _wide(x)
    _check_matrix(x)
    inverse, info = torch.linalg.inv_ex(x)
    _raise_on_error(info, "Cannot invert a singular matrix.")
    return inverse.to(dtype)


def lu_factor(x):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    lu, pivots = torch.linalg.lu_factor(x)
    # torch's pivots are 1-based (LAPACK's); the contract's are 0-based.
    return lu.to(dtype), (pivots - 1).int()


def norm(x, ord=None, axis=None, keepdims=False):
    x, dtype = _wide(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None and ord is None:
        result = torch.linalg.vector_norm(x, 2)
        if keepdims:
            result = result.reshape([1] * x.ndim)
    else:
        result = torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)
    return result.to(_real(dtype))


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f'mode must be "reduced" or "complete", got mode={mode!r}.')
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    q, r = torch.linalg.qr(x, mode=mode)
    return q.to(dtype), r.to(dtype)


def _solve_with(solver, a, b):
    _check_matrix(a)
    if b.ndim == a.ndim - 1:
        return solver(a, b[..., None])[..., 0]
    return solver(a, b)


def solve(a, b):
    a, b, dtype = _wide_pair(a, b)
    return _solve_with(torch.linalg.solve, a, b).to(dtype)


def solve_triangular(a, b, lower=False):
    a, b, dtype = _wide_pair(a, b)

    def solver(a, b):
        return torch.linalg.solve_triangular(a, b, upper=not lower)

    return _solve_with(solver, a, b).to(dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _wide(x)
    _check_matrix(x, square=False)
    if not compute_uv:
        return torch.linalg.svdvals(x).to(_real(dtype))
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u.to(dtype), s.to(_real(dtype)), vh.to(dtype)


def lstsq(a, b, rcond=None):
    a, b, dtype = _wide_pair(a, b)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            "lstsq needs a of shape (M, N) and b of shape (M,) or (M, K), got a.shape="
            f"{tuple(a.shape)} and b.shape={tuple(b.shape)}."
        )
    # The minimum-norm solution (numpy's) needs an SVD-based driver, which torch has on the CPU.
    driver = "gelsd" if a.device.type == "cpu" else None
    matrix = b[:, None] if b.ndim == 1 else b
    solution = torch.linalg.lstsq(a, matrix, rcond=rcond, driver=driver).solution
    return (solution[:, 0] if b.ndim == 1 else solution).to(dtype)


__all__ = exported(globals())
