"""Contract group ``numpy``, part two: creation, shape manipulation, indexing, sorting, products."""

from __future__ import annotations

from kcore.backend.contract._spec import ops  # noqa: F401  (composed fallbacks use it)
from kcore.backend.contract.numpy import group


@group.required
def zeros(shape, dtype=None):
    """A tensor of `shape` filled with zeros; `dtype=None` means floatx."""


@group.required
def matmul(x1, x2):
    """Matrix product with numpy's `matmul` semantics (batch dims broadcast, 1-D operands promoted).

    Integer and bool operands give int32 results (int8 operands too); otherwise `result_type`.
    """


@group.required
def reshape(x, newshape):
    """`x` with shape `newshape`; one dim may be -1."""
