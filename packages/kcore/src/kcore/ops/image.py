"""`kcore.ops.image`: the image ops, generated from the backend contract (`kcore.backend.contract.image`)."""

from kcore.ops._dispatch import export_group

__all__ = export_group("image", globals())
