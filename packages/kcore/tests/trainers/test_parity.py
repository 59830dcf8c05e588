"""Cross-backend parity: with the same weights and the same batch, the loss, the gradients and the
weights after one optimizer step are the numbers a numpy computation of the same model gives.
Every training backend runs this file, so jax, torch and tensorflow agree with each other to
float32 tolerance."""

import numpy as np
import pytest

import kcore

pytestmark = pytest.mark.needs_training

RTOL, ATOL = 2e-5, 2e-6


def _weights():
    rng = np.random.default_rng(7)
    return [
        rng.normal(scale=0.5, size=(5, 4)).astype("float32"),
        rng.normal(scale=0.1, size=(4,)).astype("float32"),
        rng.normal(scale=0.5, size=(4, 3)).astype("float32"),
        rng.normal(scale=0.1, size=(3,)).astype("float32"),
    ]


def _batch():
    rng = np.random.default_rng(8)
    return rng.normal(size=(6, 5)).astype("float32"), rng.integers(0, 3, size=(6,)).astype("int32")


def _model(optimizer):
    model = kcore.Sequential(
        [
            kcore.Input((5,)),
            kcore.layers.Dense(4, activation="relu"),
            kcore.layers.Dense(3, activation="softmax"),
        ]
    )
    model.set_weights(_weights())
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    return model


def _reference_loss_and_gradients():
    """The model's loss and gradients, computed by hand in float64."""
    w1, b1, w2, b2 = (w.astype("float64") for w in _weights())
    x, y = _batch()
    x = x.astype("float64")
    pre = x @ w1 + b1
    hidden = np.maximum(pre, 0)
    logits = hidden @ w2 + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    d_logits = (p - np.eye(3)[y]) / n
    d_hidden = d_logits @ w2.T * (pre > 0)
    grads = [x.T @ d_hidden, d_hidden.sum(0), hidden.T @ d_logits, d_logits.sum(0)]
    return loss, grads


def test_the_loss_is_the_reference_loss():
    model = _model("sgd")
    x, y = _batch()
    loss, _ = _reference_loss_and_gradients()
    np.testing.assert_allclose(model.test_on_batch(x, y), loss, rtol=RTOL)


def test_one_sgd_step_moves_the_weights_by_the_reference_gradients():
    model = _model(kcore.optimizers.SGD(0.1))
    x, y = _batch()
    model.train_on_batch(x, y)
    _, grads = _reference_loss_and_gradients()
    for after, before, grad in zip(model.get_weights(), _weights(), grads):
        np.testing.assert_allclose(after, before - 0.1 * grad, rtol=RTOL, atol=ATOL)


def test_one_adam_step_gives_the_reference_weights():
    model = _model(kcore.optimizers.Adam(0.01))
    x, y = _batch()
    model.train_on_batch(x, y)
    _, grads = _reference_loss_and_gradients()
    alpha = 0.01 * np.sqrt(1 - 0.999) / (1 - 0.9)
    for after, before, grad in zip(model.get_weights(), _weights(), grads):
        m, v = 0.1 * grad, 0.001 * grad**2
        np.testing.assert_allclose(after, before - alpha * m / (np.sqrt(v) + 1e-7), atol=1e-5)
