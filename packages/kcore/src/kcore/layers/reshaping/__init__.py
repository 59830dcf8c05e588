"""The reshaping layers: Flatten, Reshape, Permute, RepeatVector."""

from kcore.layers.reshaping.flatten import Flatten
from kcore.layers.reshaping.permute import Permute
from kcore.layers.reshaping.repeat_vector import RepeatVector
from kcore.layers.reshaping.reshape import Reshape

__all__ = [
    "Flatten",
    "Permute",
    "RepeatVector",
    "Reshape",
]
