"""StackedRNNCells: cells feeding each other, their states, config and weights."""

import numpy as np
import pytest
from rnn_helpers import gru_step, lstm_step

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_stacked_cells_basics():
    run_layer_test(
        layers.RNN,
        init_kwargs={
            "cell": layers.StackedRNNCells([layers.LSTMCell(3), layers.SimpleRNNCell(2)]),
            "return_sequences": True,
        },
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 2),
        expected_num_trainable_weights=6,
    )


def test_stacked_cells_are_the_cells_applied_in_turn():
    cells = layers.StackedRNNCells([layers.LSTMCell(3), layers.GRUCell(2)])
    assert cells.state_size == [[3, 3], 2]
    assert cells.output_size == 2
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    states = cells.get_initial_state(batch_size=2)
    output, (lstm_states, gru_states) = cells(x, states)
    lstm_weights = cells.cells[0].get_weights()
    gru_weights = cells.cells[1].get_weights()
    zeros3, zeros2 = np.zeros((2, 3), "float32"), np.zeros((2, 2), "float32")
    h, (h1, c1) = lstm_step(x, [zeros3, zeros3], *lstm_weights)
    want, _ = gru_step(h, [zeros2], *gru_weights)
    np.testing.assert_allclose(_np(output), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(lstm_states[1]), c1, rtol=1e-5, atol=1e-6)
    # Each cell reads the previous one's output: the GRU's kernel takes 3 features.
    assert [w.shape for w in cells.weights] == [(4, 12), (3, 12), (12,), (3, 6), (2, 6), (2, 6)]


def test_config_round_trip():
    cells = layers.StackedRNNCells([layers.LSTMCell(3), layers.GRUCell(2, reset_after=False)])
    revived = layers.StackedRNNCells.from_config(cells.get_config())
    assert [c.get_config()["units"] for c in revived.cells] == [3, 2]
    assert revived.cells[1].reset_after is False


def test_a_cell_without_state_size_is_refused():
    with pytest.raises(ValueError, match="state_size"):
        layers.StackedRNNCells([layers.LSTMCell(2), layers.Dense(2)])
