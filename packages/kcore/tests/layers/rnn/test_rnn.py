"""RNN: any cell over a sequence; outputs, states, masks, backwards, stateful, initial states,
and the errors a user meets."""

import numpy as np
import optree
import pytest
from rnn_helpers import lstm_step, run, simple_rnn_step

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@kcore.saving.register_keras_serializable(package="rnn_tests")
class SumCell(layers.Layer):
    """A cell with two states: `h = x @ ones + h`, `total = total + h`; output `h`."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="ones", name="kernel"
        )

    def call(self, inputs, states):
        h = ops.matmul(inputs, self.kernel) + states[0]
        return h, [h, states[1] + h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class NoStateSize:
    def call(self, inputs, states):
        return inputs, states


SEQUENCE = np.arange(24, dtype="float32").reshape((2, 3, 4)) / 10


def test_rnn_basics_with_each_cell():
    for cell in (layers.SimpleRNNCell(3), layers.LSTMCell(3), layers.GRUCell(3)):
        run_layer_test(
            layers.RNN,
            init_kwargs={"cell": cell, "return_sequences": True},
            input_shape=(2, 5, 4),
            expected_output_shape=(2, 5, 3),
            expected_num_trainable_weights=3,
            supports_masking=True,
        )


def test_rnn_with_a_custom_cell_gives_its_sums_and_states():
    layer = layers.RNN(SumCell(2), return_sequences=True, return_state=True)
    outputs, h, total = layer(SEQUENCE)
    sums = SEQUENCE.sum(-1, keepdims=True)
    expected = np.repeat(np.cumsum(sums, axis=1), 2, axis=-1)
    np.testing.assert_allclose(_np(outputs), expected, rtol=1e-5)
    np.testing.assert_allclose(_np(h), expected[:, -1], rtol=1e-5)
    np.testing.assert_allclose(_np(total), expected.sum(1), rtol=1e-5)
    run_layer_test(
        layers.RNN,
        init_kwargs={"cell": SumCell(2), "return_state": True},
        input_shape=(2, 3, 4),
        expected_output_shape=[(2, 2), (2, 2), (2, 2)],
    )


def test_go_backwards_and_masks_follow_keras_loop():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 4)).astype("float32")
    mask = np.array([[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 1, 0]], bool)
    for go_backwards in (False, True):
        for zero_output in (False, True):
            layer = layers.RNN(
                layers.SimpleRNNCell(5),
                return_sequences=True,
                return_state=True,
                go_backwards=go_backwards,
                zero_output_for_mask=zero_output,
            )
            outputs, state = layer(x, mask=mask)
            weights = layer.get_weights()
            expected, states = run(
                lambda xt, s, weights=weights: simple_rnn_step(xt, s, *weights),
                x,
                [np.zeros((3, 5), "float32")],
                mask=mask,
                go_backwards=go_backwards,
                zero_output_for_mask=zero_output,
            )
            np.testing.assert_allclose(_np(outputs), expected, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(_np(state), states[0], rtol=1e-5, atol=1e-6)


def test_mask_from_embedding_reaches_the_rnn():
    tokens = np.array([[3, 1, 2, 0, 0], [4, 0, 0, 0, 0]], "int32")
    inputs = kcore.Input((5,), dtype="int32")
    embedded = layers.Embedding(6, 3, mask_zero=True)(inputs)
    rnn = layers.SimpleRNN(4, return_sequences=True)
    model = kcore.Model(inputs, rnn(embedded))
    outputs = _np(model(tokens))
    # Masked steps repeat the last kept step's output.
    np.testing.assert_allclose(outputs[0, 3:], np.repeat(outputs[0, 2:3], 2, axis=0), rtol=1e-6)
    np.testing.assert_allclose(outputs[1, 1:], np.repeat(outputs[1, :1], 4, axis=0), rtol=1e-6)


def test_mask_from_a_masking_layer_skips_the_padded_steps():
    x = np.ones((2, 4, 3), "float32")
    x[0, 2:] = 0.0
    inputs = kcore.Input((4, 3))
    lstm = layers.LSTM(2, return_state=True)
    model = kcore.Model(inputs, lstm(layers.Masking(0.0)(inputs)))
    output, h, c = (_np(t) for t in model(x))
    short, _, c_short = (_np(t) for t in lstm(x[:, :2]))
    np.testing.assert_allclose(output[0], short[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c[0], c_short[0], rtol=1e-5, atol=1e-6)


def test_mask_propagates_only_with_return_sequences():
    inputs = kcore.Input((5,), dtype="int32")
    embedded = layers.Embedding(6, 3, mask_zero=True)(inputs)
    sequences = layers.LSTM(4, return_sequences=True)(embedded)
    assert getattr(sequences, "_keras_mask", None) is not None
    last = layers.LSTM(4)(embedded)
    assert getattr(last, "_keras_mask", None) is None
    layer = layers.RNN(layers.SimpleRNNCell(2), return_state=True, return_sequences=True)
    mask = np.ones((2, 3), bool)
    assert [m is None for m in layer.compute_mask(SEQUENCE, mask)] == [False, True]


def test_initial_state_and_its_errors():
    layer = layers.RNN(layers.LSTMCell(3), return_state=True)
    h0 = np.full((2, 3), 0.5, "float32")
    c0 = np.full((2, 3), -0.5, "float32")
    output, h, c = layer(SEQUENCE, initial_state=[h0, c0])
    weights = layer.get_weights()

    def step(x, states):
        return lstm_step(x, states, *weights)

    _, states = run(step, SEQUENCE, [h0, c0])
    np.testing.assert_allclose(_np(c), states[1], rtol=1e-5)
    with pytest.raises(ValueError, match="expects 2 initial state tensor"):
        layer(SEQUENCE, initial_state=[h0])
    with pytest.raises(ValueError, match=r"initial state 1 has shape \(2, 4\), expected \(2, 3\)"):
        layer(SEQUENCE, initial_state=[h0, np.zeros((2, 4), "float32")])


def test_stacked_cells_take_flat_initial_states():
    cells = [layers.LSTMCell(3), layers.GRUCell(2)]
    layer = layers.RNN(cells, return_state=True)
    states = [np.ones((2, 3), "float32"), np.ones((2, 3), "float32"), np.ones((2, 2), "float32")]
    output, *final = layer(SEQUENCE, initial_state=states)
    assert tuple(output.shape) == (2, 2)
    assert [tuple(s.shape) for s in optree.tree_leaves(final)] == [(2, 3), (2, 3), (2, 2)]


def test_stateful_carries_states_between_calls_and_resets():
    layer = layers.RNN(SumCell(2), stateful=True, return_state=True)
    x = np.ones((1, 2, 3), "float32")
    first, _, _ = layer(x)
    second, h, total = layer(x)
    np.testing.assert_allclose(_np(first), [[6.0, 6.0]])
    np.testing.assert_allclose(_np(second), [[12.0, 12.0]])
    np.testing.assert_allclose(_np(total), [[3 + 6 + 9 + 12] * 2])
    assert len(layer.states) == 2
    # The states are variables of the layer, not weights (as in Keras, not saved).
    assert len(layer.weights) == 1
    assert len(layer.non_trainable_variables) == len(layer.states)
    layer.reset_state()
    again, _, _ = layer(x)
    np.testing.assert_allclose(_np(again), [[6.0, 6.0]])
    with pytest.raises(ValueError, match="Expected batch size: 1"):
        layer(np.ones((3, 2, 3), "float32"))


def test_stateful_needs_a_fixed_batch_size():
    layer = layers.LSTM(3, stateful=True)
    with pytest.raises(ValueError, match="stateful, so it needs a fixed batch size"):
        layer(kcore.KerasTensor((None, 5, 4)))
    model = kcore.Sequential([kcore.Input((5, 4), batch_size=2), layers.LSTM(3, stateful=True)])
    assert tuple(model.output_shape) == (2, 3)


def test_input_rank_errors():
    for layer in (layers.RNN(layers.SimpleRNNCell(2)), layers.LSTM(2), layers.GRU(2)):
        with pytest.raises(ValueError, match=r"expects sequences of rank 3.*\(2, 4\)"):
            layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"expects sequences of rank 3.*\(2, 3, 4, 5\)"):
        layers.LSTM(2)(np.ones((2, 3, 4, 5), "float32"))


def test_cell_errors():
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(NoStateSize())
    with pytest.raises(ValueError, match="call"):
        layers.RNN(object())
    with pytest.raises(ValueError, match="state_size"):
        layers.StackedRNNCells([layers.LSTMCell(2), NoStateSize()])


def test_unroll_needs_known_timesteps():
    layer = layers.SimpleRNN(2, unroll=True)
    with pytest.raises(ValueError, match="cannot unroll"):
        layer.call(kcore.KerasTensor((2, None, 3)))
    unrolled = layers.SimpleRNN(2, unroll=True, return_sequences=True)
    looped = layers.SimpleRNN(2, return_sequences=True)
    unrolled(SEQUENCE)
    looped(SEQUENCE)
    looped.set_weights(unrolled.get_weights())
    np.testing.assert_allclose(_np(unrolled(SEQUENCE)), _np(looped(SEQUENCE)), rtol=1e-5)


def test_config_round_trip_keeps_the_cell():
    layer = layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], go_backwards=True)
    revived = layers.RNN.from_config(layer.get_config())
    assert isinstance(revived.cell, layers.StackedRNNCells)
    assert [type(c).__name__ for c in revived.cell.cells] == ["LSTMCell", "GRUCell"]
    assert revived.go_backwards


@pytest.mark.needs_training
def test_stateful_rnn_trains_in_fit_and_carries_its_states():
    model = kcore.Sequential(
        [kcore.Input((3, 2), batch_size=4), layers.LSTM(3, stateful=True), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.ones((8, 3, 2), "float32")
    model.fit(x, np.ones((8, 1), "float32"), batch_size=4, epochs=1, shuffle=False, verbose=0)
    states = [_np(v.value) for v in model.layers[0].states]
    assert all(np.abs(s).max() > 0 for s in states)
    model.layers[0].reset_state()
    assert all(np.abs(_np(v.value)).max() == 0 for v in model.layers[0].states)
