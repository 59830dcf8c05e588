"""The building blocks of conformance cases: inputs made on demand, and what to check."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Arr:
    """A generated input array: uniform in [low, high) (ints: integers in it), deterministic.

    `positive=True` shifts the range to [0.1, high]; `values` gives the data explicitly.
    """

    shape: tuple = ()
    dtype: str = "float32"
    low: float = -2.0
    high: float = 2.0
    values: Any = None

    def make(self, salt: str) -> np.ndarray:
        from kcore.backend.numpy._utils import np_dtype

        target = np_dtype(self.dtype)
        if self.values is not None:
            return np.array(self.values).astype(target).reshape(self.shape or np.shape(self.values))
        rng = np.random.default_rng(zlib.crc32(f"{salt}/{self.shape}/{self.dtype}".encode()))
        if self.dtype == "bool":
            return rng.random(self.shape) < 0.5
        if target.kind in "iu":
            low = max(int(self.low), int(np.iinfo(target).min))
            return rng.integers(low, int(self.high) + 1, size=self.shape).astype(target)
        data = rng.uniform(self.low, self.high, size=self.shape)
        if target.kind == "c":
            data = data + 1j * rng.uniform(self.low, self.high, size=self.shape)
        return data.astype(target)


def positive(shape=(), dtype="float32", high=2.0) -> Arr:
    """A generated array with values in [0.1, high)."""
    return Arr(tuple(shape), dtype, 0.1, high)


@dataclass
class Case:
    """One call of a contract function, checked against the numpy reference backend.

    Args:
        name: the contract function.
        args, kwargs: its arguments; `Arr` and numpy arrays become tensors of the backend under
            test, everything else (Python values, callables) passes as is.
        expected: the exact result (array-like; a tuple of them for several results), checked
            for the reference too.
        expected_dtype: the result dtype Keras's rules give (or a function returning it, evaluated
            once the backend under test is active).
        compare: "values" (default), "shape" (shape and dtype only, for results with free signs or
            order), or a function `(result, reference) -> None` that asserts.
        rtol, atol: tolerances for float32 (scaled up for float16 and bfloat16 automatically).
        symbolic: also check that the op on KerasTensors gives the eager result's shapes and dtypes.
        needs: capability flags the case needs (such as "supports_training"); skipped without them.
            When the numpy reference lacks one, the result is checked against `expected` alone.
        then: for functions that return a function (`value_and_grad`): the arguments the returned
            function is called with; its result is what is checked.
        id: a label for the test id.
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    expected: Any = None
    expected_dtype: str | Callable | None = None
    compare: str | Callable = "values"
    rtol: float = 1e-5
    atol: float = 1e-5
    symbolic: bool = True
    needs: tuple = ()
    then: tuple | None = None
    id: str | None = None

    def label(self, index: int) -> str:
        return f"{self.name}-{self.id or index}"


@dataclass
class RandomCase:
    """One call of a random contract function (whose last argument is a seed tensor).

    Checks shape, dtype, that the same seed gives the same numbers and another seed other numbers,
    and, when given, the sample `mean` and `std` (within `tolerance`).
    """

    name: str
    kwargs: dict
    shape: tuple
    dtype: str
    mean: float | None = None
    std: float | None = None
    tolerance: float = 0.05
    check: Callable | None = None
    id: str | None = None

    def label(self, index: int) -> str:
        return f"{self.name}-{self.id or index}"


def promotion_cases(name: str, pairs, shape=(2, 3), **kwargs) -> list[Case]:
    """Binary cases whose result dtype must follow `result_type` for each pair of input dtypes.

    A pair item may be a Python type (`int`, `float`) for a weak scalar operand.
    """
    from kcore.backend.dtypes import result_type

    cases = []
    for a, b in pairs:
        args = tuple(
            (1 if t is int else 0.5) if t in (int, float) else Arr(shape, t, -3, 3) for t in (a, b)
        )
        label = "-".join(t.__name__ if isinstance(t, type) else t for t in (a, b))

        def expected(a=a, b=b):
            return result_type(a, b)

        cases.append(Case(name, args, expected_dtype=expected, id=f"promote-{label}", **kwargs))
    return cases


def unary_dtype_cases(name: str, dtypes, shape=(3, 2), low=-2.0, high=2.0, **kwargs) -> list[Case]:
    """One case per input dtype."""
    return [Case(name, (Arr(shape, d, low, high),), id=d, **kwargs) for d in dtypes]
