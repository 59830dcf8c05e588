"""Attention layers: MultiHeadAttention, GroupedQueryAttention (also named GroupQueryAttention,
as in `keras.layers`), Attention, AdditiveAttention."""

from kcore.layers.attention.additive_attention import AdditiveAttention
from kcore.layers.attention.attention import Attention
from kcore.layers.attention.grouped_query_attention import GroupedQueryAttention
from kcore.layers.attention.multi_head_attention import MultiHeadAttention

# `keras.layers` exports the class under this name.
GroupQueryAttention = GroupedQueryAttention

__all__ = [
    "AdditiveAttention",
    "Attention",
    "GroupQueryAttention",
    "GroupedQueryAttention",
    "MultiHeadAttention",
]
