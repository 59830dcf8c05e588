"""The loop a TensorFlow user writes by hand: `tf.Variable`s, the model as a function, one
`tf.function` step with a `GradientTape` and a hand-written Adam (Keras's formula), batches
sliced from tensors. The LSTM is written out step by step (the loop unrolled in the graph, which
is faster on CPU than a `tf.while_loop`). `logits=True` uses the fused crossentropy ops;
otherwise the loss is the one the Keras model computes."""

from __future__ import annotations

import time

from workloads import WORKLOADS, data, numpy_params


def _forward(name):
    import tensorflow as tf

    def cnn(p, x):
        for kernel, bias in (p["conv1"], p["conv2"]):
            x = tf.nn.relu(tf.nn.conv2d(x, kernel, 1, "VALID") + bias)
            x = tf.nn.max_pool2d(x, 2, 2, "VALID")
        kernel, bias = p["dense"]
        return tf.matmul(tf.reshape(x, (tf.shape(x)[0], -1)), kernel) + bias

    def lstm(p, tokens):
        projected = tf.gather(p["embedding"], tokens) @ p["kernel"] + p["bias"]
        h = c = tf.zeros((tf.shape(tokens)[0], p["recurrent"].shape[0]))
        for z_x in tf.unstack(projected, axis=1):  # one slice op (cheap to differentiate)
            z = z_x + h @ p["recurrent"]
            i, f, g, o = tf.split(z, 4, axis=-1)
            c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
            h = tf.sigmoid(o) * tf.tanh(c)
        kernel, bias = p["dense"]
        return h @ kernel + bias

    def mlp(p, x):
        for i, (kernel, bias) in enumerate(p):
            x = x @ kernel + bias
            if i < len(p) - 1:
                x = tf.nn.relu(x)
        return x

    return {"cnn": cnn, "lstm": lstm}.get(name, mlp)


def _loss(name, logits):
    import tensorflow as tf

    def loss(h, y):
        if WORKLOADS[name].classes == 1:
            if logits:
                return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=h))
            p = tf.clip_by_value(tf.sigmoid(h), 1e-7, 1 - 1e-7)
            return -tf.reduce_mean(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))
        if logits:
            return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, h))
        p = tf.nn.softmax(h)
        p = tf.clip_by_value(p / tf.reduce_sum(p, -1, keepdims=True), 1e-7, 1 - 1e-7)
        return -tf.reduce_mean(tf.gather(tf.math.log(p), y, axis=1, batch_dims=1))

    return loss


def run(name, epochs, logits=False):
    """Seconds for `epochs` epochs after one tracing epoch."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    w = WORKLOADS[name]
    x, y = data(name)
    x, y = tf.constant(x), tf.constant(y)
    params = tf.nest.map_structure(tf.Variable, numpy_params(name))
    flat = tf.nest.flatten(params)
    m = [tf.Variable(tf.zeros_like(p)) for p in flat]
    v = [tf.Variable(tf.zeros_like(p)) for p in flat]
    t = tf.Variable(0.0)
    forward, loss_of = _forward(name), _loss(name, logits)

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_of(forward(params, xb), yb)
        grads = tape.gradient(loss, flat)
        t.assign_add(1.0)
        lr = 1e-3 * tf.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        for p, g, m_, v_ in zip(flat, grads, m, v):
            g = tf.convert_to_tensor(g)  # the embedding's gradient comes as IndexedSlices
            m_.assign(0.9 * m_ + 0.1 * g)
            v_.assign(0.999 * v_ + 0.001 * g * g)
            p.assign_sub(lr * m_ / (tf.sqrt(v_) + 1e-7))
        return loss

    def epoch():
        for i in range(w.steps):
            loss = step(x[i * w.batch : (i + 1) * w.batch], y[i * w.batch : (i + 1) * w.batch])
        return float(loss)

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return time.perf_counter() - start
