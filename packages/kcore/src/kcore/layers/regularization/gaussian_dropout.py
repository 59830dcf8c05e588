"""`GaussianDropout`: multiplies its inputs by 1-centered Gaussian noise during training."""

from __future__ import annotations

import math

from kcore import ops, random
from kcore.layers.layer import Layer
from kcore.layers.regularization._arguments import check_fraction


class GaussianDropout(Layer):
    """Multiplies its inputs by Gaussian noise of mean 1 and standard deviation
    `sqrt(rate / (1 - rate))` during training (the variance `Dropout(rate)` has, without zeros);
    at inference it returns its input.

    Args:
        rate: the drop probability it imitates, in [0, 1).
        seed: an int seed for the layer's `SeedGenerator` (the noise is new at each call and
            reproducible from the seed).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.GaussianDropout(0.5, seed=1)
    >>> kcore.ops.convert_to_numpy(layer(np.ones((1, 3), "float32"))).tolist()
    [[1.0, 1.0, 1.0]]
    >>> noisy = kcore.ops.convert_to_numpy(layer(np.ones((100, 100), "float32"), training=True))
    >>> bool(0.95 < noisy.std() < 1.05 and 0.95 < noisy.mean() < 1.05)
    True
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_fraction("GaussianDropout", "rate", rate, include_one=False)
        self.seed = seed
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            noise = random.normal(
                ops.shape(inputs),
                mean=1.0,
                stddev=math.sqrt(self.rate / (1.0 - self.rate)),
                dtype=self.compute_dtype,
                seed=self.seed_generator,
            )
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
