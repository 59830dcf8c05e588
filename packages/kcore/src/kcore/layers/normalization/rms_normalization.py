"""`RMSNormalization`: divides each example by its root mean square (Zhang & Sennrich, 2019)."""

from __future__ import annotations

from kcore import ops
from kcore.layers.layer import Layer
from kcore.layers.normalization._axes import known_sizes, positive_axes, standardize_axis_arg


class RMSNormalization(Layer):
    """Root-mean-square normalization: `x / sqrt(mean(x**2, axis) + epsilon) * scale`, with a
    learned `scale` over `axis` (initialized to ones). Unlike `LayerNormalization` it does not
    center its inputs.

    Args:
        axis: an int or a list of ints, the axes to normalize over (default: the last).
        epsilon: a small float added to the mean square to avoid dividing by zero.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.RMSNormalization()
    >>> x = np.array([[3.0, 4.0]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(x)).astype("float64").round(4).tolist()
    [[0.8485, 1.1314]]
    >>> layer.scale.shape
    (2,)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis_arg(axis, "RMSNormalization")
        self.epsilon = epsilon

    def build(self, input_shape):
        known_sizes(self, positive_axes(self, self.axis, input_shape), input_shape)
        # Keras keeps the axes sorted as given, and `scale` spans them in that order.
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, x):
        axes = positive_axes(self, self.axis, x.shape)
        rank = len(x.shape)
        scale = self.scale
        if axes != [rank - 1]:
            # A scale over several (or inner) axes broadcasts against the input's rank.
            shape = [1] * rank
            for a in axes:
                shape[a] = x.shape[a]
            scale = ops.reshape(scale, shape)
        axis = axes[0] if len(axes) == 1 else axes
        return ops.rms_normalization(x, scale=scale, axis=axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        positive_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
