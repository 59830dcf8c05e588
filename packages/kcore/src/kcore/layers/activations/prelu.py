"""`PReLU`: a leaky ReLU whose negative slopes are learned."""

from __future__ import annotations

from kcore import activations, constraints, initializers, ops, regularizers
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    `f(x) = x` for `x >= 0` and `alpha * x` otherwise, with `alpha` a weight of the shape of one
    sample (or of size 1 along `shared_axes`).

    Args:
        alpha_initializer: the initializer of `alpha` (default ``"Zeros"``).
        alpha_regularizer: a regularizer of `alpha`.
        alpha_constraint: a constraint on `alpha`.
        shared_axes: the axes (1-based, batch excluded) along which one `alpha` is shared, e.g.
            `[1, 2]` to share the slopes across space for `(batch, height, width, channels)`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.PReLU(alpha_initializer=kcore.initializers.Constant(0.25))
    >>> kcore.ops.convert_to_numpy(layer(kcore.ops.array([[-4.0, 2.0]]))).tolist()
    [[-1.0, 2.0]]
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"Layer {self.name!r}: shared axis {axis} is not a non-batch axis of the "
                    f"input shape {tuple(input_shape)} (axes count from 1)."
                )
            param_shape[axis - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(
                f"Layer {self.name!r}: the alpha shape {tuple(param_shape)} has unknown axes for "
                f"input shape {tuple(input_shape)}; share those axes with `shared_axes`."
            )
        self.alpha = self.add_weight(
            name="alpha",
            shape=tuple(param_shape),
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        positive = activations.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha), activations.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
