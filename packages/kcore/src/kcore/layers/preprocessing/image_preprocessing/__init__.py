"""Image preprocessing and augmentation layers: Rescaling, Resizing, CenterCrop, and the random
augmentation layers (active only in training)."""

__all__: list[str] = []
