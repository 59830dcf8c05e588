"""One fit-throughput measurement: one contender, one workload, in this process.

    python benchmarks/fit_throughput.py --contender kcore --workload mlp

Contenders: ``kcore`` (kcore on the backend KCORE_BACKEND names), ``keras`` (pip `keras`, on
KERAS_BACKEND), ``jax`` (a hand-written `jax.jit` loop with a hand-written Adam computing the same
function as the Keras model: softmax output, crossentropy on the probabilities with Keras's
normalization and clipping) and ``jax-logits`` (the same loop with the cheaper formulation a JAX
user often writes instead: `log_softmax` on the logits). Prints one JSON
line: samples per second over the timed epochs (after a first epoch that compiles).
`benchmarks/compare_fit.py` runs the contenders side by side and writes the table.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

WORKLOADS = {
    # name: (input features, hidden layer sizes, classes, batch size, batches per epoch)
    "mlp": (784, (512, 512), 10, 128, 40),
    "tiny": (64, (), 10, 32, 200),
}


def _data(workload):
    features, _, classes, batch, steps = WORKLOADS[workload]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch * steps, features)).astype("float32")
    y = rng.integers(0, classes, size=(batch * steps,)).astype("int32")
    return x, y


def _keras_like(keras, workload):
    features, hidden, classes, batch, _ = WORKLOADS[workload]
    layers = [keras.Input((features,))]
    layers += [keras.layers.Dense(units, activation="relu") for units in hidden]
    layers += [keras.layers.Dense(classes, activation="softmax")]
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    return model, batch


def _time_fit(model, x, y, batch, epochs):
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)  # compiles
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, shuffle=False)
    return time.perf_counter() - start


def run_framework(name, workload, epochs):
    if name == "kcore":
        import kcore as keras
    else:
        import keras
    x, y = _data(workload)
    model, batch = _keras_like(keras, workload)
    return _time_fit(model, x, y, batch, epochs)


def run_handwritten_jax(workload, epochs, logits=False):
    import jax
    import jax.numpy as jnp

    features, hidden, classes, batch, steps = WORKLOADS[workload]
    x, y = _data(workload)
    sizes = [features, *hidden, classes]
    key = jax.random.PRNGKey(0)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append(
            (
                jax.random.uniform(sub, (fan_in, fan_out), minval=-limit, maxval=limit),
                jnp.zeros(fan_out),
            )
        )

    def loss_fn(params, xb, yb):
        h = xb
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = jax.nn.relu(h)
        if logits:
            logp = jax.nn.log_softmax(h)
        else:  # what the Keras model computes: probabilities, then the crossentropy of them
            p = jax.nn.softmax(h)
            p = jnp.clip(p / jnp.sum(p, axis=-1, keepdims=True), 1e-7, 1 - 1e-7)
            logp = jnp.log(p)
        return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))

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
        for i in range(steps):
            state, loss = step(
                state, x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]
            )
        loss.block_until_ready()
        return state

    state = epoch(state)  # compiles
    start = time.perf_counter()
    for _ in range(epochs):
        state = epoch(state)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--contender", choices=("kcore", "keras", "jax", "jax-logits"), required=True
    )
    parser.add_argument("--workload", choices=tuple(WORKLOADS), required=True)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if args.contender.startswith("jax"):
        seconds = run_handwritten_jax(args.workload, args.epochs, args.contender == "jax-logits")
    else:
        seconds = run_framework(args.contender, args.workload, args.epochs)
    _, _, _, batch, steps = WORKLOADS[args.workload]
    samples = batch * steps * args.epochs
    print(
        json.dumps(
            {
                "contender": args.contender,
                "workload": args.workload,
                "samples_per_s": samples / seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
