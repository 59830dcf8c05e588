"""`Dropout`: zeroes a random fraction of its inputs during training."""

from __future__ import annotations

from kcore import random
from kcore.layers.layer import Layer


class Dropout(Layer):
    """Applies dropout to the input.

    During training (`training=True`, as `fit` sets it) each input unit is set to 0 with
    probability `rate` and the others are scaled by `1 / (1 - rate)`, so that the expected sum
    is unchanged. At inference the layer returns its input.

    Args:
        rate: the fraction of the input units to drop, between 0 and 1.
        noise_shape: the shape of the keep/drop mask, broadcast against the input; `None`
            entries take the input's size. `(batch, 1, features)` drops the same features at
            every timestep.
        seed: an int seed for the layer's `SeedGenerator`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Dropout(0.5, seed=1)
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.ones((1, 4)))).tolist()
    [[1.0, 1.0, 1.0, 1.0]]
    >>> sorted(set(kcore.ops.convert_to_numpy(layer(kcore.ops.ones((1, 64)), training=True))
    ...     .ravel().tolist()))
    [0.0, 2.0]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 "
                f"and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = _validate_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed_generator
            )
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


def _validate_noise_shape(noise_shape):
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str):
        raise ValueError(
            "Invalid value received for argument `noise_shape`. Expected a tuple or list of "
            f"integers. Received: noise_shape={noise_shape}"
        )
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(
            "Invalid value received for argument `noise_shape`. Expected an iterable of "
            f"integers (e.g., a tuple or list). Received: noise_shape={noise_shape}"
        ) from None
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise ValueError(
                "Invalid value received for argument `noise_shape`. Expected all elements to be "
                f"integers or None. Received element at index {i}: {dim} "
                f"(type: {type(dim).__name__})"
            )
        if dim <= 0:
            raise ValueError(
                "Invalid value received for argument `noise_shape`. Expected all dimensions to "
                f"be positive integers or None. Received negative or zero value at index {i}: "
                f"{dim}"
            )
    return noise_shape
