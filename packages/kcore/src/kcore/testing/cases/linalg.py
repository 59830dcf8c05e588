"""Conformance cases for contract group ``linalg``.

Decompositions that are unique only up to signs (qr, eigh, svd vectors) or order (eig) are
compared through sign- and order-free quantities.
"""

import math

import numpy as np

from kcore.testing.cases._case import Arr, Case


def _spd(batch, n, seed, dtype=np.float32):
    """Symmetric positive-definite matrices `a @ a.T + n * I`, well conditioned."""
    a = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(*batch, n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def _well_conditioned(shape, seed):
    """Random matrices plus a dominant, decreasing diagonal: distinct singular values."""
    a = np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape)
    k = min(shape[-2:])
    index = np.arange(k)
    a[..., index, index] += 3.0 * (k - index)
    return a.astype(np.float32)


def _lower(x):
    return np.tril(x) + np.eye(x.shape[-1], dtype=x.dtype) * 2


def _assert_close(got, want, rtol=1e-4, atol=1e-4):
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        raise AssertionError(f"got {got!r}\nwant {want!r}")


def _same_up_to_sign(got, want):
    """Each result matches the reference in absolute value (columns/rows of free sign)."""
    for g, w in zip(got if isinstance(got, (tuple, list)) else [got], want):
        _assert_close(np.abs(g), np.abs(w))


def _same_eigenvalues(got, want):
    """eig: the same eigenvalues, in any order (eigenvectors have free phases)."""
    _assert_close(np.sort(np.round(got[0], 4)), np.sort(np.round(want[0], 4)))


_A = np.array([[4.0, 2.0], [2.0, 3.0]], np.float32)
_SQRT2 = math.sqrt(2.0)

CASES = [
    # cholesky / cholesky_inverse
    Case("cholesky", (_A,), expected=[[2.0, 0.0], [1.0, _SQRT2]], expected_dtype="float32"),
    Case("cholesky", (_A,), {"upper": True}, expected=[[2.0, 1.0], [0.0, _SQRT2]], id="upper"),
    Case("cholesky", (_spd((2, 3), 4, 1),), rtol=1e-4, id="batch"),
    Case("cholesky", (_spd((), 3, 2, np.float64),), expected_dtype="float64", id="float64"),
    Case(
        "cholesky_inverse",
        (np.array([[2.0, 0.0], [1.0, 1.0]], np.float32),),
        expected=[[0.5, -0.5], [-0.5, 1.0]],
        expected_dtype="float32",
    ),
    Case(
        "cholesky_inverse",
        (np.array([[2.0, 1.0], [0.0, 1.0]], np.float32),),
        {"upper": True},
        expected=[[0.5, -0.5], [-0.5, 1.0]],
        id="upper",
    ),
    Case("cholesky_inverse", (_lower(_spd((2,), 3, 3)),), rtol=1e-4, id="batch"),
    # det / inv
    Case("det", (np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),), expected=-2.0),
    Case("det", (Arr((2, 3, 3)),), rtol=1e-4, id="batch"),
    Case(
        "det",
        (np.array([[2, 1], [1, 3]], np.int32),),
        expected=5.0,
        expected_dtype="float32",
        id="int",
    ),
    Case("det", (Arr((0, 2, 2)),), id="empty-batch"),
    Case(
        "inv",
        (np.array([[4.0, 7.0], [2.0, 6.0]], np.float32),),
        expected=[[0.6, -0.7], [-0.2, 0.4]],
        expected_dtype="float32",
    ),
    Case("inv", (_spd((3,), 4, 4),), rtol=1e-4, id="batch"),
    Case("inv", (_spd((), 3, 5, np.float64),), expected_dtype="float64", id="float64"),
    # eig / eigh
    Case(
        "eig",
        (np.array([[2.0, 0.0], [0.0, 3.0]], np.float32),),
        expected=([2.0, 3.0], [[1.0, 0.0], [0.0, 1.0]]),
        expected_dtype="complex64",
        compare=_same_eigenvalues,
    ),
    Case("eig", (_spd((2,), 3, 6),), compare=_same_eigenvalues, id="symmetric"),
    Case(
        "eig",
        (np.array([[0.0, -1.0], [1.0, 0.0]], np.float64),),
        expected=([1j, -1j], [[0.70710678, 0.70710678], [-0.70710678j, 0.70710678j]]),
        expected_dtype="complex128",
        compare=_same_eigenvalues,
        id="rotation",
    ),
    Case(
        "eigh",
        (np.array([[3.0, 0.0], [0.0, 1.0]], np.float32),),
        expected=([1.0, 3.0], [[0.0, 1.0], [1.0, 0.0]]),
        expected_dtype="float32",
        compare=_same_up_to_sign,
    ),
    Case("eigh", (_spd((2,), 4, 7),), compare=_same_up_to_sign, id="batch"),
    # lu_factor
    Case(
        "lu_factor",
        (np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),),
        expected=([[3.0, 4.0], [1.0 / 3.0, 2.0 / 3.0]], [1, 1]),
        expected_dtype="float32",
    ),
    Case("lu_factor", (_well_conditioned((2, 4, 4), 8),), rtol=1e-4, id="batch"),
    Case("lu_factor", (_well_conditioned((3, 5), 9),), rtol=1e-4, id="wide"),
    Case("lu_factor", (_well_conditioned((5, 3), 10),), rtol=1e-4, id="tall"),
    # norm
    Case("norm", (np.array([3.0, 4.0], np.float32),), expected=5.0, expected_dtype="float32"),
    Case(
        "norm",
        (np.array([[1.0, -2.0], [3.0, 4.0]], np.float32),),
        {"ord": 1},
        expected=6.0,
        id="matrix-1",
    ),
    Case(
        "norm",
        (np.array([[1.0, -2.0], [3.0, 4.0]], np.float32),),
        {"ord": "fro"},
        expected=math.sqrt(30.0),
        id="fro",
    ),
    Case("norm", (Arr((2, 3, 4)),), {"ord": "nuc", "axis": (1, 2)}, rtol=1e-4, id="nuc"),
    Case("norm", (Arr((2, 3, 4)),), {"ord": np.inf, "axis": -1, "keepdims": True}, id="inf"),
    Case("norm", (Arr((3, 4)),), {"ord": 3, "axis": 0}, rtol=1e-4, id="ord3"),
    Case("norm", (Arr((3, 4)),), {"ord": 0, "axis": 1}, id="ord0"),
    Case("norm", (Arr((2, 3), "int32", -3, 3),), expected_dtype="float32", id="int"),
    Case("norm", (Arr((4,), "float16"),), expected_dtype="float16", id="float16"),
    # qr
    Case(
        "qr",
        (np.array([[3.0, 0.0], [4.0, 5.0]], np.float32),),
        expected=([[-0.6, -0.8], [-0.8, 0.6]], [[-5.0, -4.0], [0.0, 3.0]]),
        expected_dtype="float32",
        compare=_same_up_to_sign,
    ),
    Case("qr", (_well_conditioned((2, 5, 3), 11),), compare=_same_up_to_sign, id="tall"),
    Case(
        "qr",
        (_well_conditioned((5, 3), 12),),
        {"mode": "complete"},
        compare="shape",
        id="complete",
    ),
    # solve / solve_triangular / lstsq
    Case(
        "solve",
        (np.array([[3.0, 1.0], [1.0, 2.0]], np.float32), np.array([9.0, 8.0], np.float32)),
        expected=[2.0, 3.0],
        expected_dtype="float32",
    ),
    Case("solve", (_spd((2,), 3, 13), Arr((2, 3, 4))), rtol=1e-4, id="batch-matrix"),
    Case("solve", (_spd((2,), 3, 14), Arr((2, 3))), rtol=1e-4, id="batch-vector"),
    Case(
        "solve_triangular",
        (np.array([[2.0, 0.0], [1.0, 1.0]], np.float32), np.array([2.0, 3.0], np.float32)),
        {"lower": True},
        expected=[1.0, 2.0],
        expected_dtype="float32",
    ),
    Case(
        "solve_triangular",
        (np.array([[2.0, 1.0], [5.0, 1.0]], np.float32), np.array([3.0, 1.0], np.float32)),
        expected=[1.0, 1.0],
        id="upper-ignores-lower",
    ),
    Case(
        "solve_triangular",
        (_lower(_spd((2,), 3, 15)), Arr((2, 3, 2))),
        {"lower": True},
        rtol=1e-4,
        id="batch",
    ),
    Case(
        "lstsq",
        (
            np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32),
            np.array([1.0, 2.0, 3.0], np.float32),
        ),
        expected=[1.0, 2.0],
        expected_dtype="float32",
    ),
    Case("lstsq", (_well_conditioned((6, 3), 16), Arr((6, 2))), rtol=1e-4, id="overdetermined"),
    # svd
    Case(
        "svd",
        (np.array([[3.0, 0.0], [0.0, 4.0]], np.float32),),
        expected=([[0.0, 1.0], [1.0, 0.0]], [4.0, 3.0], [[0.0, 1.0], [1.0, 0.0]]),
        expected_dtype="float32",
        compare=_same_up_to_sign,
    ),
    Case(
        "svd",
        (np.array([[3.0, 0.0], [0.0, 4.0]], np.float32),),
        {"compute_uv": False},
        expected=[4.0, 3.0],
        id="values",
    ),
    Case(
        "svd",
        (_well_conditioned((2, 4, 3), 17),),
        {"full_matrices": False},
        compare=_same_up_to_sign,
        id="reduced",
    ),
    Case("svd", (_well_conditioned((4, 3), 18),), compare="shape", id="full"),
]
