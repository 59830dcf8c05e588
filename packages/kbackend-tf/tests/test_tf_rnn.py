"""The TensorFlow LSTM/GRU kernels (input projection hoisted; unrolled for short sequences, a
`while_loop` for long ones): the numbers and gradients of the cell run step by step through
`rnn`, with masks and backwards, under `tf.function` and `GradientTape`."""

import numpy as np
import pytest

import kcore

tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.skipif(
    kcore.backend.backend() != "tensorflow", reason="TensorFlow's kernels"
)

from kbackend_tf import rnn  # noqa: E402

MASKS = {
    "none": None,
    "right-padded": [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]],
    "scattered": [[1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 0, 0, 1, 0]],
}


def _tensor(shape, seed):
    return tf.constant(np.random.default_rng(seed).normal(size=shape).astype("float32") * 0.5)


def _lstm_cell(x, states, kernel, recurrent, bias):
    h, c = states
    i, f, g, o = tf.split(x @ kernel + h @ recurrent + bias, 4, axis=-1)
    c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    h = tf.sigmoid(o) * tf.tanh(c)
    return h, [h, c]


def _gru_cell(x, states, kernel, recurrent, bias):
    (h,) = states
    x_z, x_r, x_h = tf.split(x @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = tf.split(h @ recurrent + bias[1], 3, axis=-1)
    z, r = tf.sigmoid(x_z + h_z), tf.sigmoid(x_r + h_r)
    h = z * h + (1 - z) * tf.tanh(x_h + r * h_h)
    return h, [h]


def _case(kind, steps):
    gates = 4 if kind == "lstm" else 3
    x = _tensor((3, steps, 4), 0)
    states = [_tensor((3, 6), 1)] + ([_tensor((3, 6), 2)] if kind == "lstm" else [])
    params = [
        tf.Variable(_tensor((4, gates * 6), 3)),
        tf.Variable(_tensor((6, gates * 6), 4)),
        tf.Variable(_tensor((gates * 6,) if kind == "lstm" else (2, gates * 6), 5)),
    ]
    return x, states, params


# 5 steps run unrolled, 140 in a while_loop (rnn.UNROLL_STEPS is 128).
@pytest.mark.parametrize("steps", [5, 140])
@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_kernel_matches_the_cell_loop_in_a_tf_function(steps, kind, mask, go_backwards):
    x, states, params = _case(kind, steps)
    if MASKS[mask] is not None:
        rows = np.array(MASKS[mask], bool)
        mask = tf.constant(np.concatenate([rows, np.ones((3, steps - 5), bool)], axis=1))
    else:
        mask = None
    fused_fn = rnn.lstm if kind == "lstm" else rnn.gru
    cell = _lstm_cell if kind == "lstm" else _gru_cell

    @tf.function
    def fused():
        with tf.GradientTape() as tape:
            last, outputs, final = fused_fn(
                x,
                *states,
                mask,
                *params,
                kcore.activations.tanh,
                kcore.activations.sigmoid,
                return_sequences=True,
                go_backwards=go_backwards,
            )
            loss = sum(tf.reduce_sum(t**2) for t in [last, outputs, *final])
        return outputs, tape.gradient(loss, params)

    def loop():
        with tf.GradientTape() as tape:
            last, outputs, final = rnn.rnn(
                lambda xt, s: cell(xt, s, *params), x, states, go_backwards=go_backwards, mask=mask
            )
            loss = sum(tf.reduce_sum(t**2) for t in [last, outputs, *final])
        return outputs, tape.gradient(loss, params)

    got, got_grads = fused()
    want, want_grads = loop()
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)
    for g, w in zip(got_grads, want_grads):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-4, atol=1e-4)


def test_lstm_layer_trains_with_a_gradient_tape():
    layer = kcore.layers.LSTM(4)
    x = _tensor((8, 5, 3), 0)
    layer(x)
    optimizer = kcore.optimizers.SGD(0.1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((layer(x) - 0.5) ** 2)
        optimizer.apply(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables)
        return loss

    losses = [float(step()) for _ in range(5)]
    assert losses[-1] < losses[0]
