"""`kcore.ops.numpy`: the numpy ops, generated from the backend contract (`kcore.backend.contract.numpy`)."""

from kcore.ops._dispatch import export_group

__all__ = export_group("numpy", globals())
