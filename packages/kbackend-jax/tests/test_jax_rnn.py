"""The JAX LSTM/GRU kernels (input projection hoisted out of one `lax.scan`): the numbers and
gradients of the cell run step by step through `rnn`, with masks and backwards, under `jit`."""

import numpy as np
import pytest

import kcore

jax = pytest.importorskip("jax")
pytestmark = pytest.mark.skipif(kcore.backend.backend() != "jax", reason="JAX's kernels")

import jax.numpy as jnp  # noqa: E402

from kbackend_jax import rnn  # noqa: E402

MASKS = {
    "none": None,
    "right-padded": np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0]], bool),
    "scattered": np.array([[1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 0, 0, 1, 0]], bool),
}


def _array(shape, seed):
    return jnp.asarray(np.random.default_rng(seed).normal(size=shape).astype("float32") * 0.5)


def _lstm_cell(x, states, kernel, recurrent, bias):
    h, c = states
    i, f, g, o = jnp.split(x @ kernel + h @ recurrent + bias, 4, axis=-1)
    c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
    h = jax.nn.sigmoid(o) * jnp.tanh(c)
    return h, [h, c]


def _gru_cell(x, states, kernel, recurrent, bias):
    (h,) = states
    x_z, x_r, x_h = jnp.split(x @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = jnp.split(h @ recurrent + bias[1], 3, axis=-1)
    z, r = jax.nn.sigmoid(x_z + h_z), jax.nn.sigmoid(x_r + h_r)
    h = z * h + (1 - z) * jnp.tanh(x_h + r * h_h)
    return h, [h]


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_kernel_matches_the_cell_loop_under_jit(kind, mask, go_backwards):
    gates = 4 if kind == "lstm" else 3
    mask = None if MASKS[mask] is None else jnp.asarray(MASKS[mask])
    x = _array((3, 5, 4), 0)
    states = [_array((3, 6), 1)] + ([_array((3, 6), 2)] if kind == "lstm" else [])
    kernel, recurrent = _array((4, gates * 6), 3), _array((6, gates * 6), 4)
    bias = _array((gates * 6,) if kind == "lstm" else (2, gates * 6), 5)
    fused_fn = rnn.lstm if kind == "lstm" else rnn.gru
    cell = _lstm_cell if kind == "lstm" else _gru_cell

    def fused(params):
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
        return sum(jnp.sum(t**2) for t in [last, outputs, *final]), outputs

    def loop(params):
        last, outputs, final = rnn.rnn(
            lambda xt, s: cell(xt, s, *params),
            x,
            states,
            go_backwards=go_backwards,
            mask=mask,
        )
        return sum(jnp.sum(t**2) for t in [last, outputs, *final]), outputs

    params = [kernel, recurrent, bias]
    (got_loss, got), got_grads = jax.jit(jax.value_and_grad(fused, has_aux=True))(params)
    (want_loss, want), want_grads = jax.value_and_grad(loop, has_aux=True)(params)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-5)
    for g, w in zip(got_grads, want_grads):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def test_last_output_only_without_return_sequences():
    x = _array((2, 7, 3), 0)
    zeros = jnp.zeros((2, 4))
    last, outputs, _ = rnn.lstm(
        x,
        zeros,
        zeros,
        None,
        _array((3, 16), 1),
        _array((4, 16), 2),
        None,
        kcore.activations.tanh,
        kcore.activations.sigmoid,
    )
    assert outputs.shape == (2, 1, 4)
    np.testing.assert_array_equal(outputs[:, 0], last)
