"""The recurrent layers: RNN over each cell and a stack, SimpleRNN, LSTM, GRU (both reset
conventions), their options (sequences, states, backwards, masks, initial states, dropout at
inference), Bidirectional, TimeDistributed and ConvLSTM1D/2D/3D.

ConvLSTM with a mask is left out: Keras 3.15 on JAX fails on it (it broadcasts the (batch, 1)
step mask against the 4D states); kcore's own tests cover it."""

import numpy as np

from .cases import Case

SEQUENCE = (3, 6, 4)


def _right_padded_mask(rng):
    del rng
    return {"mask": np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], bool)}


def _scattered_mask(rng):
    del rng
    return {"mask": np.array([[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 1, 0]], bool)}


def _tokens(rng):
    tokens = rng.integers(1, 10, size=(3, 7)).astype("int32")
    tokens[1, 4:] = 0
    tokens[2, 2:] = 0
    return tokens


def _embedded(layer):
    """`make` for a Sequential of Embedding(mask_zero=True) and `layer`."""

    def make(layers):
        from_module = layers.__name__.split(".")[0]
        models = __import__(from_module).models
        return models.Sequential(
            [layers.Embedding(10, 4, mask_zero=True), layer(layers)], name="embedded"
        )

    return make


def _initial_states(shapes):
    def make(rng):
        return {
            "initial_state": [rng.standard_normal(s).astype("float32") for s in shapes],
        }

    return make


CASES = [
    # The generic RNN over each cell, and stacked cells.
    Case("RNN", make=lambda L: L.RNN(L.SimpleRNNCell(5)), input_shape=SEQUENCE, id="RNN-simple"),
    Case(
        "RNN",
        make=lambda L: L.RNN(L.LSTMCell(5), return_sequences=True, return_state=True),
        input_shape=SEQUENCE,
        id="RNN-lstm-cell",
    ),
    Case(
        "RNN",
        make=lambda L: L.RNN(L.GRUCell(5, reset_after=False), go_backwards=True),
        input_shape=SEQUENCE,
        id="RNN-gru-cell-backwards",
    ),
    Case(
        "RNN",
        make=lambda L: L.RNN(
            L.StackedRNNCells([L.LSTMCell(5), L.GRUCell(3), L.SimpleRNNCell(2)]),
            return_sequences=True,
        ),
        input_shape=SEQUENCE,
        id="RNN-stacked",
    ),
    Case(
        "RNN",
        make=lambda L: L.RNN(L.SimpleRNNCell(5), return_sequences=True, zero_output_for_mask=True),
        input_shape=SEQUENCE,
        call_kwargs=_scattered_mask,
        id="RNN-zero-output-for-mask",
    ),
    # SimpleRNN.
    Case("SimpleRNN", {"units": 5}, input_shape=SEQUENCE),
    Case(
        "SimpleRNN",
        {"units": 5, "activation": "relu", "use_bias": False, "return_sequences": True},
        input_shape=SEQUENCE,
        id="SimpleRNN-relu-sequences",
    ),
    Case(
        "SimpleRNN",
        {"units": 5, "go_backwards": True, "return_state": True, "unroll": True},
        input_shape=SEQUENCE,
        id="SimpleRNN-backwards-unroll",
    ),
    Case(
        "SimpleRNN",
        {"units": 5, "return_sequences": True, "dropout": 0.3, "recurrent_dropout": 0.2},
        input_shape=SEQUENCE,
        id="SimpleRNN-dropout-inference",
    ),
    # LSTM.
    Case("LSTM", {"units": 5}, input_shape=SEQUENCE),
    Case(
        "LSTM",
        {"units": 5, "return_sequences": True, "return_state": True},
        input_shape=SEQUENCE,
        id="LSTM-sequences-state",
    ),
    Case(
        "LSTM",
        {"units": 5, "go_backwards": True, "return_sequences": True},
        input_shape=SEQUENCE,
        id="LSTM-backwards",
    ),
    Case(
        "LSTM",
        {"units": 5, "return_sequences": True, "return_state": True},
        input_shape=SEQUENCE,
        call_kwargs=_right_padded_mask,
        id="LSTM-right-padded-mask",
    ),
    Case(
        "LSTM",
        {"units": 5, "return_sequences": True, "go_backwards": True, "return_state": True},
        input_shape=SEQUENCE,
        call_kwargs=_right_padded_mask,
        id="LSTM-right-padded-mask-backwards",
    ),
    Case(
        "LSTM",
        {"units": 5, "return_sequences": True},
        input_shape=SEQUENCE,
        call_kwargs=_scattered_mask,
        id="LSTM-scattered-mask",
    ),
    Case(
        "LSTM",
        {"units": 5, "return_state": True},
        input_shape=SEQUENCE,
        call_kwargs=_initial_states([(3, 5), (3, 5)]),
        id="LSTM-initial-state",
    ),
    Case(
        "LSTM",
        {
            "units": 5,
            "activation": "relu",
            "recurrent_activation": "hard_sigmoid",
            "use_bias": False,
            "unit_forget_bias": False,
        },
        input_shape=SEQUENCE,
        id="LSTM-other-activations",
    ),
    Case(
        "LSTM",
        {"units": 5, "unroll": True, "recurrent_dropout": 0.2, "return_sequences": True},
        input_shape=SEQUENCE,
        id="LSTM-unroll-recurrent-dropout",
    ),
    Case(
        "LSTM",
        make=_embedded(lambda L: L.LSTM(5, return_sequences=True)),
        input_data=_tokens,
        compare_config_keys=False,
        id="LSTM-embedding-mask",
    ),
    # GRU.
    Case("GRU", {"units": 5}, input_shape=SEQUENCE),
    Case(
        "GRU",
        {"units": 5, "reset_after": False, "return_sequences": True},
        input_shape=SEQUENCE,
        id="GRU-reset-before",
    ),
    Case(
        "GRU",
        {"units": 5, "go_backwards": True, "return_state": True, "return_sequences": True},
        input_shape=SEQUENCE,
        id="GRU-backwards",
    ),
    Case(
        "GRU",
        {"units": 5, "return_sequences": True, "return_state": True},
        input_shape=SEQUENCE,
        call_kwargs=_right_padded_mask,
        id="GRU-right-padded-mask",
    ),
    Case(
        "GRU",
        {"units": 5, "reset_after": False, "go_backwards": True},
        input_shape=SEQUENCE,
        call_kwargs=_scattered_mask,
        id="GRU-reset-before-scattered-mask",
    ),
    Case(
        "GRU",
        {"units": 5, "use_bias": False, "recurrent_dropout": 0.1},
        input_shape=SEQUENCE,
        call_kwargs=_initial_states([(3, 5)]),
        id="GRU-no-bias-initial-state",
    ),
    # Cells alone (one step).
    Case(
        "SimpleRNNCell",
        make=lambda L: L.SimpleRNNCell(5),
        input_data=lambda rng: rng.standard_normal((3, 4)).astype("float32"),
        call_kwargs=lambda rng: {"states": [rng.standard_normal((3, 5)).astype("float32")]},
    ),
    Case(
        "LSTMCell",
        make=lambda L: L.LSTMCell(5),
        input_data=lambda rng: rng.standard_normal((3, 4)).astype("float32"),
        call_kwargs=lambda rng: {
            "states": [rng.standard_normal((3, 5)).astype("float32") for _ in range(2)]
        },
    ),
    Case(
        "GRUCell",
        make=lambda L: L.GRUCell(5),
        input_data=lambda rng: rng.standard_normal((3, 4)).astype("float32"),
        call_kwargs=lambda rng: {"states": [rng.standard_normal((3, 5)).astype("float32")]},
    ),
]

CASES += [
    # Bidirectional.
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(L.LSTM(5, return_sequences=True)),
        input_shape=SEQUENCE,
        id="Bidirectional-lstm-concat",
    ),
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(L.GRU(5), merge_mode="sum"),
        input_shape=SEQUENCE,
        id="Bidirectional-gru-sum",
    ),
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(L.SimpleRNN(5, return_sequences=True), merge_mode="mul"),
        input_shape=SEQUENCE,
        call_kwargs=_scattered_mask,
        id="Bidirectional-mul-mask",
    ),
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(
            L.LSTM(5, return_sequences=True, return_state=True), merge_mode="ave"
        ),
        input_shape=SEQUENCE,
        call_kwargs=_right_padded_mask,
        id="Bidirectional-ave-state-mask",
    ),
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(L.GRU(5, return_state=True), merge_mode=None),
        input_shape=SEQUENCE,
        call_kwargs=_initial_states([(3, 5), (3, 5)]),
        id="Bidirectional-none-initial-state",
    ),
    Case(
        "Bidirectional",
        make=lambda L: L.Bidirectional(
            L.LSTM(5, return_sequences=True),
            backward_layer=L.GRU(4, return_sequences=True, go_backwards=True),
        ),
        input_shape=SEQUENCE,
        id="Bidirectional-backward-layer",
    ),
    # TimeDistributed.
    Case(
        "TimeDistributed",
        make=lambda L: L.TimeDistributed(L.Dense(3, activation="relu")),
        input_shape=(2, 5, 4),
    ),
    Case(
        "TimeDistributed",
        make=lambda L: L.TimeDistributed(L.Dense(3)),
        input_shape=(2, 5, 6, 4),
        id="TimeDistributed-4d",
    ),
    # ConvLSTM.
    Case(
        "ConvLSTM1D",
        {"filters": 3, "kernel_size": 3, "return_sequences": True},
        input_shape=(2, 4, 8, 2),
    ),
    Case(
        "ConvLSTM1D",
        {
            "filters": 3,
            "kernel_size": 2,
            "padding": "same",
            "dilation_rate": 2,
            "go_backwards": True,
        },
        input_shape=(2, 4, 8, 2),
        id="ConvLSTM1D-same-dilated-backwards",
    ),
    Case(
        "ConvLSTM2D",
        {"filters": 3, "kernel_size": 3, "strides": 2, "return_state": True},
        input_shape=(2, 3, 9, 7, 2),
    ),
    Case(
        "ConvLSTM2D",
        {
            "filters": 3,
            "kernel_size": (3, 2),
            "padding": "same",
            "data_format": "channels_first",
            "return_sequences": True,
        },
        input_shape=(2, 3, 2, 6, 5),
        id="ConvLSTM2D-channels-first",
    ),
    Case(
        "ConvLSTM3D",
        {"filters": 2, "kernel_size": 2, "padding": "same", "unit_forget_bias": False},
        input_shape=(1, 3, 4, 4, 4, 2),
    ),
]
