"""Contract group ``numpy``, part one: element-wise math, comparisons, logic, reductions, statistics."""

from __future__ import annotations

from kcore.backend.contract._spec import ops  # noqa: F401  (composed fallbacks use it)
from kcore.backend.contract.numpy import group


@group.required
def add(x1, x2):
    """Element-wise `x1 + x2`, with broadcasting and Keras type promotion (`result_type`)."""


@group.required
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple or None for all). Bools and small ints sum as int32."""
