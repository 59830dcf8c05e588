"""Conformance cases for contract group ``math``."""

import math

import numpy as np

from kcore.testing.cases._case import Arr, Case, positive, unary_dtype_cases


def _spd(batch, n, seed):
    """Symmetric positive-definite matrices `a @ a.T + n * I`, well conditioned."""
    a = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(*batch, n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(np.float32)


_IDS = np.array([0, 0, 1, 1, 2, 2], dtype=np.int32)
_DATA = np.array([1, 2, 10, 20, 100, 200], dtype=np.int32)
_UNSORTED_IDS = np.array([3, 0, -1, 0, 1, 3], dtype=np.int32)
_PREDICTIONS = np.array(
    [[0.1, 0.4, 0.6, 0.9, 0.5], [0.1, 0.7, 0.9, 0.8, 0.3], [0.1, 0.6, 0.9, 0.9, 0.5]],
    dtype=np.float32,
)
_SIGNAL = np.array([0.0, 1.0, 2.0, 3.0, 4.0], dtype=np.float32)

CASES = [
    # segment_sum / segment_max
    Case("segment_sum", (_DATA, _IDS), {"num_segments": 3}, expected=[3, 30, 300]),
    Case(
        "segment_sum",
        (Arr((6, 3)), _UNSORTED_IDS),
        {"num_segments": 5},
        id="unsorted-dropped-empty",
    ),
    Case(
        "segment_sum",
        (_DATA, _IDS),
        {"sorted": True},
        expected=[3, 30, 300],
        expected_dtype="int32",
        id="inferred-count",
    ),
    Case("segment_max", (_DATA, _IDS), {"num_segments": 3}, expected=[2, 20, 200]),
    Case(
        "segment_max",
        (np.array([1.0, 5.0, -2.0], np.float32), np.array([0, 0, 2], np.int32)),
        {"num_segments": 3},
        expected=[5.0, -np.inf, -2.0],
        id="empty-segment",
    ),
    Case("segment_max", (Arr((6, 2, 3)), _UNSORTED_IDS), {"num_segments": 4}, id="unsorted"),
    # top_k / in_top_k
    Case(
        "top_k",
        (np.array([5, 2, 7, 1, 9, 3], np.int32), 3),
        expected=([9, 7, 5], [4, 2, 0]),
        expected_dtype="int32",
    ),
    Case(
        "top_k",
        (np.array([1.0, 3.0, 3.0, 2.0], np.float32), 2),
        expected=([3.0, 3.0], [1, 2]),
        id="ties",
    ),
    Case("top_k", (Arr((4, 6)), 2), id="batch"),
    Case("top_k", (Arr((3, 5), "float16"), 5), {"sorted": False}, id="float16-all"),
    Case(
        "in_top_k",
        (np.array([2, 1, 3], np.int32), _PREDICTIONS, 2),
        expected=[True, False, True],
        expected_dtype="bool",
    ),
    Case("in_top_k", (np.array([0, 4, 2, 1], np.int32), Arr((4, 5)), 1), id="k1"),
    # logsumexp
    Case(
        "logsumexp",
        (np.array([1.0, 2.0, 3.0], np.float32),),
        expected=math.log(math.exp(1) + math.exp(2) + math.exp(3)),
    ),
    Case("logsumexp", (Arr((2, 3, 4), low=-50, high=50),), {"axis": -1}, id="axis"),
    Case(
        "logsumexp",
        (Arr((2, 3, 4)),),
        {"axis": (0, 2), "keepdims": True},
        id="axes-keepdims",
    ),
    Case("logsumexp", (Arr((0, 3)),), {"axis": 0}, expected=[-np.inf] * 3, id="empty"),
    Case(
        "logsumexp",
        (np.array([[-np.inf, -np.inf], [0.0, -np.inf]], np.float32),),
        {"axis": 1},
        expected=[-np.inf, 0.0],
        id="all-inf",
    ),
    Case("logsumexp", (Arr((3, 4), "int32", -5, 5),), expected_dtype="float32", id="int"),
    # extract_sequences
    Case(
        "extract_sequences",
        (np.array([1, 2, 3, 4, 5, 6], np.int32), 3, 2),
        expected=[[1, 2, 3], [3, 4, 5]],
        expected_dtype="int32",
    ),
    Case("extract_sequences", (Arr((2, 10)), 4, 3), id="batch"),
    Case("extract_sequences", (Arr((2, 3)), 4, 1), id="too-short"),
    # fft / fft2 / ifft2
    Case(
        "fft",
        ((np.array([1.0, 2.0], np.float32), np.array([0.0, 1.0], np.float32)),),
        expected=([3.0, -1.0], [1.0, -1.0]),
        expected_dtype="float32",
    ),
    Case("fft", ((Arr((2, 8)), Arr((2, 8), low=-1)),), id="batch"),
    Case(
        "fft2",
        (
            (
                np.array([[1.0, 2.0], [2.0, 1.0]], np.float32),
                np.array([[0.0, 1.0], [1.0, 0.0]], np.float32),
            ),
        ),
        expected=([[6.0, 0.0], [0.0, -2.0]], [[2.0, 0.0], [0.0, -2.0]]),
    ),
    Case("fft2", ((Arr((2, 4, 6)), Arr((2, 4, 6), low=-1)),), rtol=1e-4, id="batch"),
    Case(
        "ifft2",
        (
            (
                np.array([[6.0, 0.0], [0.0, -2.0]], np.float32),
                np.array([[2.0, 0.0], [0.0, -2.0]], np.float32),
            ),
        ),
        expected=([[1.0, 2.0], [2.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]),
    ),
    Case("ifft2", ((Arr((3, 5, 4)), Arr((3, 5, 4), low=-1)),), id="batch"),
    # rfft / irfft
    Case(
        "rfft",
        (_SIGNAL,),
        expected=([10.0, -2.5, -2.5], [0.0, 3.4409548, 0.81229924]),
        expected_dtype="float32",
    ),
    Case(
        "rfft",
        (_SIGNAL, 3),
        expected=([3.0, -1.5], [0.0, 0.8660254]),
        id="cropped",
    ),
    Case("rfft", (Arr((3, 8)),), {"fft_length": 12}, rtol=1e-4, id="padded"),
    Case("rfft", (Arr((2, 6), "int32", -3, 3),), expected_dtype="float32", id="int"),
    Case(
        "irfft",
        ((np.array([4.0, 0.0, 0.0], np.float32), np.zeros(3, np.float32)),),
        expected=[1.0, 1.0, 1.0, 1.0],
        expected_dtype="float32",
    ),
    Case("irfft", ((Arr((2, 5)), Arr((2, 5))),), {"fft_length": 9}, id="odd-length"),
    Case("irfft", ((Arr((2, 5)), Arr((2, 5))),), id="default-length"),
    # stft / istft
    Case(
        "stft",
        (_SIGNAL, 3, 2, 3),
        expected=(
            [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]],
            [[0.0, 0.64951905], [0.0, 0.64951905], [0.0, -0.64951905]],
        ),
    ),
    Case("stft", (Arr((2, 32)), 8, 4, 16), {"window": "hamming", "center": False}, id="hamming"),
    Case("stft", (Arr((2, 30), "float64"), 10, 3, 16), {"window": None}, id="no-window"),
    Case(
        "stft",
        (Arr((25,)), 6, 2, 8),
        {"window": np.linspace(0.5, 1.0, 6, dtype=np.float32)},
        id="tensor-window",
    ),
    Case(
        "istft",
        ((np.array([[4.0, 0, 0], [8.0, 0, 0]], np.float32), np.zeros((2, 3), np.float32)), 4, 4),
        {"fft_length": 4, "window": None, "center": False},
        expected=[1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0],
        expected_dtype="float32",
    ),
    Case("istft", ((Arr((2, 5, 9)), Arr((2, 5, 9))), 16, 4, 16), id="hann"),
    Case(
        "istft",
        ((Arr((6, 9)), Arr((6, 9))), 12, 3, 16),
        {"length": 20, "window": "hamming", "center": False},
        id="length",
    ),
    # rsqrt / erf / erfinv
    Case(
        "rsqrt",
        (np.array([1.0, 4.0, 16.0], np.float32),),
        expected=[1.0, 0.5, 0.25],
        expected_dtype="float32",
    ),
    Case("rsqrt", (positive((3, 4)),), id="positive"),
    Case("rsqrt", (Arr((4,), "int32", 1, 9),), expected_dtype="float32", id="int"),
    *unary_dtype_cases("rsqrt", ["float16", "bfloat16"], low=0.1, high=4.0),
    Case(
        "erf",
        (np.array([0.0, 1.0, -3.0, 0.5], np.float32),),
        expected=[0.0, 0.8427007929497149, -0.9999779095030014, 0.5204998778130465],
        expected_dtype="float32",
    ),
    Case("erf", (Arr((3, 4), low=-4, high=4),), id="range"),
    Case("erf", (Arr((4,), "int32", -2, 2),), expected_dtype="float32", id="int"),
    *unary_dtype_cases("erf", ["float16", "bfloat16", "float64"]),
    Case(
        "erfinv",
        (np.array([0.0, 0.5, -0.2, 1.0, -1.0, 2.0], np.float32),),
        expected=[0.0, 0.4769362762044699, -0.17914345462129166, np.inf, -np.inf, np.nan],
        expected_dtype="float32",
    ),
    Case("erfinv", (Arr((3, 5), low=-0.999, high=0.999),), rtol=1e-4, id="range"),
    *unary_dtype_cases("erfinv", ["float16", "float64"], low=-0.9, high=0.9),
    # logdet
    Case(
        "logdet",
        (np.array([[2.0, 0.0], [0.0, 3.0]], np.float32),),
        expected=math.log(6.0),
        expected_dtype="float32",
    ),
    Case("logdet", (_spd((2, 3), 4, 0),), rtol=1e-4, id="batch"),
    # view_as_complex / view_as_real
    Case(
        "view_as_complex",
        (np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),),
        expected=[1 + 2j, 3 + 4j],
        expected_dtype="complex64",
    ),
    Case("view_as_complex", (Arr((3, 4, 2), "float64"),), expected_dtype="complex128", id="f64"),
    Case(
        "view_as_real",
        (np.array([1 + 2j, 3 + 4j], np.complex64),),
        expected=[[1.0, 2.0], [3.0, 4.0]],
        expected_dtype="float32",
    ),
    Case("view_as_real", (Arr((2, 3), "complex128"),), expected_dtype="float64", id="c128"),
]
