"""Preprocessing layers: feature preprocessing (Normalization, Discretization, lookups, hashing,
TextVectorization) and, in `image_preprocessing`, image preprocessing and augmentation."""

from kcore.layers.preprocessing import image_preprocessing
from kcore.layers.preprocessing.image_preprocessing import *  # noqa: F403

__all__: list[str] = [*image_preprocessing.__all__]
