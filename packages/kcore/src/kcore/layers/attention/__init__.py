"""Attention layers: MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention."""

__all__: list[str] = []
