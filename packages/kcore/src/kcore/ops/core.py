"""`kcore.ops.core`: the core ops, generated from the backend contract (`kcore.backend.contract.core`)."""

from kcore.ops._dispatch import export_group

__all__ = export_group("core", globals())
