"""The reshaping layers: Flatten, Reshape, Permute, RepeatVector."""
