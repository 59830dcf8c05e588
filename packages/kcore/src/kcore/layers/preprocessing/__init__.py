"""Preprocessing layers: feature preprocessing (Normalization, Discretization, lookups, hashing,
TextVectorization) and, in `image_preprocessing`, image preprocessing and augmentation."""

from kcore.layers.preprocessing import image_preprocessing
from kcore.layers.preprocessing.category_encoding import CategoryEncoding
from kcore.layers.preprocessing.discretization import Discretization
from kcore.layers.preprocessing.hashed_crossing import HashedCrossing
from kcore.layers.preprocessing.hashing import Hashing
from kcore.layers.preprocessing.image_preprocessing import *  # noqa: F403
from kcore.layers.preprocessing.integer_lookup import IntegerLookup
from kcore.layers.preprocessing.normalization import Normalization
from kcore.layers.preprocessing.string_lookup import StringLookup
from kcore.layers.preprocessing.text_vectorization import TextVectorization

__all__: list[str] = [
    "CategoryEncoding",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "StringLookup",
    "TextVectorization",
    *image_preprocessing.__all__,
]
