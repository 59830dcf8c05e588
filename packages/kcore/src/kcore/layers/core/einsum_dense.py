"""`EinsumDense`: a dense layer of any rank, `activation(einsum(equation, inputs, kernel) + bias)`."""

from __future__ import annotations

import re

from kcore import activations, constraints, initializers, ops, regularizers
from kcore.layers.core._unsupported import check_off
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class EinsumDense(Layer):
    """A layer that uses `einsum` as its backing computation.

    The equation names the axes of the input, the kernel and the output, as in
    ``"ab,bc->ac"`` (a `Dense` layer), ``"...ab,bc->...ac"`` (any number of leading axes) or
    ``"ab...,bc->ac..."`` (trailing ones). The kernel's shape follows from the input shape and
    `output_shape`.

    Args:
        equation: the einsum equation, of the form ``"[X],[Y]->[Z]"``, ``"...[X],[Y]->...[Z]"``
            or ``"[X]...,[Y]->[Z]..."``.
        output_shape: the output shape without the batch axis and the elided (``...``) axes; an
            int for one axis. `None` entries are taken from the input.
        activation: the activation function or its name (default: none).
        bias_axes: the output axes (letters of the output spec) the bias covers, or None for no
            bias.
        kernel_initializer, bias_initializer: initializers (defaults ``"glorot_uniform"``,
            ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
        lora_rank, lora_alpha, gptq_unpacked_column_size, quantization_config: accepted for
            Keras compatibility; only None (off) is supported.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 32, 128))))
    (2, 32, 64)
    >>> [tuple(w.shape) for w in layer.weights]
    [(128, 64), (64,)]
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        gptq_unpacked_column_size=None,
        quantization_config=None,
        **kwargs,
    ):
        check_off(
            "EinsumDense",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha if lora_rank else None,
            gptq_unpacked_column_size=gptq_unpacked_column_size,
            quantization_config=quantization_config,
        )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        _split_equation(equation)  # fail early on an unsupported equation
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        kernel_shape, bias_shape, _ = analyze_einsum_string(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape
        )
        if any(d is None for d in kernel_shape):
            raise ValueError(
                f"Layer {self.name!r}: the kernel shape {tuple(kernel_shape)} of equation "
                f"{self.equation!r} has unknown axes for input shape {tuple(input_shape)}. Give "
                "their sizes in `output_shape` or in the input shape."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=tuple(kernel_shape),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=len(input_shape))

    def call(self, inputs, training=None):
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        _, _, output_shape = analyze_einsum_string(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape
        )
        return tuple(output_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }


_FORMS = (
    # (pattern on the equation with "..." written "0", where the ellipsis is)
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), None),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), "left"),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), "right"),
)


def _split_equation(equation):
    """`(input_spec, kernel_spec, output_spec, elided)` with `elided` None, "left" or "right"."""
    text = re.sub(r"\.\.\.", "0", str(equation))
    for pattern, elided in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            return match.group(1), match.group(2), match.group(3), elided
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def analyze_einsum_string(equation, bias_axes, input_shape, output_shape):
    """The kernel shape, the bias shape (None without `bias_axes`) and the full output shape of
    an `EinsumDense` equation for `input_shape` and the partial `output_shape`."""
    input_spec, kernel_spec, output_spec, elided_side = _split_equation(equation)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided > 0 and elided_side is None):
        raise ValueError(
            f"Equation '{equation}' expects inputs of rank {len(input_spec)}"
            f"{' or more' if elided_side else ''}, got input shape {tuple(input_shape)}."
        )
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)

    # The full output shape: batch axis, then the elided axes where the ellipsis is.
    full = [input_shape[0], *partial]
    if elided_side == "left" and elided > 0:
        full[1:1] = list(input_shape[1:elided])
    elif elided_side == "right" and elided > 0:
        full.extend(input_shape[len(input_shape) - elided :])

    offset = elided if elided_side == "left" else 0
    input_axis = {c: i + offset for i, c in enumerate(input_spec)}
    output_axis = {c: i + offset for i, c in enumerate(output_spec)}
    if len(full) != len(output_spec) + elided:
        raise ValueError(
            f"Equation '{equation}': `output_shape` {tuple(partial)} with input shape "
            f"{tuple(input_shape)} gives an output of rank {len(full)}, but the output spec "
            f"'{output_spec}' needs rank {len(output_spec) + elided}."
        )

    for c in input_spec:
        if c in output_axis:
            size_in, size_out = input_shape[input_axis[c]], full[output_axis[c]]
            if size_out is None:
                full[output_axis[c]] = size_in
            elif size_in is not None and size_out != size_in:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{c}'. "
                    f"Input shape is {size_in}, and output shape is {size_out}."
                )
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(
                f"Dimension '{c}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{kernel_spec}'"
            )

    kernel_shape = []
    for c in kernel_spec:
        if c in input_axis:
            kernel_shape.append(input_shape[input_axis[c]])
        elif c in output_axis:
            kernel_shape.append(full[output_axis[c]])
        else:
            raise ValueError(
                f"Weight dimension '{c}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                "must be fully specified."
            )

    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(
                    f"Bias dimension '{c}' was requested, but is not part of the output spec "
                    f"'{output_spec}'"
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [full[output_axis[c]] if c in bias_axes else 1 for c in output_spec[first:]]
        if elided_side != "left":
            bias_shape.extend([1] * elided)
    return kernel_shape, bias_shape, full
