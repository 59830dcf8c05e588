"""`LayerNormalization`: normalizes each example over its feature axes (Ba et al., 2016)."""

from __future__ import annotations

import warnings

from kcore import constraints, initializers, ops, regularizers
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.layer import Layer
from kcore.layers.normalization._axes import known_sizes, positive_axes, standardize_axis_arg


class LayerNormalization(Layer):
    """Normalizes each example independently: `(x - mean) / sqrt(var + epsilon) * gamma + beta`,
    with the statistics taken over `axis` of that example alone (unlike `BatchNormalization`,
    training and inference compute the same thing).

    `gamma` and `beta` span the normalized axes: `axis=[1, 2]` on inputs of shape
    `(batch, 20, 30, 40)` gives weights of shape `(20, 30)`.

    Args:
        axis: an int or a list of ints, the axes to normalize over (default: the last).
        epsilon: a small float added to the variance to avoid dividing by zero.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned factor `gamma`.
        beta_initializer, gamma_initializer: initializers (defaults zeros, ones).
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.
        **kwargs: base layer arguments, and the deprecated Keras argument `rms_scaling` (scales by
            `1 / sqrt(var + epsilon)` without centering, with `gamma` only; use
            `RMSNormalization` for root-mean-square normalization).

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.LayerNormalization(axis=[1, 2])
    >>> layer.build((5, 20, 30, 40))
    >>> layer.gamma.shape, layer.beta.shape
    ((20, 30), (20, 30))
    >>> x = np.array([[1.0, 2.0, 3.0]], "float32")
    >>> y = kcore.layers.LayerNormalization()(x)
    >>> kcore.ops.convert_to_numpy(y).astype("float64").round(3).tolist()
    [[-1.224, 0.0, 1.224]]
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "LayerNormalization: `rms_scaling=True` is deprecated (it scales by the variance, "
                "not the root mean square). Use `kcore.layers.RMSNormalization` for RMS "
                "normalization.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = standardize_axis_arg(axis, "LayerNormalization")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        # The statistics are computed in the input's precision (at least float32), whatever the
        # dtype policy; the output is cast to the compute dtype.
        self.autocast = False

    def build(self, input_shape):
        known_sizes(self, positive_axes(self, self.axis, input_shape), input_shape)
        # Keras keeps the axes sorted as given, and the weights span them in that order.
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        self.gamma = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        self.beta = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )

    def call(self, inputs):
        x = inputs
        dtype = standardize_dtype(x.dtype)
        if dtype != "float32" and dtype != "float64":
            x = ops.cast(x, "float32")
        gamma, beta = self.gamma, self.beta
        rank = len(x.shape)
        axes = positive_axes(self, self.axis, x.shape)
        if axes != [rank - 1]:
            # Weights over several (or inner) axes broadcast against the input's rank.
            shape = [1] * rank
            for a in axes:
                shape[a] = x.shape[a]
            gamma = None if gamma is None else ops.reshape(gamma, shape)
            beta = None if beta is None else ops.reshape(beta, shape)
        if self.rms_scaling:
            outputs = x * ops.rsqrt(ops.var(x, axis=axes, keepdims=True) + self.epsilon)
            if gamma is not None:
                outputs = outputs * ops.cast(gamma, x.dtype)
        else:
            axis = axes[0] if len(axes) == 1 else axes
            outputs = ops.layer_normalization(x, gamma, beta, axis=axis, epsilon=self.epsilon)
        if standardize_dtype(outputs.dtype) != self.compute_dtype:
            outputs = ops.cast(outputs, self.compute_dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        positive_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
