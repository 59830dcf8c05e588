"""`BatchNormalization`: normalizes each feature with the batch's statistics in training and
with their moving averages at inference."""

from __future__ import annotations

import numbers

from kcore import config, constraints, initializers, ops, regularizers
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.normalization._axes import known_sizes, positive_axes

_RENORM_CLIPPING_KEYS = ("rmax", "rmin", "dmax")


class BatchNormalization(Layer):
    """Normalizes its inputs feature by feature: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    In training (`training=True`, as `fit` sets it) `mean` and `var` are the statistics of the
    current batch over every axis but `axis`, and each call moves the non-trainable
    `moving_mean` and `moving_variance` towards them:
    `moving = moving * momentum + batch_statistic * (1 - momentum)`. At inference (`evaluate`,
    `predict`, a plain call) the moving statistics are used instead.

    A layer with `trainable = False` is frozen: it runs in inference mode even when called with
    `training=True`, and its moving statistics do not change (Keras 3's behaviour, what fine-tuning
    a pretrained model needs).

    Args:
        axis: the features axis (e.g. `1` after a `channels_first` convolution).
        momentum: the momentum of the moving averages.
        epsilon: a small float added to the variance to avoid dividing by zero.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned factor `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: initializers of the four weights.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.
        renorm: whether to use Batch Renormalization (Ioffe, 2017): training corrects the batch
            statistics towards moving ones (three more non-trainable weights); inference is the
            same.
        renorm_clipping: with `renorm`, a dict of optional `"rmax"`, `"rmin"`, `"dmax"` bounds of
            the correction.
        renorm_momentum: with `renorm`, the momentum of the statistics the correction uses.
        synchronized: asks for batch statistics over all replicas of a distributed step (passed
            to `ops.moments`). Accepted on every backend; a single device computes the same
            statistics either way.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to use (and update) the batch statistics.
        mask: an optional boolean tensor of the input's shape without `axis`; masked-out
            positions are left out of the batch statistics.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.BatchNormalization(momentum=0.5, name="bn")
    >>> x = np.array([[0.0, 10.0], [2.0, 30.0]], "float32")
    >>> kcore.ops.convert_to_numpy(layer(x, training=True)).astype("float64").round(2).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> kcore.ops.convert_to_numpy(layer.moving_mean).tolist()
    [0.5, 10.0]
    >>> [w.path for w in layer.weights]
    ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(
                f"BatchNormalization: expected an int for the argument 'axis' (the features "
                f"axis), but received: axis={axis!r}"
            )
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = renorm
        if renorm:
            _check_renorm_clipping(renorm_clipping or {})
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = None
        self.beta = None
        self.moving_mean = None
        self.moving_variance = None

    def build(self, input_shape):
        (axis,) = positive_axes(self, self.axis, input_shape)
        shape = known_sizes(self, [axis], input_shape)
        if self.scale:
            self.gamma = self._stat_weight("gamma", shape, self.gamma_initializer, True)
        if self.center:
            self.beta = self._stat_weight("beta", shape, self.beta_initializer, True)
        self.moving_mean = self._stat_weight("moving_mean", shape, self.moving_mean_initializer)
        self.moving_variance = self._stat_weight(
            "moving_variance", shape, self.moving_variance_initializer
        )
        if self.renorm:
            stddev_initializer = _SqrtOf(self.moving_variance_initializer)
            self.moving_stddev = self._stat_weight("moving_stddev", shape, stddev_initializer)
            self.renorm_mean = self._stat_weight(
                "renorm_mean", shape, _fresh(self.moving_mean_initializer)
            )
            self.renorm_stddev = self._stat_weight("renorm_stddev", shape, stddev_initializer)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: shape[0]})
        self._axis = axis
        self._reduction_axes = [a for a in range(len(input_shape)) if a != axis]

    def _stat_weight(self, name, shape, initializer, trainable=False):
        """A weight of the features axis' size, with the layer's `<name>_regularizer` and
        `<name>_constraint` when it has them."""
        regularizer = getattr(self, f"{name}_regularizer", None)
        constraint = getattr(self, f"{name}_constraint", None)
        return self.add_weight(
            name=name,
            shape=shape,
            initializer=initializer,
            regularizer=regularizer,
            constraint=constraint,
            trainable=trainable,
            autocast=False,
        )

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(
                f'Layer "{self.name}" (BatchNormalization): the mask must have one dimension '
                f"less than the inputs (no features axis). Received: mask.shape={mask.shape}, "
                f"inputs.shape={inputs.shape}"
            )
        # Half-precision inputs are normalized in float32 (their statistics overflow otherwise).
        x = inputs
        dtype = standardize_dtype(x.dtype)
        if dtype != "float32" and dtype != "float64":
            x = ops.cast(x, "float32")
            dtype = "float32"
        moving_mean, moving_variance = self.moving_mean, self.moving_variance
        gamma, beta = self.gamma, self.beta
        if dtype != self.moving_mean.dtype:
            moving_mean, moving_variance = (
                ops.cast(moving_mean, dtype),
                ops.cast(moving_variance, dtype),
            )
            gamma = None if gamma is None else ops.cast(gamma, dtype)
            beta = None if beta is None else ops.cast(beta, dtype)

        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, dtype)
            else:
                momentum = self.momentum
                self.moving_mean.assign(moving_mean * momentum + mean * (1.0 - momentum))
                self.moving_variance.assign(
                    moving_variance * momentum + variance * (1.0 - momentum)
                )
        else:
            mean, variance = moving_mean, moving_variance

        outputs = ops.batch_normalization(
            x, mean, variance, self._axis, offset=beta, scale=gamma, epsilon=self.epsilon
        )
        if dtype != self.compute_dtype:
            outputs = ops.cast(outputs, self.compute_dtype)
        return outputs

    def _moments(self, x, mask):
        axes = self._reduction_axes
        if mask is None:
            return ops.moments(x, axes=axes, synchronized=self.synchronized)
        # The mask has the input's shape without the features axis.
        weights = ops.expand_dims(ops.cast(mask, "bool"), self._axis)
        weights = ops.broadcast_to(weights, ops.shape(x))
        count = ops.sum(ops.cast(weights, x.dtype), axes, keepdims=True) + config.epsilon()
        mean = ops.sum(ops.where(weights, x, 0), axes, keepdims=True) / count
        squares = ops.square(ops.where(weights, x - mean, 0))
        variance = ops.sum(squares, axes, keepdims=True) / count
        return ops.squeeze(mean, axis=axes), ops.squeeze(variance, axis=axes)

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """Batch Renormalization: updates the renorm and moving statistics and returns the
        `(gamma, beta)` that fold the correction `(x * r + d)` into the normalization."""
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_mean = ops.cast(self.renorm_mean, dtype)
        renorm_stddev = ops.cast(self.renorm_stddev, dtype)
        floor = ops.sqrt(ops.cast(self.epsilon, dtype))
        r = stddev / ops.maximum(renorm_stddev, floor)
        d = (mean - renorm_mean) / ops.maximum(renorm_stddev, floor)
        clipping = self.renorm_clipping or {}
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)

        keep = self.renorm_momentum
        self.renorm_mean.assign(renorm_mean * keep + mean * (1.0 - keep))
        self.renorm_stddev.assign(renorm_stddev * keep + stddev * (1.0 - keep))
        momentum = self.momentum
        moving_mean = ops.cast(self.moving_mean, dtype)
        self.moving_mean.assign(moving_mean * momentum + mean * (1.0 - momentum))
        moving_stddev = ops.cast(self.moving_stddev, dtype) * momentum + stddev * (1.0 - momentum)
        self.moving_stddev.assign(moving_stddev)
        self.moving_variance.assign(ops.relu(moving_stddev * moving_stddev - self.epsilon))

        if gamma is None:
            new_gamma, new_beta = r, d
        else:
            new_gamma, new_beta = r * gamma, d * gamma
        if beta is not None:
            new_beta = new_beta + beta
        return new_gamma, new_beta

    def compute_output_shape(self, input_shape):
        positive_axes(self, self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _check_renorm_clipping(clipping) -> None:
    unknown = set(clipping) - set(_RENORM_CLIPPING_KEYS)
    if unknown:
        raise ValueError(
            f"BatchNormalization: received invalid keys for `renorm_clipping` argument: "
            f"{clipping}. Supported keys: {list(_RENORM_CLIPPING_KEYS)}."
        )
    rmin, rmax, dmax = clipping.get("rmin"), clipping.get("rmax"), clipping.get("dmax")
    if rmin is not None and rmax is not None and rmax < rmin:
        raise ValueError(
            "BatchNormalization: rmax should be greater than rmin in the `renorm_clipping` "
            f"argument. Received: rmax={rmax}, rmin={rmin}."
        )
    if dmax is not None and dmax < 0:
        raise ValueError(
            "BatchNormalization: dmax should be non-negative in the `renorm_clipping` argument. "
            f"Received: dmax={dmax}."
        )


def _fresh(initializer):
    """A new instance of a configurable initializer, so a seeded one draws new values."""
    if hasattr(initializer, "get_config"):
        return type(initializer).from_config(initializer.get_config())
    return initializer


class _SqrtOf:
    """The initializer `sqrt(initializer(shape))`: renorm's standard deviations start at the
    square root of the moving variance's initial value."""

    def __init__(self, initializer):
        self.initializer = initializer

    def __call__(self, shape, dtype=None):
        return ops.sqrt(_fresh(self.initializer)(shape, dtype=dtype))
