"""`GRUCell` and `GRU`: the gated recurrent unit (Cho et al., 2014), gates in Keras's order z
(update), r (reset), h (candidate)."""

from __future__ import annotations

from kcore import activations, constraints, initializers, ops, random, regularizers
from kcore.backend import bound
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.rnn._cell_args import cell_property, check_positive_int, dropout_rate
from kcore.layers.rnn._fused import check_use_cudnn, run_fused
from kcore.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kcore.layers.rnn.rnn import RNN


class GRUCell(Layer, DropoutRNNCell):
    """The cell of `GRU`: one time step, `(batch, features)` in, `(batch, units)` out.

    `h_t = z * h_{t-1} + (1 - z) * candidate`, where the update gate `z` and the reset gate `r`
    come from `recurrent_activation` and the candidate from `activation`. With `reset_after`
    (the default, cuDNN's convention) the reset gate multiplies the recurrent term after its
    matmul, and the input and recurrent terms have separate biases (`bias` has shape
    `(2, 3 * units)`); otherwise it multiplies the state before it (`bias`: `(3 * units,)`).

    Args:
        units: the size of the output and of the state.
        activation: the activation of the candidate (default ``"tanh"``).
        recurrent_activation: the activation of the gates (default ``"sigmoid"``).
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of the input
            kernel `(features, 3 * units)`, the recurrent kernel `(units, 3 * units)` and the
            bias (defaults ``"glorot_uniform"``, ``"orthogonal"``, ``"zeros"``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: their regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: their constraints.
        dropout: the fraction of the input units to drop (training only).
        recurrent_dropout: the fraction of the state units to drop (training only).
        reset_after: apply the reset gate after the recurrent matmul.
        seed: the seed of the dropout masks.

    Call arguments:
        inputs: the inputs of one time step, `(batch, features)`.
        states: the previous state `(batch, units)` (or a list holding it).
        training: whether dropout applies.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.RNN(kcore.layers.GRUCell(4))
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 5, 3))))
    (2, 4)
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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
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
        # recurrent dropout needs); implementation 2 computes the gates in one matmul.
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed=seed)
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units * 3),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units * 3),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(2, 3 * self.units) if self.reset_after else (3 * self.units,),
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _biases(self):
        """The input and recurrent biases (None where there is none)."""
        if not self.use_bias:
            return None, None
        if not self.reset_after:
            return self.bias, None
        return self.bias[0], self.bias[1]

    def call(self, inputs, states, training=False):
        h_previous = ops.convert_to_tensor(
            states[0] if isinstance(states, (list, tuple)) else states
        )
        input_bias, recurrent_bias = self._biases()
        units = self.units
        dropping = training and 0.0 < self.dropout < 1.0
        if self.implementation == 1:
            input_masks = self.get_dropout_mask(inputs) if dropping else None
            state_masks = None
            if training and 0.0 < self.recurrent_dropout < 1.0:
                state_masks = self.get_recurrent_dropout_mask(h_previous)
            x, h = [], []
            for gate in range(3):
                columns = slice(gate * units, (gate + 1) * units)
                gate_input = inputs if input_masks is None else inputs * input_masks[gate]
                x_gate = ops.matmul(gate_input, self.kernel[:, columns])
                if input_bias is not None:
                    x_gate = x_gate + input_bias[columns]
                x.append(x_gate)
                h.append(h_previous if state_masks is None else h_previous * state_masks[gate])
            recurrent_z = ops.matmul(h[0], self.recurrent_kernel[:, :units])
            recurrent_r = ops.matmul(h[1], self.recurrent_kernel[:, units : 2 * units])
            if self.reset_after and recurrent_bias is not None:
                recurrent_z = recurrent_z + recurrent_bias[:units]
                recurrent_r = recurrent_r + recurrent_bias[units : 2 * units]
            z = self.recurrent_activation(x[0] + recurrent_z)
            r = self.recurrent_activation(x[1] + recurrent_r)
            if self.reset_after:
                recurrent_h = ops.matmul(h[2], self.recurrent_kernel[:, 2 * units :])
                if recurrent_bias is not None:
                    recurrent_h = recurrent_h + recurrent_bias[2 * units :]
                recurrent_h = r * recurrent_h
            else:
                recurrent_h = ops.matmul(r * h[2], self.recurrent_kernel[:, 2 * units :])
            candidate = self.activation(x[2] + recurrent_h)
        else:
            if dropping:
                inputs = inputs * self.get_dropout_mask(inputs)
            projected = ops.matmul(inputs, self.kernel)
            if input_bias is not None:
                projected = ops.add(projected, input_bias)
            x_z, x_r, x_h = ops.split(projected, 3, axis=-1)
            if self.reset_after:
                inner = ops.matmul(h_previous, self.recurrent_kernel)
                if recurrent_bias is not None:
                    inner = inner + recurrent_bias
            else:
                inner = ops.matmul(h_previous, self.recurrent_kernel[:, : 2 * units])
            z = self.recurrent_activation(x_z + inner[:, :units])
            r = self.recurrent_activation(x_r + inner[:, units : 2 * units])
            if self.reset_after:
                recurrent_h = r * inner[:, 2 * units :]
            else:
                recurrent_h = ops.matmul(r * h_previous, self.recurrent_kernel[:, 2 * units :])
            candidate = self.activation(x_h + recurrent_h)
        h = z * h_previous + (1 - z) * candidate
        return h, ([h] if isinstance(states, (list, tuple)) else h)

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
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
            "reset_after": self.reset_after,
            "seed": self.seed,
        }


class GRU(RNN):
    """Gated Recurrent Unit layer (Cho et al., 2014).

    Where the configuration allows it, the layer runs the backend's fused GRU kernel (torch's
    native GRU for `reset_after=True`, an input projection hoisted out of the loop on JAX and
    TensorFlow), as Keras uses cuDNN: `activation="tanh"`, `recurrent_activation="sigmoid"`, no
    `recurrent_dropout`, no `unroll`, and masks, if any, that only pad the end of the sequences.
    The numbers are those of the cell run step by step.

    Args:
        units: the size of the output and of the state.
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
        reset_after, seed: as in `GRUCell`.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: ``"auto"`` (use the fused kernel where possible), True (require it: an
            error where it cannot run) or False (always run the cell step by step).

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: the initial state `(batch, units)` (or a list holding it).
        mask, training: as in `RNN`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.GRU(4, return_state=True)
    >>> output, state = layer(kcore.ops.ones((2, 5, 3)))
    >>> kcore.ops.shape(output), kcore.ops.shape(state)
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
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
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
            reset_after=reset_after,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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
        result = run_fused(
            self,
            bound.gru,
            sequences,
            initial_state[:1],
            mask,
            training=training,
            reset_after=self.cell.reset_after,
        )
        if result is not None:
            return result
        return super().inner_loop(sequences, initial_state, mask=mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
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
    reset_after = cell_property("reset_after")

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
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "reset_after": self.reset_after,
            "seed": self.cell.seed,
        }
        del config["cell"]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
