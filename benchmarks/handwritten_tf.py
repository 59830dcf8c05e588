"""The loop a TensorFlow user writes by hand: `tf.Variable`s, the model as a function, one
`tf.function` step with a `GradientTape` and a hand-written Adam (Keras's formula), batches
sliced from tensors. The LSTM is written out step by step (the loop unrolled in the graph, which
is faster on CPU than a `tf.while_loop`). The loss is the one the Keras model computes.
Inference is the same forward pass as a `tf.function`."""

from __future__ import annotations

from workloads import (
    CNN_DROPOUT,
    EMBED,
    HEADS,
    LAYER_NORM_EPSILON,
    TRANSFORMER_DROPOUT,
    WORKLOADS,
    data,
    numpy_params,
)


def _forward(name):
    """`forward(params, x, training)`: the model's output (dropout only when training)."""
    import tensorflow as tf

    def dropout(x, rate, training):
        return tf.nn.dropout(x, rate) if training else x

    def dense(x, p):
        kernel, bias = p
        return x @ kernel + bias

    def cnn(p, x, training):
        for kernel, bias in (p["conv1"], p["conv2"]):
            x = tf.nn.relu(tf.nn.conv2d(x, kernel, 1, "VALID") + bias)
            x = tf.nn.max_pool2d(x, 2, 2, "VALID")
        x = dropout(tf.reshape(x, (tf.shape(x)[0], -1)), CNN_DROPOUT, training)
        return dense(x, p["dense"])

    def lstm(p, tokens, training):
        del training
        projected = tf.gather(p["embedding"], tokens) @ p["kernel"] + p["bias"]
        h = c = tf.zeros((tf.shape(tokens)[0], p["recurrent"].shape[0]))
        for z_x in tf.unstack(projected, axis=1):  # one slice op (cheap to differentiate)
            z = z_x + h @ p["recurrent"]
            i, f, g, o = tf.split(z, 4, axis=-1)
            c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
            h = tf.sigmoid(o) * tf.tanh(c)
        return dense(h, p["dense"])

    def layer_norm(x, p):
        gamma, beta = p
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return tf.nn.batch_normalization(x, mean, variance, beta, gamma, LAYER_NORM_EPSILON)

    def transformer(p, tokens, training):
        batch, length = tf.shape(tokens)[0], tokens.shape[1]
        x = tf.gather(p["tokens"], tokens) + p["positions"][:length]
        query, key, value, output = p["attention"]
        q, k, v = (
            tf.reshape(dense(x, w), (batch, length, HEADS, EMBED)) for w in (query, key, value)
        )
        scores = tf.einsum("bqhd,bkhd->bhqk", q, k) / EMBED**0.5
        attended = tf.einsum("bhqk,bkhd->bqhd", tf.nn.softmax(scores), v)
        attended = tf.reshape(attended, (batch, length, HEADS * EMBED))
        x = layer_norm(
            x + dropout(dense(attended, output), TRANSFORMER_DROPOUT, training), p["norm1"]
        )
        ffn = dense(tf.nn.relu(dense(x, p["ffn"][0])), p["ffn"][1])
        x = layer_norm(x + dropout(ffn, TRANSFORMER_DROPOUT, training), p["norm2"])
        x = dropout(tf.reduce_mean(x, axis=1), TRANSFORMER_DROPOUT, training)
        x = dropout(tf.nn.relu(dense(x, p["head"][0])), TRANSFORMER_DROPOUT, training)
        return dense(x, p["head"][1])

    def mlp(p, x, training):
        del training
        for i, layer in enumerate(p):
            x = dense(x, layer)
            if i < len(p) - 1:
                x = tf.nn.relu(x)
        return x

    return {"cnn": cnn, "lstm": lstm, "transformer": transformer}.get(name, mlp)


def _loss(name):
    import tensorflow as tf

    def loss(h, y):
        if WORKLOADS[name].classes == 1:
            p = tf.clip_by_value(tf.sigmoid(h), 1e-7, 1 - 1e-7)
            return -tf.reduce_mean(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))
        p = tf.nn.softmax(h)
        p = tf.clip_by_value(p / tf.reduce_sum(p, -1, keepdims=True), 1e-7, 1 - 1e-7)
        return -tf.reduce_mean(tf.gather(tf.math.log(p), y, axis=1, batch_dims=1))

    return loss


class Loop:
    """Workload `name` trained by hand: `epoch()` runs one epoch and waits for it, `predict(x)`
    is the forward pass as a `tf.function`, to a numpy array."""

    def __init__(self, name):
        import tensorflow as tf

        self.w = WORKLOADS[name]
        x, y = data(name)
        self.x, self.y = tf.constant(x), tf.constant(y)
        params = tf.nest.map_structure(tf.Variable, numpy_params(name))
        flat = tf.nest.flatten(params)
        m = [tf.Variable(tf.zeros_like(p)) for p in flat]
        v = [tf.Variable(tf.zeros_like(p)) for p in flat]
        t = tf.Variable(0.0)
        forward, loss_of = _forward(name), _loss(name)

        @tf.function
        def step(xb, yb):
            with tf.GradientTape() as tape:
                loss = loss_of(forward(params, xb, True), yb)
            grads = tape.gradient(loss, flat)
            t.assign_add(1.0)
            lr = 1e-3 * tf.sqrt(1 - 0.999**t) / (1 - 0.9**t)
            for p, g, m_, v_ in zip(flat, grads, m, v):
                g = tf.convert_to_tensor(g)  # embeddings' gradients come as IndexedSlices
                m_.assign(0.9 * m_ + 0.1 * g)
                v_.assign(0.999 * v_ + 0.001 * g * g)
                p.assign_sub(lr * m_ / (tf.sqrt(v_) + 1e-7))
            return loss

        self.step = step
        self.forward = tf.function(lambda x: forward(params, x, False))

    def epoch(self):
        w = self.w
        for i in range(w.steps):
            batch = slice(i * w.batch, (i + 1) * w.batch)
            loss = self.step(self.x[batch], self.y[batch])
        float(loss)

    def predict(self, x):
        return self.forward(x).numpy()
