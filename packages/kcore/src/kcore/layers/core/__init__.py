"""The core layers: Input, Dense, EinsumDense, Embedding, Identity, Lambda, Masking."""
