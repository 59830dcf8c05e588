"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization, RMSNormalization, SpectralNormalization."""

__all__: list[str] = []
