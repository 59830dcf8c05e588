"""The loop a JAX user writes by hand: parameters in a pytree, the model as a function,
`jax.value_and_grad`, a hand-written Adam (Keras's formula) and one `jax.jit` step with donated
state (dropout keys threaded through it). The loss is the one the Keras model computes
(probabilities, clipped, then the log). Inference is the same forward pass under `jax.jit`."""

from __future__ import annotations

import numpy as np
from workloads import (
    CNN_DROPOUT,
    EMBED,
    HEADS,
    LAYER_NORM_EPSILON,
    LSTM_UNITS,
    TRANSFORMER_DROPOUT,
    WORKLOADS,
    data,
    numpy_params,
)


def _forward(name):
    """`forward(params, x, key)`: the model's output; `key` None means inference (no dropout)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    def dropout(x, rate, key):
        if key is None:
            return x
        keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
        return jnp.where(keep, x / (1.0 - rate), 0.0)

    def keys(key, n):
        return [None] * n if key is None else list(jax.random.split(key, n))

    def dense(x, p):
        kernel, bias = p
        return x @ kernel + bias

    def conv(x, kernel, bias):
        dims = ("NHWC", "HWIO", "NHWC")
        y = lax.conv_general_dilated(x, kernel, (1, 1), "VALID", dimension_numbers=dims)
        return jax.nn.relu(y + bias)

    def pool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def cnn(p, x, key):
        h = pool(conv(x, *p["conv1"]))
        h = pool(conv(h, *p["conv2"]))
        h = dropout(h.reshape(h.shape[0], -1), CNN_DROPOUT, key)
        return dense(h, p["dense"])

    def lstm(p, tokens, key):
        del key
        projected = p["embedding"][tokens] @ p["kernel"] + p["bias"]  # (batch, time, 4 units)

        def step(carry, z_x):
            h, c = carry
            i, f, g, o = jnp.split(z_x + h @ p["recurrent"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((tokens.shape[0], LSTM_UNITS), projected.dtype)
        (h, _), _ = lax.scan(step, (zeros, zeros), jnp.swapaxes(projected, 0, 1))
        return dense(h, p["dense"])

    def layer_norm(x, p):
        gamma, beta = p
        mean = jnp.mean(x, axis=-1, keepdims=True)
        variance = jnp.var(x, axis=-1, keepdims=True)
        return (x - mean) * lax.rsqrt(variance + LAYER_NORM_EPSILON) * gamma + beta

    def transformer(p, tokens, key):
        batch, length = tokens.shape
        k1, k2, k3, k4 = keys(key, 4)
        x = p["tokens"][tokens] + p["positions"][:length]
        query, key_, value, output = p["attention"]
        q, k, v = (dense(x, w).reshape(batch, length, HEADS, EMBED) for w in (query, key_, value))
        attended = jax.nn.dot_product_attention(q, k, v).reshape(batch, length, HEADS * EMBED)
        x = layer_norm(x + dropout(dense(attended, output), TRANSFORMER_DROPOUT, k1), p["norm1"])
        ffn = dense(jax.nn.relu(dense(x, p["ffn"][0])), p["ffn"][1])
        x = layer_norm(x + dropout(ffn, TRANSFORMER_DROPOUT, k2), p["norm2"])
        x = dropout(jnp.mean(x, axis=1), TRANSFORMER_DROPOUT, k3)
        x = dropout(jax.nn.relu(dense(x, p["head"][0])), TRANSFORMER_DROPOUT, k4)
        return dense(x, p["head"][1])

    def mlp(p, x, key):
        del key
        for i, layer in enumerate(p):
            x = dense(x, layer)
            if i < len(p) - 1:
                x = jax.nn.relu(x)
        return x

    return {"cnn": cnn, "lstm": lstm, "transformer": transformer}.get(name, mlp)


def _loss(name):
    import jax
    import jax.numpy as jnp

    def loss(h, y):
        if WORKLOADS[name].classes == 1:
            p = jnp.clip(jax.nn.sigmoid(h), 1e-7, 1 - 1e-7)
            return -jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log(1 - p))
        p = jax.nn.softmax(h)
        logp = jnp.log(jnp.clip(p / jnp.sum(p, axis=-1, keepdims=True), 1e-7, 1 - 1e-7))
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    return loss


class Loop:
    """Workload `name` trained by hand: `epoch()` runs one epoch and waits for it, `predict(x)`
    is the compiled forward pass to a numpy array."""

    def __init__(self, name):
        import jax
        import jax.numpy as jnp

        self.w = WORKLOADS[name]
        self.x, self.y = data(name)
        forward, loss_of = _forward(name), _loss(name)
        params = jax.tree.map(jnp.asarray, numpy_params(name))

        def loss_fn(params, xb, yb, key):
            return loss_of(forward(params, xb, key), yb)

        def step(state, xb, yb):
            params, m, v, t, key = state
            key, dropout_key = jax.random.split(key)
            loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb, dropout_key)
            t = t + 1
            lr = 1e-3 * jnp.sqrt(1 - 0.999**t) / (1 - 0.9**t)
            m = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
            v = jax.tree.map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
            params = jax.tree.map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + 1e-7), params, m, v)
            return (params, m, v, t, key), loss

        self.step = jax.jit(step, donate_argnums=(0,))
        zeros = jax.tree.map(jnp.zeros_like, params)
        self.state = (
            params,
            zeros,
            jax.tree.map(jnp.zeros_like, params),
            jnp.zeros((), jnp.float32),
            jax.random.key(0),
        )
        self.forward = jax.jit(lambda params, x: forward(params, x, None))

    def epoch(self):
        w = self.w
        for i in range(w.steps):
            batch = slice(i * w.batch, (i + 1) * w.batch)
            self.state, loss = self.step(self.state, self.x[batch], self.y[batch])
        loss.block_until_ready()

    def predict(self, x):
        return np.asarray(self.forward(self.state[0], x))
