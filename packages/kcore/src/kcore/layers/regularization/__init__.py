"""The regularization layers: Dropout."""

from kcore.layers.regularization.dropout import Dropout

__all__ = [
    "Dropout",
]
