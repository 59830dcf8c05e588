"""Contract group ``numpy``."""

from __future__ import annotations

from kcore.backend.contract._spec import Group, ops

group = Group("numpy")


@group.required
def zeros(shape, dtype=None):
    """A tensor of `shape` filled with zeros; `dtype=None` means floatx."""


@group.required
def add(x1, x2):
    """Element-wise `x1 + x2`, with broadcasting and Keras type promotion (`result_type`)."""


@group.required
def matmul(x1, x2):
    """Matrix product with numpy's `matmul` semantics (batch dims broadcast, 1-D operands promoted).

    Integer and bool operands give int32 results (int8 operands too); otherwise `result_type`.
    """


@group.required
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple or None for all). Bools and small ints sum as int32."""


@group.required
def reshape(x, newshape):
    """`x` with shape `newshape`; one dim may be -1."""
