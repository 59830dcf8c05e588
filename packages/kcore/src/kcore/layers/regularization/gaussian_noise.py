"""`GaussianNoise`: adds zero-centered Gaussian noise during training."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.layer import Layer
from kcore.layers.regularization._arguments import check_fraction


class GaussianNoise(Layer):
    """Adds zero-centered Gaussian noise of standard deviation `stddev` to its inputs during
    training (a form of data augmentation against overfitting); at inference it returns its
    input.

    Args:
        stddev: the standard deviation of the noise, between 0 and 1.
        seed: an int seed for the layer's `SeedGenerator` (the noise is new at each call and
            reproducible from the seed).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.GaussianNoise(0.1, seed=1)
    >>> kcore.ops.convert_to_numpy(layer(np.ones((1, 3), "float32"))).tolist()
    [[1.0, 1.0, 1.0]]
    >>> noisy = kcore.ops.convert_to_numpy(layer(np.zeros((100, 100), "float32"), training=True))
    >>> bool(0.09 < noisy.std() < 0.11)
    True
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = check_fraction("GaussianNoise", "stddev", stddev, include_one=True)
        self.seed = seed
        if stddev > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(
                ops.shape(inputs),
                mean=0.0,
                stddev=self.stddev,
                dtype=self.compute_dtype,
                seed=self.seed_generator,
            )
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
