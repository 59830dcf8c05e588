"""`GroupNormalization`: normalizes groups of channels of each example (Wu & He, 2018)."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.normalization._axes import known_sizes, positive_axes


class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each group of each example with its own
    mean and variance (over the group's channels and every other non-batch axis), then applies a
    per-channel `gamma` and `beta`.

    `groups=1` is close to `LayerNormalization`; `groups=-1` (one group per channel) is Instance
    Normalization. Training and inference compute the same thing.

    Args:
        groups: the number of groups; it must divide the number of channels (`-1`: one group per
            channel).
        axis: the channels axis.
        epsilon: a small float added to the variance to avoid dividing by zero.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned factor `gamma`.
        beta_initializer, gamma_initializer: initializers (defaults zeros, ones).
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.GroupNormalization(groups=2)
    >>> x = np.array([[1.0, 3.0, 10.0, 30.0]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(x)).astype("float64").round(2).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(
        self,
        groups=32,
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
        if (
            isinstance(groups, bool)
            or not isinstance(groups, int)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                "GroupNormalization: received an invalid value for argument `groups`, expected a "
                f"positive integer (or `-1` for instance normalization). Received: groups={groups}"
            )
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                f"GroupNormalization: expected an int for the argument 'axis' (the channels "
                f"axis), but received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        # The statistics are computed in at least float32, whatever the dtype policy.
        self.autocast = False

    def build(self, input_shape):
        (axis,) = positive_axes(self, self.axis, input_shape)
        (channels,) = known_sizes(self, [axis], input_shape)
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}" (GroupNormalization): the number of groups '
                f"({self.groups}) must divide the number of channels ({channels}, axis "
                f"{self.axis} of input shape {tuple(input_shape)}). Pick `groups` among the "
                f"divisors of {channels}, or -1 for one group per channel."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        self.beta = None
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )
        # The input is viewed as (..., groups, channels // groups, ...): one axis more.
        rank = len(input_shape)
        self._axis = axis
        self._param_shape = [1] * (rank + 1)
        self._param_shape[axis : axis + 2] = [self.groups, channels // self.groups]
        self._reduction_axes = [a for a in range(1, rank + 1) if a != axis]

    def call(self, inputs):
        x = inputs
        dtype = standardize_dtype(x.dtype)
        if dtype != "float32" and dtype != "float64":
            x = ops.cast(x, "float32")
        shape = ops.shape(x)
        axis = self._axis
        grouped_shape = [
            -1,
            *shape[1:axis],
            *self._param_shape[axis : axis + 2],
            *shape[axis + 1 :],
        ]
        grouped = ops.reshape(x, grouped_shape)
        mean, variance = ops.moments(grouped, axes=self._reduction_axes, keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * ops.cast(ops.reshape(self.gamma, self._param_shape), x.dtype)
        offset = -mean * inv
        if self.beta is not None:
            offset = offset + ops.cast(ops.reshape(self.beta, self._param_shape), x.dtype)
        outputs = ops.reshape(grouped * inv + offset, shape)
        if standardize_dtype(outputs.dtype) != self.compute_dtype:
            outputs = ops.cast(outputs, self.compute_dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        positive_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
