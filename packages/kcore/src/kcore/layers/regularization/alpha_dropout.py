"""`AlphaDropout`: dropout that keeps the mean and variance of SELU activations."""

from __future__ import annotations

from kcore import ops, random
from kcore.layers.layer import Layer
from kcore.layers.regularization._arguments import check_fraction
from kcore.layers.regularization.dropout import _validate_noise_shape

# SELU's constants: a dropped unit takes SELU's negative saturation value, -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for self-normalizing networks (`selu` activations): during training each unit is
    set with probability `rate` to SELU's negative saturation value, then an affine correction
    restores the input's mean and variance (for zero-mean, unit-variance inputs). At inference
    it returns its input.

    Args:
        rate: the fraction of the units to drop, in [0, 1).
        noise_shape: the shape of the keep/drop mask, broadcast against the input; `None`
            entries take the input's size. `(batch, 1, features)` drops the same features at
            every timestep.
        seed: an int seed for the layer's `SeedGenerator`.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.AlphaDropout(0.2, seed=1)
    >>> kcore.ops.convert_to_numpy(layer(np.ones((1, 3), "float32"))).tolist()
    [[1.0, 1.0, 1.0]]
    >>> x = np.random.default_rng(0).standard_normal((200, 200)).astype("float32")
    >>> y = kcore.ops.convert_to_numpy(layer(x, training=True))
    >>> bool(abs(y.mean()) < 0.05 and abs(y.std() - 1) < 0.05)
    True
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_fraction("AlphaDropout", "rate", rate, include_one=False)
        self.seed = seed
        self.noise_shape = _validate_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            shape = ops.shape(inputs)
            if self.noise_shape is not None:
                shape = [s if n is None else n for n, s in zip(self.noise_shape, shape)]
            uniform = random.uniform(shape, seed=self.seed_generator)
            kept = ops.cast(ops.greater_equal(uniform, self.rate), inputs.dtype)
            saturation = -_SELU_ALPHA * _SELU_SCALE
            # The affine map a * x + b that restores zero mean and unit variance.
            a = ((1 - self.rate) * (1 + self.rate * saturation**2)) ** -0.5
            b = -a * saturation * self.rate
            x = inputs * kept + saturation * (1 - kept)
            return a * x + b
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }
