"""Pooling layers: max and average pooling in 1, 2 and 3 dimensions, and their global forms."""

__all__: list[str] = []
