"""`LSTMCell` and `LSTM`: the long short-term memory recurrence (Hochreiter & Schmidhuber, 1997),
gates in Keras's order i, f, c, o."""

from __future__ import annotations

from kcore import activations, constraints, initializers, ops, random, regularizers
from kcore.backend import bound
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.rnn._cell_args import (
    cell_property,
    check_positive_int,
    dropout_rate,
    forget_bias_initializer,
)
from kcore.layers.rnn._fused import check_use_cudnn, run_fused
from kcore.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kcore.layers.rnn.rnn import RNN


class LSTMCell(Layer, DropoutRNNCell):
    """The cell of `LSTM`: one time step, `(batch, features)` in, `(batch, units)` out, with the
    states `[h, c]` (output and carry).

    Args:
        units: the size of the output and of each state.
        activation: the activation of the candidate and of the output (default ``"tanh"``).
        recurrent_activation: the activation of the gates (default ``"sigmoid"``).
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of the input
            kernel `(features, 4 * units)`, the recurrent kernel `(units, 4 * units)` and the
            bias `(4 * units,)` (defaults ``"glorot_uniform"``, ``"orthogonal"``, ``"zeros"``).
        unit_forget_bias: start the forget gate's bias at 1 (the other gates' at
            `bias_initializer`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: their regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: their constraints.
        dropout: the fraction of the input units to drop (training only).
        recurrent_dropout: the fraction of the state units to drop (training only).
        seed: the seed of the dropout masks.

    Call arguments:
        inputs: the inputs of one time step, `(batch, features)`.
        states: `[h, c]`, each `(batch, units)`.
        training: whether dropout applies.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.RNN(kcore.layers.LSTMCell(4), return_state=True)
    >>> output, h, c = layer(kcore.ops.ones((2, 5, 3)))
    >>> kcore.ops.shape(output), kcore.ops.shape(c)
    ((2, 4), (2, 4))
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        check_positive_int(units, "units", type(self).__name__)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout_rate(dropout, "dropout", type(self).__name__)
        self.recurrent_dropout = dropout_rate(
            recurrent_dropout, "recurrent_dropout", type(self).__name__
        )
        # Implementation 1 computes each gate apart, with one dropout mask per gate (what
        # recurrent dropout needs); implementation 2 computes the four gates in one matmul.
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed=seed)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units * 4),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units * 4),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_initializer(self.bias_initializer, self.units)
            self.bias = self.add_weight(
                shape=(self.units * 4,),
                name="bias",
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs, states, training=False):
        h_previous = ops.convert_to_tensor(states[0])
        c_previous = ops.convert_to_tensor(states[1])
        dropping = training and 0.0 < self.dropout < 1.0
        if self.implementation == 1:
            input_masks = self.get_dropout_mask(inputs) if dropping else None
            state_masks = None
            if training and 0.0 < self.recurrent_dropout < 1.0:
                state_masks = self.get_recurrent_dropout_mask(h_previous)
            kernels = ops.split(self.kernel, 4, axis=1)
            recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=1)
            biases = ops.split(self.bias, 4, axis=0) if self.use_bias else [None] * 4
            z = []
            for gate in range(4):
                x = inputs if input_masks is None else inputs * input_masks[gate]
                h = h_previous if state_masks is None else h_previous * state_masks[gate]
                z_gate = ops.matmul(x, kernels[gate])
                if biases[gate] is not None:
                    z_gate = z_gate + biases[gate]
                z.append(z_gate + ops.matmul(h, recurrent_kernels[gate]))
        else:
            if dropping:
                inputs = inputs * self.get_dropout_mask(inputs)
            z = ops.matmul(inputs, self.kernel)
            z = ops.add(z, ops.matmul(h_previous, self.recurrent_kernel))
            if self.use_bias:
                z = ops.add(z, self.bias)
            z = ops.split(z, 4, axis=1)
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_previous + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in self.state_size]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class LSTM(RNN):
    """Long Short-Term Memory layer (Hochreiter & Schmidhuber, 1997).

    Where the configuration allows it, the layer runs the backend's fused LSTM kernel (torch's
    native LSTM, an input projection hoisted out of the loop on JAX and TensorFlow), as Keras uses
    cuDNN: `activation="tanh"`, `recurrent_activation="sigmoid"`, no `recurrent_dropout`, no
    `unroll`, and masks, if any, that only pad the end of the sequences. The numbers are those
    of the cell run step by step.

    Args:
        units: the size of the output and of each state.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: ``"auto"`` (use the fused kernel where possible), True (require it: an
            error where it cannot run) or False (always run the cell step by step).

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h, c]`, each `(batch, units)`.
        mask, training: as in `RNN`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.LSTM(4, return_sequences=True, return_state=True)
    >>> sequence, h, c = layer(kcore.ops.ones((2, 5, 3)))
    >>> kcore.ops.shape(sequence), kcore.ops.shape(h), kcore.ops.shape(c)
    ((2, 5, 4), (2, 4), (2, 4))
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
            seed=seed,
            implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = check_use_cudnn(use_cudnn, type(self).__name__)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        result = run_fused(self, bound.lstm, sequences, initial_state[:2], mask, training=training)
        if result is not None:
            return result
        return super().inner_loop(sequences, initial_state, mask=mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    unit_forget_bias = cell_property("unit_forget_bias")
    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.cell.seed,
        }
        del config["cell"]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
