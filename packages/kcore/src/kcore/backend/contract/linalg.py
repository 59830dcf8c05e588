"""Contract group ``linalg``: decompositions, inverses, solvers and norms of (batches of) matrices.

Ints and bools give floatx results; other float dtypes are kept. Several of these ops fail on
singular input, so their symbolic shapes come from explicit `output_spec` functions.
"""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("linalg")


def _float_dtype(x):
    from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type

    if is_float_dtype(x.dtype) or is_complex_dtype(x.dtype):
        return x.dtype
    return result_type(x.dtype, float)


def _pair_dtype(a, b):
    from kcore.backend.dtypes import is_complex_dtype, is_float_dtype, result_type

    dtype = result_type(a.dtype, b.dtype)
    if is_float_dtype(dtype) or is_complex_dtype(dtype):
        return dtype
    return result_type(dtype, float)


def _complex_dtype(x):
    return "complex128" if _float_dtype(x) in ("float64", "complex128") else "complex64"


def _matrix(x, square=True):
    if len(x.shape) < 2:
        raise ValueError(f"Expected a tensor of rank >= 2, got shape {x.shape}.")
    m, n = x.shape[-2:]
    if square and m is not None and n is not None and m != n:
        raise ValueError(f"Expected square matrices (..., M, M), got shape {x.shape}.")
    return tuple(x.shape)


def _same_spec(x, *args, **kwargs):
    from kcore.backend.keras_tensor import KerasTensor

    return KerasTensor(_matrix(x), _float_dtype(x))


def _solve_spec(a, b, *args, **kwargs):
    from kcore.backend.keras_tensor import KerasTensor

    _matrix(a)
    return KerasTensor(b.shape, _pair_dtype(a, b))


def _eig_spec(x):
    from kcore.backend.keras_tensor import KerasTensor

    shape = _matrix(x)
    return KerasTensor(shape[:-1], _complex_dtype(x)), KerasTensor(shape, _complex_dtype(x))


def _lu_spec(x):
    from kcore.backend.keras_tensor import KerasTensor

    shape = _matrix(x, square=False)
    m, n = shape[-2:]
    k = None if m is None or n is None else min(m, n)
    return KerasTensor(shape, _float_dtype(x)), KerasTensor((*shape[:-2], k), "int32")


def _lstsq_spec(a, b, rcond=None):
    from kcore.backend.keras_tensor import KerasTensor

    _matrix(a, square=False)
    return KerasTensor((a.shape[-1], *b.shape[1:]), _pair_dtype(a, b))


@group.required(output_spec=_same_spec)
def cholesky(x, upper=False):
    """The Cholesky factor of positive-definite `x` (..., M, M): lower `L` with `x = L @ L^T`,
    or upper `U` with `x = U^T @ U` when `upper`. Raises ValueError when `x` is not positive-definite.
    """


@group.required(output_spec=_same_spec)
def cholesky_inverse(x, upper=False):
    """The inverse of `A = x @ x^T` (`x^T @ x` when `upper`), given its Cholesky factor `x`."""


@group.required
def det(x):
    """The determinant of (a batch of) square matrices: shape `x.shape[:-2]`."""


@group.required(output_spec=_eig_spec)
def eig(x):
    """Eigenvalues `(..., M)` and right eigenvectors `(..., M, M)` (as columns) of square `x`;
    both complex (complex64, or complex128 for float64 input), in no particular order."""


@group.required
def eigh(x):
    """Eigenvalues (ascending, `(..., M)`) and orthonormal eigenvectors (columns, `(..., M, M)`) of
    symmetric / Hermitian `x`, reading its lower triangle."""


@group.required(output_spec=_same_spec)
def inv(x):
    """The inverse of (a batch of) square matrices; raises ValueError for singular ones."""


@group.required(output_spec=_lu_spec)
def lu_factor(x):
    """LU decomposition with partial pivoting of `x` (..., M, N): `(lu, pivots)` as LAPACK's getrf
    gives them (`L` unit-diagonal below, `U` above; row `i` swapped with row `pivots[i]`, int32)."""


@group.required
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm as `numpy.linalg.norm` defines it (`ord` None, "fro", "nuc", inf, -inf,
    or a number; `axis` an int or a pair of ints). Ints and bools give floatx."""


@group.required
def qr(x, mode="reduced"):
    """QR decomposition of `x` (..., M, N): `(q, r)`, shapes `(M, K), (K, N)` with `K = min(M, N)`
    for `mode="reduced"`, `(M, M), (M, N)` for `"complete"`."""


@group.required(output_spec=_solve_spec)
def solve(a, b):
    """The solution `x` of `a @ x = b` for square `a` (..., M, M) and `b` (..., M) or (..., M, N)."""


@group.required(output_spec=_solve_spec)
def solve_triangular(a, b, lower=False):
    """Like `solve`, for triangular `a`: reads only its upper triangle (lower one when `lower`)."""


@group.required
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u @ diag(s) @ vh`: `(u, s, vh)`, singular values in
    descending order; `s` alone when `compute_uv=False`."""


@group.required(output_spec=_lstsq_spec)
def lstsq(a, b, rcond=None):
    """The least-squares solution `x` (N,) or (N, K) of `a @ x = b` for `a` (M, N) and `b` (M,) or
    (M, K); singular values below `rcond * max(s)` count as zero (default `eps * max(M, N)`)."""
