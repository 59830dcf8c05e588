"""The loop a JAX user writes by hand: parameters in a pytree, the model as a function,
`jax.value_and_grad`, a hand-written Adam (Keras's formula) and one `jax.jit` step with donated
state. `logits=True` uses the cheaper fused loss (`log_softmax` / sigmoid crossentropy on logits)
many JAX users write; otherwise the loss is the one the Keras model computes (probabilities,
clipped, then the log)."""

from __future__ import annotations

import time

from workloads import LSTM_UNITS, WORKLOADS, data, numpy_params


def _forward(name):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def conv(x, kernel, bias):
        dims = ("NHWC", "HWIO", "NHWC")
        y = lax.conv_general_dilated(x, kernel, (1, 1), "VALID", dimension_numbers=dims)
        return jax.nn.relu(y + bias)

    def pool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def cnn(p, x):
        h = pool(conv(x, *p["conv1"]))
        h = pool(conv(h, *p["conv2"]))
        kernel, bias = p["dense"]
        return h.reshape(h.shape[0], -1) @ kernel + bias

    def lstm(p, tokens):
        projected = p["embedding"][tokens] @ p["kernel"] + p["bias"]  # (batch, time, 4 units)

        def step(carry, z_x):
            h, c = carry
            i, f, g, o = jnp.split(z_x + h @ p["recurrent"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((tokens.shape[0], LSTM_UNITS), projected.dtype)
        (h, _), _ = lax.scan(step, (zeros, zeros), jnp.swapaxes(projected, 0, 1))
        kernel, bias = p["dense"]
        return h @ kernel + bias

    def mlp(p, x):
        for i, (kernel, bias) in enumerate(p):
            x = x @ kernel + bias
            if i < len(p) - 1:
                x = jax.nn.relu(x)
        return x

    return {"cnn": cnn, "lstm": lstm}.get(name, mlp)


def _loss(name, logits):
    import jax
    import jax.numpy as jnp

    binary = WORKLOADS[name].classes == 1

    def loss(h, y):
        if binary:
            if logits:
                return jnp.mean(jnp.maximum(h, 0) - h * y + jnp.log1p(jnp.exp(-jnp.abs(h))))
            p = jnp.clip(jax.nn.sigmoid(h), 1e-7, 1 - 1e-7)
            return -jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log(1 - p))
        if logits:
            logp = jax.nn.log_softmax(h)
        else:
            p = jax.nn.softmax(h)
            logp = jnp.log(jnp.clip(p / jnp.sum(p, axis=-1, keepdims=True), 1e-7, 1 - 1e-7))
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    return loss


def run(name, epochs, logits=False):
    """Seconds for `epochs` epochs after one compiling epoch."""
    import jax
    import jax.numpy as jnp

    w = WORKLOADS[name]
    x, y = data(name)
    forward, loss_of = _forward(name), _loss(name, logits)
    params = jax.tree.map(jnp.asarray, numpy_params(name))

    def loss_fn(params, xb, yb):
        return loss_of(forward(params, xb), yb)

    def step(state, xb, yb):
        params, m, v, t = state
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        t = t + 1
        lr = 1e-3 * jnp.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        m = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
        v = jax.tree.map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
        params = jax.tree.map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + 1e-7), params, m, v)
        return (params, m, v, t), loss

    step = jax.jit(step, donate_argnums=(0,))
    zeros = jax.tree.map(jnp.zeros_like, params)
    state = (params, zeros, jax.tree.map(jnp.zeros_like, params), jnp.zeros((), jnp.float32))

    def epoch(state):
        for i in range(w.steps):
            batch = slice(i * w.batch, (i + 1) * w.batch)
            state, loss = step(state, x[batch], y[batch])
        loss.block_until_ready()
        return state

    state = epoch(state)  # compiles
    start = time.perf_counter()
    for _ in range(epochs):
        state = epoch(state)
    return time.perf_counter() - start
