"""`ConvLSTMCell` and `ConvLSTM`: the LSTM recurrence with convolutions in place of matmuls (Shi et
al., 2015), the base of ConvLSTM1D/2D/3D."""

from __future__ import annotations

from kcore import activations, constraints, initializers, ops, random, regularizers
from kcore.layers.convolution._common import (
    conv_output_length,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
)
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.rnn._cell_args import (
    cell_property,
    check_positive_int,
    dropout_rate,
    forget_bias_initializer,
)
from kcore.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kcore.layers.rnn.rnn import RNN

_ARGUMENTS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)


def _serialize(name, value):
    for suffix, module in (
        ("activation", activations),
        ("_initializer", initializers),
        ("_regularizer", regularizers),
        ("_constraint", constraints),
    ):
        if name.endswith(suffix):
            return module.serialize(value)
    return value


class ConvLSTMCell(Layer, DropoutRNNCell):
    """The cell of the ConvLSTM layers: one time step, an image (or volume, or sequence) in, the
    states `[h, c]` (each `filters` channels) out.

    The gates i, f, c, o are convolutions of the input (with `strides`, `padding` and
    `dilation_rate`) plus "same" convolutions of the previous output.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or `rank` ints (strides > 1 and
            dilation_rate > 1 exclude each other).
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (the configured one).
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        label = type(self).__name__
        if rank not in (1, 2, 3):
            raise ValueError(f"{label}: rank {rank} convolutions are not supported (1, 2 or 3).")
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed=seed)
        self.rank = rank
        self.filters = check_positive_int(filters, "filters", label)
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", label)
        self.strides = standardize_tuple(strides, rank, "strides", label, allow_zero=True)
        self.padding = standardize_padding(padding, label)
        self.data_format = standardize_data_format(data_format, label)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", label)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{label}: specifying `strides > 1` is not compatible with `dilation_rate > 1`. "
                f"Please provide `strides=1` or `dilation_rate=1`. Received: "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout_rate(dropout, "dropout", label)
        self.recurrent_dropout = dropout_rate(recurrent_dropout, "recurrent_dropout", label)
        self.dropout_mask_count = 4
        self.input_spec = InputSpec(ndim=rank + 2)
        # Two states, h and c, whose shapes follow from the input's (`get_initial_state`).
        self.state_size = [-1, -1]
        self.spatial_dims = None
        self.input_dim = None

    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if len(inputs_shape) != self.rank + 2:
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}) expects the inputs of one time step "
                f"to have rank {self.rank + 2}, got shape {inputs_shape}."
            )
        if self.data_format == "channels_first":
            spatial = inputs_shape[2:]
        else:
            spatial = inputs_shape[1:-1]
        if None in spatial:
            raise ValueError(
                f"Layer {self.name!r}: ConvLSTM layers only support static input shapes for the "
                f"spatial dimensions. Received input shape {inputs_shape}."
            )
        input_dim = inputs_shape[self._channel_axis()]
        if input_dim is None:
            raise ValueError(
                f"Layer {self.name!r}: the channel axis of the inputs (axis "
                f"{self._channel_axis()} for data_format={self.data_format!r}) should be "
                f"defined. Received input shape {inputs_shape}."
            )
        for size, kernel, dilation in zip(spatial, self.kernel_size, self.dilation_rate):
            if self.padding == "valid" and size < (kernel - 1) * dilation + 1:
                raise ValueError(
                    f"Layer {self.name!r}: the kernel (kernel_size={self.kernel_size}, "
                    f"dilation_rate={self.dilation_rate}) is larger than the spatial size "
                    f'{tuple(spatial)} of the input, and padding="valid" gives no output then. '
                    'Use padding="same", a smaller kernel or a larger input.'
                )
        self.spatial_dims = tuple(spatial)
        self.input_dim = input_dim
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None, *inputs_shape[1:]))
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, input_dim, self.filters * 4),
            initializer=self.kernel_initializer,
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, self.filters * 4),
            initializer=self.recurrent_initializer,
            name="recurrent_kernel",
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = forget_bias_initializer(self.bias_initializer, self.filters)
            self.bias = self.add_weight(
                shape=(self.filters * 4,),
                name="bias",
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs, states, training=False):
        h_previous = ops.convert_to_tensor(states[0])
        c_previous = ops.convert_to_tensor(states[1])
        input_masks = state_masks = None
        if training and 0.0 < self.dropout < 1.0:
            input_masks = self.get_dropout_mask(inputs)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            state_masks = self.get_recurrent_dropout_mask(h_previous)
        kernels = ops.split(self.kernel, 4, axis=self.rank + 1)
        recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=self.rank + 1)
        biases = ops.split(self.bias, 4) if self.use_bias else [None] * 4
        z = []
        for gate in range(4):
            x = inputs if input_masks is None else inputs * input_masks[gate]
            h = h_previous if state_masks is None else h_previous * state_masks[gate]
            z.append(
                self._input_conv(x, kernels[gate], biases[gate])
                + self._recurrent_conv(h, recurrent_kernels[gate])
            )
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_previous + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def _input_conv(self, x, kernel, bias):
        outputs = ops.conv(
            x,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        if bias is None:
            return outputs
        if self.data_format == "channels_last":
            shape = (1,) * (self.rank + 1) + (self.filters,)
        else:
            shape = (1, self.filters) + (1,) * self.rank
        return outputs + ops.reshape(bias, shape)

    def _recurrent_conv(self, h, kernel):
        return ops.conv(h, kernel, strides=1, padding="same", data_format=self.data_format)

    def compute_output_shape(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if self.data_format == "channels_last":
            spatial = inputs_shape[1:-1]
        else:
            spatial = inputs_shape[2:]
        sizes = tuple(
            conv_output_length(size, kernel, stride, self.padding, dilation)
            for size, kernel, stride, dilation in zip(
                spatial, self.kernel_size, self.strides, self.dilation_rate
            )
        )
        if self.data_format == "channels_last":
            shape = (inputs_shape[0], *sizes, self.filters)
        else:
            shape = (inputs_shape[0], self.filters, *sizes)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            inputs_shape = (batch_size, *self.spatial_dims, self.input_dim)
        else:
            inputs_shape = (batch_size, self.input_dim, *self.spatial_dims)
        shape = self.compute_output_shape(inputs_shape)[0]
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self) -> dict:
        config = super().get_config()
        for name in _ARGUMENTS:
            config[name] = _serialize(name, getattr(self, name))
        config["seed"] = self.seed
        return config


class ConvLSTM(RNN):
    """The N-D convolutional LSTM layer that ConvLSTM1D, ConvLSTM2D and ConvLSTM3D are.

    Like `LSTM`, with convolutions of the inputs and of the previous output in place of matmuls.
    Inputs are `(batch, time, *spatial, channels)` (``"channels_last"``) or
    `(batch, time, channels, *spatial)` (``"channels_first"``).

    Args:
        rank: the number of spatial axes.
        filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
        recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `ConvLSTMCell`.
        activity_regularizer: a regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful: as in `RNN`.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ):
        cell = ConvLSTMCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=rank + 3)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        state_shape = self.cell.compute_output_shape((batch_size, *sequences_shape[2:]))[0][1:]
        if self.return_sequences:
            output_shape = (batch_size, steps, *state_shape)
        else:
            output_shape = (batch_size, *state_shape)
        if self.return_state:
            return output_shape, (batch_size, *state_shape), (batch_size, *state_shape)
        return output_shape

    def get_config(self) -> dict:
        config = super().get_config()
        del config["cell"]
        for name in _ARGUMENTS:
            config[name] = _serialize(name, getattr(self.cell, name))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        config["seed"] = self.cell.seed
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


for _name in (*_ARGUMENTS, "rank"):
    setattr(ConvLSTM, _name, cell_property(_name))
del _name
