"""The benchmark workloads: their data and the Keras-API model each framework builds.

| name | model | batch |
|---|---|---|
| tiny | Dense(10, softmax) on 64 features | 32 |
| mlp | 784-512-512-10 (relu, softmax) | 128 |
| cnn | Conv2D(32, 3, relu) + MaxPooling2D + Conv2D(64, 3, relu) + MaxPooling2D + Flatten + Dropout(0.5) + Dense(10, softmax) on 28x28x1 | 128 |
| lstm | Embedding(20000, 128) + LSTM(64) + Dense(1, sigmoid) on sequences of 100 token ids | 64 |
| transformer | token + position Embedding(20000 / 200, 32), one block: MultiHeadAttention(2 heads, key_dim 32), Dropout(0.1), residual, LayerNormalization, Dense(32, relu) + Dense(32), Dropout(0.1), residual, LayerNormalization; GlobalAveragePooling1D + Dropout(0.1) + Dense(20, relu) + Dropout(0.1) + Dense(2, softmax), on sequences of 200 token ids | 32 |

The cnn is Keras's "Simple MNIST convnet" example and the transformer its "Text classification
with Transformer" example. All train with Adam (learning rate 1e-3) on synthetic data: sparse
categorical crossentropy for the classifiers, binary crossentropy for lstm. The hand-written
loops (`handwritten_*.py`) compute the same functions from the same initial values
(`numpy_params`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    batch: int
    steps: int  # batches per epoch
    input_shape: tuple  # per sample
    classes: int  # 1: binary (sigmoid output)
    tokens: bool = False  # integer token ids as input


WORKLOADS = {
    "tiny": Workload(batch=32, steps=300, input_shape=(64,), classes=10),
    "mlp": Workload(batch=128, steps=40, input_shape=(784,), classes=10),
    "cnn": Workload(batch=128, steps=12, input_shape=(28, 28, 1), classes=10),
    "lstm": Workload(batch=64, steps=16, input_shape=(100,), classes=1, tokens=True),
    "transformer": Workload(batch=32, steps=16, input_shape=(200,), classes=2, tokens=True),
}
MLP_HIDDEN = {"tiny": (), "mlp": (512, 512)}
VOCABULARY = 20000
EMBEDDING = 128
LSTM_UNITS = 64
CNN_DROPOUT = 0.5
# The transformer: embedding size, attention heads (each with key_dim = EMBED), feed-forward size,
# the size of the classifier's hidden layer, and the dropout rate everywhere.
EMBED, HEADS, FEED_FORWARD, HEAD_HIDDEN, TRANSFORMER_DROPOUT = 32, 2, 32, 20, 0.1
LAYER_NORM_EPSILON = 1e-6


def data(name):
    """`(x, y)` for one epoch of workload `name`."""
    w = WORKLOADS[name]
    rng = np.random.default_rng(0)
    n = w.batch * w.steps
    if w.tokens:
        x = rng.integers(0, VOCABULARY, size=(n, *w.input_shape)).astype("int32")
    else:
        x = rng.normal(size=(n, *w.input_shape)).astype("float32")
    if w.classes == 1:
        return x, rng.integers(0, 2, size=(n, 1)).astype("float32")
    return x, rng.integers(0, w.classes, size=(n,)).astype("int32")


def _transformer(keras, inputs):
    L = keras.layers
    length = WORKLOADS["transformer"].input_shape[0]

    class TokenAndPositionEmbedding(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.tokens = L.Embedding(VOCABULARY, EMBED)
            self.positions = L.Embedding(length, EMBED)

        def call(self, x):
            positions = self.positions(keras.ops.arange(0, keras.ops.shape(x)[-1], 1))
            return self.tokens(x) + positions

    x = TokenAndPositionEmbedding()(inputs)
    attention = L.MultiHeadAttention(num_heads=HEADS, key_dim=EMBED)(x, x)
    x = L.LayerNormalization(epsilon=LAYER_NORM_EPSILON)(
        x + L.Dropout(TRANSFORMER_DROPOUT)(attention)
    )
    ffn = L.Dense(EMBED)(L.Dense(FEED_FORWARD, activation="relu")(x))
    x = L.LayerNormalization(epsilon=LAYER_NORM_EPSILON)(x + L.Dropout(TRANSFORMER_DROPOUT)(ffn))
    x = L.Dropout(TRANSFORMER_DROPOUT)(L.GlobalAveragePooling1D()(x))
    x = L.Dropout(TRANSFORMER_DROPOUT)(L.Dense(HEAD_HIDDEN, activation="relu")(x))
    return L.Dense(2, activation="softmax")(x)


def keras_model(keras, name):
    """The compiled model of workload `name`, built with `keras` (the pip package or kcore)."""
    w = WORKLOADS[name]
    L = keras.layers
    inputs = keras.Input(w.input_shape, dtype="int32" if w.tokens else "float32")
    if name == "transformer":
        model = keras.Model(inputs, _transformer(keras, inputs))
    else:
        if name == "cnn":
            body = [
                L.Conv2D(32, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Flatten(),
                L.Dropout(CNN_DROPOUT),
                L.Dense(w.classes, activation="softmax"),
            ]
        elif name == "lstm":
            body = [L.Embedding(VOCABULARY, EMBEDDING), L.LSTM(LSTM_UNITS), L.Dense(1, "sigmoid")]
        else:
            body = [L.Dense(units, activation="relu") for units in MLP_HIDDEN[name]]
            body.append(L.Dense(w.classes, activation="softmax"))
        model = keras.Sequential([inputs, *body])
    loss = "binary_crossentropy" if w.classes == 1 else "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return model


def _glorot(rng, shape, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype("float32")


def _dense(rng, fan_in, fan_out):
    return (_glorot(rng, (fan_in, fan_out), fan_in, fan_out), np.zeros(fan_out, "float32"))


def _embedding(rng, rows, size):
    return rng.uniform(-0.05, 0.05, (rows, size)).astype("float32")


def numpy_params(name, seed=0):
    """Initial parameters of workload `name` for the hand-written loops (Glorot-uniform kernels,
    zero biases, uniform(-0.05, 0.05) embeddings, LayerNormalization's ones and zeros), as numpy
    arrays in a pytree of dicts, lists and tuples."""
    rng = np.random.default_rng(seed)
    w = WORKLOADS[name]
    if name == "cnn":
        return {
            "conv1": (_glorot(rng, (3, 3, 1, 32), 9, 288), np.zeros(32, "float32")),
            "conv2": (_glorot(rng, (3, 3, 32, 64), 288, 576), np.zeros(64, "float32")),
            "dense": _dense(rng, 1600, 10),
        }
    if name == "lstm":
        units = LSTM_UNITS
        return {
            "embedding": _embedding(rng, VOCABULARY, EMBEDDING),
            "kernel": _glorot(rng, (EMBEDDING, 4 * units), EMBEDDING, 4 * units),
            "recurrent": _glorot(rng, (units, 4 * units), units, 4 * units),
            "bias": np.zeros(4 * units, "float32"),
            "dense": _dense(rng, units, 1),
        }
    if name == "transformer":
        inner = HEADS * EMBED  # the attention's projected size: heads x key_dim
        norm = (np.ones(EMBED, "float32"), np.zeros(EMBED, "float32"))
        return {
            "tokens": _embedding(rng, VOCABULARY, EMBED),
            "positions": _embedding(rng, w.input_shape[0], EMBED),
            # query, key, value, output: (in, out) kernels and biases
            "attention": [_dense(rng, EMBED, inner) for _ in range(3)]
            + [_dense(rng, inner, EMBED)],
            "norm1": norm,
            "ffn": [_dense(rng, EMBED, FEED_FORWARD), _dense(rng, FEED_FORWARD, EMBED)],
            "norm2": tuple(a.copy() for a in norm),
            "head": [_dense(rng, EMBED, HEAD_HIDDEN), _dense(rng, HEAD_HIDDEN, 2)],
        }
    sizes = [w.input_shape[0], *MLP_HIDDEN[name], w.classes]
    return [_dense(rng, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
