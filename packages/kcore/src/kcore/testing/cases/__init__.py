"""The conformance cases, one module per contract group.

Each module defines ``CASES`` (a list of `Case`) and, for random, ``RANDOM_CASES``. Every contract
function has at least one case; `kcore/tests` checks that none is missing.
"""

from kcore.testing.cases import core, image, linalg, math, nn, numpy, random, rnn
from kcore.testing.cases._case import (
    Arr,
    Case,
    RandomCase,
    positive,
    promotion_cases,
    unary_dtype_cases,
)

GROUP_MODULES = (core, numpy, nn, math, linalg, random, image, rnn)


def all_cases() -> list[Case]:
    return [case for module in GROUP_MODULES for case in getattr(module, "CASES", [])]


def all_random_cases() -> list[RandomCase]:
    return [case for module in GROUP_MODULES for case in getattr(module, "RANDOM_CASES", [])]


__all__ = [
    "Arr",
    "Case",
    "RandomCase",
    "all_cases",
    "all_random_cases",
    "positive",
    "promotion_cases",
    "unary_dtype_cases",
]
