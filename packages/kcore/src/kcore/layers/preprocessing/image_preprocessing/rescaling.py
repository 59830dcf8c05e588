"""`Rescaling`: `inputs * scale + offset`, in training and at inference."""

from __future__ import annotations

from kcore import config, ops
from kcore.layers.layer import Layer
from kcore.saving import deserialize_keras_object, serialize_keras_object


class Rescaling(Layer):
    """Multiplies its inputs by `scale` and adds `offset`, e.g. to map pixels to `[0, 1]`.

    Inputs of any rank and dtype give outputs in the compute dtype (floatx by default). A
    non-scalar `scale` (one factor per channel) follows the channel axis of
    `kcore.config.image_data_format()`.

    Args:
        scale: a float, or one float per channel; `1 / 255` maps `[0, 255]` to `[0, 1]`.
        offset: a float (or one per channel) added after scaling; `scale=1 / 127.5,
            offset=-1` maps `[0, 255]` to `[-1, 1]`.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.Rescaling(scale=0.5, offset=-1.0)
    >>> kcore.ops.convert_to_numpy(layer(np.array([[0, 4, 255]], "uint8"))).tolist()
    [[-1.0, 1.0, 126.5]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.cast(self.scale, dtype)
        offset = ops.cast(self.offset, dtype)
        scale_rank = len(ops.shape(scale))
        if scale_rank > 0 and config.image_data_format() == "channels_first":
            # One factor per channel, channels before (height, width).
            scale = ops.reshape(scale, tuple(ops.shape(scale)) + (1,) * (3 - scale_rank))
        return ops.add(ops.multiply(ops.cast(inputs, dtype), scale), offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": serialize_keras_object(self.scale),
            "offset": serialize_keras_object(self.offset),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["scale"] = deserialize_keras_object(config["scale"])
        config["offset"] = deserialize_keras_object(config["offset"])
        return cls(**config)
