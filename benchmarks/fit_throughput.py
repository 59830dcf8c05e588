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


def run_handwritten_torch(workload, epochs, logits=False):
    """The loop a torch user writes: the same layers, `torch.optim.Adam` (multi-tensor), the
    data converted to tensors once and sliced per batch."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    features, hidden, classes, batch, steps = WORKLOADS[workload]
    x, y = _data(workload)
    x, y = torch.from_numpy(x), torch.from_numpy(y).long()
    sizes = [features, *hidden, classes]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)

    def loss_fn(h, yb):
        if logits:
            return torch.nn.functional.cross_entropy(h, yb)
        p = torch.softmax(h, dim=-1)  # what the Keras model computes, as in the JAX loop
        p = torch.clamp(p / p.sum(dim=-1, keepdim=True), 1e-7, 1 - 1e-7)
        return torch.nn.functional.nll_loss(torch.log(p), yb)

    def epoch():
        for i in range(steps):
            xb, yb = x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
        return float(loss.detach())

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return time.perf_counter() - start


def run_handwritten_tf(workload, epochs, logits=False):
    """The loop a TensorFlow user writes: `tf.Variable`s, a `tf.function` step with a
    `GradientTape` and a hand-written Adam (Keras's formula), batches sliced from tensors."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    features, hidden, classes, batch, steps = WORKLOADS[workload]
    x, y = _data(workload)
    x, y = tf.constant(x), tf.constant(y)
    sizes = [features, *hidden, classes]
    rng = np.random.default_rng(0)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        kernel = rng.uniform(-limit, limit, (fan_in, fan_out)).astype("float32")
        params += [tf.Variable(kernel), tf.Variable(tf.zeros(fan_out))]
    m = [tf.Variable(tf.zeros_like(p)) for p in params]
    v = [tf.Variable(tf.zeros_like(p)) for p in params]
    t = tf.Variable(0.0)

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            h = xb
            for i in range(0, len(params), 2):
                h = tf.matmul(h, params[i]) + params[i + 1]
                if i < len(params) - 2:
                    h = tf.nn.relu(h)
            if logits:
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=h)
                )
            else:
                p = tf.nn.softmax(h)
                p = tf.clip_by_value(p / tf.reduce_sum(p, -1, keepdims=True), 1e-7, 1 - 1e-7)
                loss = -tf.reduce_mean(tf.gather(tf.math.log(p), yb, axis=1, batch_dims=1))
        grads = tape.gradient(loss, params)
        t.assign_add(1.0)
        lr = 1e-3 * tf.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        for p, g, m_, v_ in zip(params, grads, m, v):
            m_.assign(0.9 * m_ + 0.1 * g)
            v_.assign(0.999 * v_ + 0.001 * g * g)
            p.assign_sub(lr * m_ / (tf.sqrt(v_) + 1e-7))
        return loss

    def epoch():
        for i in range(steps):
            loss = step(x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch])
        return float(loss)

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return time.perf_counter() - start


HANDWRITTEN = {"jax": run_handwritten_jax, "torch": run_handwritten_torch, "tf": run_handwritten_tf}


def main():
    parser = argparse.ArgumentParser()
    contenders = ["kcore", "keras"] + [f"{h}{s}" for h in HANDWRITTEN for s in ("", "-logits")]
    parser.add_argument("--contender", choices=contenders, required=True)
    parser.add_argument("--workload", choices=tuple(WORKLOADS), required=True)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    loop = HANDWRITTEN.get(args.contender.removesuffix("-logits"))
    if loop is not None:
        seconds = loop(args.workload, args.epochs, args.contender.endswith("-logits"))
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
