"""LSTM and LSTMCell: shapes, values against numpy, the fused kernel against the cell run step by
step (outputs and gradients, with masks and backwards), `use_cudnn`, and training in fit."""

import numpy as np
import pytest
from rnn_helpers import assert_fused_matches_generic, lstm_step, run

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], bool)
SCATTERED = np.array([[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 1, 0]], bool)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _sequence(shape=(3, 6, 4), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"units": 3},
        {"units": 3, "return_sequences": True, "return_state": True},
        {"units": 3, "go_backwards": True, "use_bias": False, "unit_forget_bias": False},
        {"units": 3, "dropout": 0.3, "recurrent_dropout": 0.3, "return_sequences": True},
        {"units": 3, "implementation": 1, "use_cudnn": False},
    ],
)
def test_lstm_basics(kwargs):
    sequences = kwargs.get("return_sequences", False)
    output = (2, 4, 3) if sequences else (2, 3)
    expected = [output, (2, 3), (2, 3)] if kwargs.get("return_state") else output
    run_layer_test(
        layers.LSTM,
        init_kwargs=kwargs,
        input_shape=(2, 4, 5),
        expected_output_shape=expected,
        expected_num_trainable_weights=3 if kwargs.get("use_bias", True) else 2,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_lstm_cell_is_one_step():
    cell = layers.LSTMCell(3)
    x = _sequence((2, 5))
    states = [_sequence((2, 3), 1), _sequence((2, 3), 2)]
    output, (h, c) = cell(x, states)
    _, (h_want, c_want) = lstm_step(x, states, *cell.get_weights())
    np.testing.assert_allclose(_np(output), h_want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(c), c_want, rtol=1e-5, atol=1e-6)
    revived = layers.LSTMCell.from_config(cell.get_config())
    assert revived.get_config() == cell.get_config()


def test_lstm_values_match_numpy_with_masks_and_backwards():
    x = _sequence()
    for go_backwards in (False, True):
        for mask in (None, RIGHT_PADDED, SCATTERED):
            layer = layers.LSTM(
                5, return_sequences=True, return_state=True, go_backwards=go_backwards
            )
            outputs, h, c = layer(x, mask=mask)
            weights = layer.get_weights()
            zeros = np.zeros((3, 5), "float32")
            expected, (h_want, c_want) = run(
                lambda xt, s, w=weights: lstm_step(xt, s, *w),
                x,
                [zeros, zeros],
                mask=mask,
                go_backwards=go_backwards,
            )
            np.testing.assert_allclose(_np(outputs), expected, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(_np(h), h_want, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(_np(c), c_want, rtol=1e-5, atol=1e-5)


def test_weights_have_keras_names_shapes_and_forget_bias():
    layer = layers.LSTM(3, name="lstm")
    layer.build((None, 5, 4))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("lstm/lstm_cell/kernel", (4, 12)),
        ("lstm/lstm_cell/recurrent_kernel", (3, 12)),
        ("lstm/lstm_cell/bias", (12,)),
    ]
    np.testing.assert_array_equal(_np(layer.cell.bias), [0] * 3 + [1] * 3 + [0] * 6)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize(
    "mask", [None, RIGHT_PADDED, SCATTERED], ids=["none", "right", "scattered"]
)
def test_fused_kernel_matches_the_cell(go_backwards, return_sequences, mask):
    assert_fused_matches_generic(
        layers.LSTM,
        _sequence(),
        mask=mask,
        units=5,
        go_backwards=go_backwards,
        return_sequences=return_sequences,
        return_state=True,
    )


def test_fused_kernel_matches_the_cell_with_initial_state_and_no_bias():
    states = [_sequence((3, 5), 1), _sequence((3, 5), 2)]
    assert_fused_matches_generic(
        layers.LSTM, _sequence(), initial_state=states, units=5, use_bias=False
    )


def test_fused_kernel_matches_the_cell_with_other_activations():
    assert_fused_matches_generic(
        layers.LSTM, _sequence(), units=5, activation="relu", recurrent_activation="hard_sigmoid"
    )


def test_use_cudnn_values():
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.LSTM(3, use_cudnn="yes")
    # Recurrent dropout needs the cell run step by step: no fused kernel can take it.
    layer = layers.LSTM(3, recurrent_dropout=0.5, use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layer(_sequence())


def test_dropout_applies_only_in_training():
    layer = layers.LSTM(4, dropout=0.5, seed=2)
    x = _sequence()
    inference = _np(layer(x))
    np.testing.assert_allclose(_np(layer(x, training=False)), inference)
    assert not np.allclose(_np(layer(x, training=True)), inference)


@pytest.mark.needs_training
def test_embedding_lstm_model_trains_in_fit():
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, 50, size=(32, 12)).astype("int32")
    tokens[::2, 8:] = 0
    labels = (tokens[:, :1] > 25).astype("float32")
    model = kcore.Sequential(
        [
            kcore.Input((12,), dtype="int32"),
            layers.Embedding(50, 8, mask_zero=True),
            layers.LSTM(8),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="binary_crossentropy")
    history = model.fit(tokens, labels, batch_size=8, epochs=4, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
