"""SimpleRNN and SimpleRNNCell: shapes, values against numpy, dropout drawn once per sequence."""

import numpy as np
import pytest
from rnn_helpers import run, simple_rnn_step

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"units": 3},
        {"units": 3, "return_sequences": True, "go_backwards": True},
        {"units": 3, "activation": "relu", "use_bias": False, "unroll": True},
        {"units": 3, "dropout": 0.2, "recurrent_dropout": 0.2, "kernel_regularizer": "l2"},
    ],
)
def test_simple_rnn_basics(kwargs):
    sequences = kwargs.get("return_sequences", False)
    run_layer_test(
        layers.SimpleRNN,
        init_kwargs=kwargs,
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3) if sequences else (2, 3),
        expected_num_trainable_weights=3 if kwargs.get("use_bias", True) else 2,
        expected_num_losses=1 if "kernel_regularizer" in kwargs else 0,
        supports_masking=True,
    )


def test_simple_rnn_cell_is_one_step():
    cell = layers.SimpleRNNCell(3)
    x = np.ones((2, 5), "float32")
    output, (state,) = cell(x, [np.full((2, 3), 0.5, "float32")])
    kernel, recurrent_kernel, bias = cell.get_weights()
    expected = np.tanh(x @ kernel + 0.5 * recurrent_kernel.sum(0) + bias)
    np.testing.assert_allclose(_np(output), expected, rtol=1e-5)
    np.testing.assert_allclose(_np(state), expected, rtol=1e-5)
    revived = layers.SimpleRNNCell.from_config(cell.get_config())
    assert revived.get_config() == cell.get_config()


def test_simple_rnn_values_match_numpy():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    layer = layers.SimpleRNN(3, return_sequences=True, return_state=True)
    outputs, state = layer(x)
    kernel, recurrent_kernel, bias = layer.get_weights()
    expected, states = run(
        lambda xt, s: simple_rnn_step(xt, s, kernel, recurrent_kernel, bias),
        x,
        [np.zeros((2, 3), "float32")],
    )
    np.testing.assert_allclose(_np(outputs), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(state), states[0], rtol=1e-5, atol=1e-6)


def test_weights_have_keras_names_and_shapes():
    layer = layers.SimpleRNN(3, name="simple_rnn")
    layer.build((None, 5, 4))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("simple_rnn/simple_rnn_cell/kernel", (4, 3)),
        ("simple_rnn/simple_rnn_cell/recurrent_kernel", (3, 3)),
        ("simple_rnn/simple_rnn_cell/bias", (3,)),
    ]


def test_dropout_masks_are_drawn_once_per_sequence():
    # With a linear cell, ones as inputs and no recurrence, each step outputs the sum of the
    # kept input units: the same at every step when the mask is drawn once per sequence.
    cell = layers.SimpleRNNCell(
        1,
        activation=None,
        use_bias=False,
        kernel_initializer="ones",
        recurrent_initializer="zeros",
        dropout=0.5,
        seed=3,
    )
    layer = layers.RNN(cell, return_sequences=True)
    x = np.ones((4, 6, 32), "float32")
    outputs = _np(layer(x, training=True))[..., 0]
    np.testing.assert_allclose(outputs, np.repeat(outputs[:, :1], 6, axis=1))
    assert not np.allclose(outputs, 32.0)
    assert cell._dropout_mask is None  # cleared after the sequence
    np.testing.assert_allclose(_np(layer(x, training=False)), 32.0)
    again = _np(layer(x, training=True))[..., 0]
    assert not np.allclose(again, outputs)  # a new mask for the next sequence


def test_units_must_be_positive():
    with pytest.raises(ValueError, match="units"):
        layers.SimpleRNN(0)
    with pytest.raises(ValueError, match="units"):
        layers.SimpleRNNCell(-2)


@pytest.mark.needs_training
def test_simple_rnn_fits_with_dropout():
    model = kcore.Sequential(
        [
            kcore.Input((5, 3)),
            layers.SimpleRNN(4, dropout=0.2, recurrent_dropout=0.2, seed=1),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5, 3)).astype("float32")
    history = model.fit(x, x[:, -1, :1], batch_size=8, epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
