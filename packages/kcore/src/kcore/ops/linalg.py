"""`kcore.ops.linalg`: the linalg ops, generated from the backend contract (`kcore.backend.contract.linalg`)."""

from kcore.ops._dispatch import export_group
from kcore.ops.core import jvp

__all__ = [*export_group("linalg", globals()), "jvp"]
