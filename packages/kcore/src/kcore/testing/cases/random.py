"""Conformance cases for contract group ``random``: `RANDOM_CASES` (shape, dtype, seed
determinism and sample statistics on about 10000 draws). `CASES` stays empty: random results
cannot be compared with the reference value by value."""

import math

import numpy as np

from kcore.testing.cases._case import RandomCase

CASES = []

_N = (100, 100)


def _within(low, high):
    def check(samples):
        samples = samples.astype(np.float64)
        if samples.size and (samples.min() < low or samples.max() >= high):
            raise AssertionError(
                f"samples outside [{low}, {high}): {samples.min()}, {samples.max()}"
            )

    return check


def _integers(samples):
    if not np.array_equal(samples, np.round(samples)):
        raise AssertionError("samples are not whole numbers")


def _dropout_check(rate, value):
    def check(samples):
        kept = samples != 0
        if not np.allclose(samples[kept], value / (1.0 - rate), rtol=1e-3):
            raise AssertionError(f"kept values are not scaled to {value / (1.0 - rate)}")
        if abs(kept.mean() - (1.0 - rate)) > 0.03:
            raise AssertionError(f"kept fraction {kept.mean():.3f}, expected {1.0 - rate}")

    return check


def _shared_along_axis_1(samples):
    if not (samples == samples[:, :1]).all():
        raise AssertionError("noise_shape (None, 1) must drop whole rows")


def _is_permutation(samples):
    if sorted(samples.tolist()) != list(range(samples.size)):
        raise AssertionError("shuffle must permute the input")


def _rows_permuted(samples):
    rows = sorted(samples[:, 0].tolist())
    if rows != list(range(0, 60, 3)) or not (samples == samples[:, :1] + [0, 1, 2]).all():
        raise AssertionError("shuffle along axis 0 must keep each row intact")


def _categorical_frequencies(samples):
    frequencies = np.bincount(samples.reshape(-1), minlength=3) / samples.size
    if not np.allclose(frequencies, [0.2, 0.3, 0.5], atol=0.03):
        raise AssertionError(f"class frequencies {frequencies}, expected [0.2, 0.3, 0.5]")


def _categorical_impossible(samples):
    if (samples[0] == 2).any() or not (samples[1] == 2).all():
        raise AssertionError("a class with -inf logit was drawn, or a certain class was not")


_LOGITS = np.log(np.array([[0.2, 0.3, 0.5]] * 4, dtype=np.float32))
_ARANGE = np.arange(60, dtype=np.float32).reshape(20, 3)

RANDOM_CASES = [
    RandomCase("normal", {"shape": _N}, _N, "float32", mean=0.0, std=1.0),
    RandomCase(
        "normal",
        {"shape": _N, "mean": 3.0, "stddev": 2.0, "dtype": "float64"},
        _N,
        "float64",
        mean=3.0,
        std=2.0,
        id="scaled-float64",
    ),
    RandomCase("normal", {"shape": (0, 3)}, (0, 3), "float32", id="empty"),
    RandomCase(
        "normal", {"shape": _N, "dtype": "bfloat16"}, _N, "bfloat16", mean=0.0, std=1.0, id="bf16"
    ),
    RandomCase(
        "uniform",
        {"shape": _N},
        _N,
        "float32",
        mean=0.5,
        std=math.sqrt(1 / 12),
        check=_within(0.0, 1.0),
    ),
    RandomCase(
        "uniform",
        {"shape": _N, "minval": -2.0, "maxval": 4.0, "dtype": "float16"},
        _N,
        "float16",
        mean=1.0,
        std=math.sqrt(36 / 12),
        check=_within(-2.0, 4.0),
        id="range-float16",
    ),
    RandomCase(
        "truncated_normal",
        {"shape": _N},
        _N,
        "float32",
        mean=0.0,
        std=0.8796,
        check=_within(-2.0, 2.0 + 1e-6),
    ),
    RandomCase(
        "truncated_normal",
        {"shape": _N, "mean": 1.0, "stddev": 0.5},
        _N,
        "float32",
        mean=1.0,
        std=0.5 * 0.8796,
        check=_within(0.0, 2.0 + 1e-6),
        id="scaled",
    ),
    RandomCase(
        "categorical",
        {"logits": _LOGITS, "num_samples": 2500},
        (4, 2500),
        "int32",
        check=_categorical_frequencies,
    ),
    RandomCase(
        "categorical",
        {
            "logits": np.array([[0.0, 0.0, -np.inf], [-np.inf, -np.inf, 0.0]], np.float32),
            "num_samples": 50,
            "dtype": "int64",
        },
        (2, 50),
        "int64",
        check=_categorical_impossible,
        id="impossible-classes",
    ),
    RandomCase(
        "randint",
        {"shape": _N, "minval": 0, "maxval": 10},
        _N,
        "int32",
        mean=4.5,
        std=math.sqrt((10**2 - 1) / 12),
        check=_within(0, 10),
    ),
    RandomCase(
        "randint",
        {"shape": (1000,), "minval": -5, "maxval": -2, "dtype": "int8"},
        (1000,),
        "int8",
        check=_within(-5, -2),
        id="negative-int8",
    ),
    RandomCase(
        "dropout",
        {"inputs": np.ones(_N, np.float32), "rate": 0.3},
        _N,
        "float32",
        mean=1.0,
        check=_dropout_check(0.3, 1.0),
    ),
    RandomCase(
        "dropout",
        {"inputs": np.full((200, 50), 2.0, np.float16), "rate": 0.5, "noise_shape": (None, 1)},
        (200, 50),
        "float16",
        mean=2.0,
        tolerance=0.1,
        check=_shared_along_axis_1,
        id="noise-shape-float16",
    ),
    RandomCase(
        "shuffle",
        {"x": np.arange(10000, dtype=np.int32)},
        (10000,),
        "int32",
        check=_is_permutation,
    ),
    RandomCase(
        "shuffle",
        {"x": _ARANGE, "axis": 0},
        (20, 3),
        "float32",
        check=_rows_permuted,
        id="rows",
    ),
    RandomCase(
        "gamma",
        {"shape": _N, "alpha": 2.0},
        _N,
        "float32",
        mean=2.0,
        std=math.sqrt(2.0),
        check=_within(0.0, np.inf),
    ),
    RandomCase(
        "gamma",
        {"shape": _N, "alpha": 0.5, "dtype": "float64"},
        _N,
        "float64",
        mean=0.5,
        std=math.sqrt(0.5),
        id="small-alpha",
    ),
    RandomCase(
        "binomial",
        {"shape": _N, "counts": 10, "probabilities": 0.3},
        _N,
        "float32",
        mean=3.0,
        std=math.sqrt(10 * 0.3 * 0.7),
        check=_integers,
    ),
    RandomCase(
        "binomial",
        {"shape": (1000,), "counts": 5.0, "probabilities": 0.9, "dtype": "int32"},
        (1000,),
        "int32",
        check=_within(0, 6),
        id="int32",
    ),
    RandomCase(
        "beta",
        {"shape": _N, "alpha": 2.0, "beta": 3.0},
        _N,
        "float32",
        mean=0.4,
        std=math.sqrt(2 * 3 / (25 * 6)),
        check=_within(0.0, 1.0 + 1e-6),
    ),
    RandomCase(
        "beta",
        {"shape": _N, "alpha": 0.5, "beta": 0.5, "dtype": "float64"},
        _N,
        "float64",
        mean=0.5,
        std=math.sqrt(0.25 / 2),
        id="arcsine",
    ),
]
