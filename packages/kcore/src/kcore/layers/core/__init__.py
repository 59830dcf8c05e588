"""The core layers: Input, Dense, EinsumDense, Embedding, Identity, Lambda, Masking."""

from kcore.layers.core.dense import Dense
from kcore.layers.core.einsum_dense import EinsumDense
from kcore.layers.core.embedding import Embedding
from kcore.layers.core.identity import Identity
from kcore.layers.core.input_layer import Input, InputLayer
from kcore.layers.core.lambda_layer import Lambda
from kcore.layers.core.masking import Masking

__all__ = [
    "Dense",
    "EinsumDense",
    "Embedding",
    "Identity",
    "Input",
    "InputLayer",
    "Lambda",
    "Masking",
]
