"""`Dense`: the densely-connected layer, `activation(inputs @ kernel + bias)`."""

from __future__ import annotations

from kcore import activations, constraints, initializers, ops, regularizers
from kcore.layers.core._unsupported import check_off
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class Dense(Layer):
    """Just your regular densely-connected NN layer: `activation(dot(inputs, kernel) + bias)`.

    The kernel multiplies the last axis of the input: an input of shape `(batch, d0, d1)` gives
    `(batch, d0, units)`.

    Args:
        units: the size of the last axis of the output.
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (defaults ``"glorot_uniform"``,
            ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints the optimizer applies after each update.
        lora_rank, lora_alpha, quantization_config: accepted for Keras compatibility; only
            None (off) is supported.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Dense(64)
    >>> kcore.ops.shape(layer(kcore.ops.ones((32, 784))))
    (32, 64)
    >>> layer.count_params()
    50240
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        check_off(
            "Dense",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha if lora_rank else None,
            quantization_config=quantization_config,
        )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: "
                f"units={units}"
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer {self.name!r}: the last axis of its input must be known to build it, got "
                f"input shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs, training=None):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }
