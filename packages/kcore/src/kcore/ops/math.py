"""`kcore.ops.math`: the math ops, generated from the backend contract (`kcore.backend.contract.math`)."""

from kcore.ops._dispatch import export_group

__all__ = export_group("math", globals())
