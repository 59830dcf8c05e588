"""`kcore.ops.nn`: the nn ops, generated from the backend contract (`kcore.backend.contract.nn`)."""

from kcore.ops._dispatch import export_group

__all__ = export_group("nn", globals())
