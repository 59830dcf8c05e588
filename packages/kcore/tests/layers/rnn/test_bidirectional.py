"""Bidirectional: the merge modes against the two layers run by hand, states, masks, a given
backward layer, config and the errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


X = np.random.default_rng(0).normal(size=(3, 5, 4)).astype("float32")


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_basics(merge_mode):
    units = 6 if merge_mode == "concat" else 3
    output = (2, 4, units)
    run_layer_test(
        layers.Bidirectional,
        init_kwargs={"layer": layers.LSTM(3, return_sequences=True), "merge_mode": merge_mode},
        input_shape=(2, 4, 5),
        expected_output_shape=[(2, 4, 3), (2, 4, 3)] if merge_mode is None else output,
        expected_num_trainable_weights=6,
        supports_masking=True,
    )


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_merge_modes_combine_the_forward_and_reversed_backward_outputs(merge_mode):
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=merge_mode)
    got = layer(X)
    forward = layers.GRU(3, return_sequences=True)
    backward = layers.GRU(3, return_sequences=True, go_backwards=True)
    forward(X)
    backward(X)
    forward.set_weights(layer.forward_layer.get_weights())
    backward.set_weights(layer.backward_layer.get_weights())
    f, b = _np(forward(X)), _np(backward(X))[:, ::-1]
    expected = {
        "concat": np.concatenate([f, b], -1),
        "sum": f + b,
        "mul": f * b,
        "ave": (f + b) / 2,
        None: (f, b),
    }[merge_mode]
    if merge_mode is None:
        for g, e in zip(got, expected):
            np.testing.assert_allclose(_np(g), e, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(_np(got), expected, rtol=1e-5, atol=1e-6)


def test_return_state_and_initial_state():
    layer = layers.Bidirectional(layers.LSTM(3, return_state=True))
    output, *states = layer(X)
    assert tuple(output.shape) == (3, 6)
    assert [tuple(s.shape) for s in states] == [(3, 3)] * 4
    initial = [np.full((3, 3), v, "float32") for v in (0.1, 0.2, 0.3, 0.4)]
    with_state = layer(X, initial_state=initial)
    assert not np.allclose(_np(with_state[0]), _np(output))
    with pytest.raises(ValueError, match="even number"):
        layer(X, initial_state=initial[:3])
    symbolic = layer(kcore.KerasTensor((None, 5, 4)))
    assert [tuple(s.shape) for s in symbolic] == [(None, 6)] + [(None, 3)] * 4


def test_masked_steps_give_zeros_in_the_sequence():
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], bool)
    layer = layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True))
    outputs = _np(layer(X, mask=mask))
    np.testing.assert_array_equal(outputs[0, 3:], 0.0)
    np.testing.assert_array_equal(outputs[2, 1:], 0.0)
    assert np.abs(outputs[1]).min() > 0


def test_a_given_backward_layer_and_names():
    layer = layers.Bidirectional(
        layers.LSTM(3, return_sequences=True, name="encoder"),
        backward_layer=layers.GRU(2, return_sequences=True, go_backwards=True),
    )
    assert tuple(layer(X).shape) == (3, 5, 5)
    assert layer.forward_layer.name == "forward_encoder"
    revived = layers.Bidirectional.from_config(layer.get_config())
    assert isinstance(revived.backward_layer, layers.GRU)
    assert revived.forward_layer.name == "forward_encoder"


def test_weights_argument_sets_the_initial_weights():
    source = layers.Bidirectional(layers.SimpleRNN(2))
    source(X)
    weights = source.get_weights()
    layer = layers.Bidirectional(layers.SimpleRNN(2), weights=weights)
    np.testing.assert_allclose(_np(layer(X)), _np(source(X)), rtol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match="recurrent layer"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(ValueError, match="Layer"):
        layers.Bidirectional("lstm")
    with pytest.raises(ValueError, match="merge mode"):
        layers.Bidirectional(layers.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3))
    with pytest.raises(ValueError, match="return_sequences"):
        layers.Bidirectional(
            layers.LSTM(3), backward_layer=layers.LSTM(3, go_backwards=True, return_sequences=True)
        )


def test_stateful_bidirectional_resets():
    layer = layers.Bidirectional(layers.SimpleRNN(2, stateful=True))
    x = np.ones((1, 3, 2), "float32")
    first = _np(layer(x))
    assert len(layer.states) == 2
    assert not np.allclose(_np(layer(x)), first)
    layer.reset_state()
    np.testing.assert_allclose(_np(layer(x)), first, rtol=1e-6)
    with pytest.raises(AttributeError, match="stateful"):
        layers.Bidirectional(layers.SimpleRNN(2)).reset_state()


@pytest.mark.needs_training
def test_bidirectional_trains_in_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5, 3)).astype("float32")
    model = kcore.Sequential(
        [kcore.Input((5, 3)), layers.Bidirectional(layers.LSTM(4)), layers.Dense(1)]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="mse")
    losses = model.fit(x, x[:, 0, :1], batch_size=8, epochs=3, verbose=0).history["loss"]
    assert losses[-1] < losses[0]
