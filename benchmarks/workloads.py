"""The benchmark workloads: their data and the Keras-API model each framework builds.

| name | model | batch |
|---|---|---|
| tiny | Dense(10, softmax) on 64 features | 32 |
| mlp | 784-512-512-10 (relu, softmax) | 128 |
| cnn | Conv2D(32, 3, relu) + MaxPooling2D + Conv2D(64, 3, relu) + MaxPooling2D + Flatten + Dense(10, softmax) on 28x28x1 | 128 |
| lstm | Embedding(20000, 128) + LSTM(64) + Dense(1, sigmoid) on sequences of 100 token ids | 64 |

All train with Adam (learning rate 1e-3) on synthetic data: sparse categorical crossentropy
for the classifiers, binary crossentropy for lstm. The hand-written loops (`handwritten_*.py`)
compute the same functions.
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


WORKLOADS = {
    "tiny": Workload(batch=32, steps=200, input_shape=(64,), classes=10),
    "mlp": Workload(batch=128, steps=40, input_shape=(784,), classes=10),
    "cnn": Workload(batch=128, steps=20, input_shape=(28, 28, 1), classes=10),
    "lstm": Workload(batch=64, steps=20, input_shape=(100,), classes=1),
}
MLP_HIDDEN = {"tiny": (), "mlp": (512, 512)}
VOCABULARY = 20000
EMBEDDING = 128
LSTM_UNITS = 64


def data(name):
    """`(x, y)` for one epoch of workload `name`."""
    w = WORKLOADS[name]
    rng = np.random.default_rng(0)
    n = w.batch * w.steps
    if name == "lstm":
        x = rng.integers(0, VOCABULARY, size=(n, *w.input_shape)).astype("int32")
        return x, rng.integers(0, 2, size=(n, 1)).astype("float32")
    x = rng.normal(size=(n, *w.input_shape)).astype("float32")
    return x, rng.integers(0, w.classes, size=(n,)).astype("int32")


def keras_model(keras, name):
    """The compiled model of workload `name`, built with `keras` (the pip package or kcore)."""
    w = WORKLOADS[name]
    L = keras.layers
    if name == "cnn":
        body = [
            L.Conv2D(32, 3, activation="relu"),
            L.MaxPooling2D(2),
            L.Conv2D(64, 3, activation="relu"),
            L.MaxPooling2D(2),
            L.Flatten(),
            L.Dense(w.classes, activation="softmax"),
        ]
    elif name == "lstm":
        body = [L.Embedding(VOCABULARY, EMBEDDING), L.LSTM(LSTM_UNITS), L.Dense(1, "sigmoid")]
    else:
        body = [L.Dense(units, activation="relu") for units in MLP_HIDDEN[name]]
        body.append(L.Dense(w.classes, activation="softmax"))
    dtype = "int32" if name == "lstm" else "float32"
    model = keras.Sequential([keras.Input(w.input_shape, dtype=dtype), *body])
    loss = "binary_crossentropy" if w.classes == 1 else "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return model


def _glorot(rng, shape, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype("float32")


def numpy_params(name, seed=0):
    """Initial parameters of workload `name` for the hand-written loops (Glorot-uniform kernels,
    zero biases), as numpy arrays in a pytree of dicts, lists and tuples."""
    rng = np.random.default_rng(seed)
    w = WORKLOADS[name]
    if name == "cnn":
        return {
            "conv1": (_glorot(rng, (3, 3, 1, 32), 9, 288), np.zeros(32, "float32")),
            "conv2": (_glorot(rng, (3, 3, 32, 64), 288, 576), np.zeros(64, "float32")),
            "dense": (_glorot(rng, (1600, 10), 1600, 10), np.zeros(10, "float32")),
        }
    if name == "lstm":
        units = LSTM_UNITS
        return {
            "embedding": rng.uniform(-0.05, 0.05, (VOCABULARY, EMBEDDING)).astype("float32"),
            "kernel": _glorot(rng, (EMBEDDING, 4 * units), EMBEDDING, 4 * units),
            "recurrent": _glorot(rng, (units, 4 * units), units, 4 * units),
            "bias": np.zeros(4 * units, "float32"),
            "dense": (_glorot(rng, (units, 1), units, 1), np.zeros(1, "float32")),
        }
    sizes = [w.input_shape[0], *MLP_HIDDEN[name], w.classes]
    return [
        (_glorot(rng, (a, b), a, b), np.zeros(b, "float32")) for a, b in zip(sizes[:-1], sizes[1:])
    ]
