"""Writes the legacy `.h5` files of `test_legacy_h5.py` with Keras 3.15.1 and prints the numbers the
tests expect (copy them into the test when the files are remade).

Run from the repository root::

    KERAS_BACKEND=jax .venv/bin/python packages/kcore/tests/saving/data/make_keras315_h5.py

- ``keras315_legacy_sequential.h5``: ``model.save`` of a compiled Sequential model (Dense,
  BatchNormalization, Dropout, Dense) after two Adam steps: config, weights, optimizer state.
- ``keras315_legacy_functional.h5``: ``model.save`` of an uncompiled Functional model with two
  inputs and two outputs (Embedding and LSTM on int tokens, Conv2D on an image).
- ``keras315_legacy_weights.h5``: the weights-only layout of Keras 2's ``save_weights("x.h5")``
  (Keras 3 has no public API for it, so its own legacy writer is called) for a model with
  Bidirectional(LSTM), GRU, TimeDistributed(Dense) and a nested Sequential model.
"""

import json
import os

import h5py
import keras
import numpy as np
from keras.src.legacy.saving import legacy_h5_format

HERE = os.path.dirname(os.path.abspath(__file__))


def _path(name):
    return os.path.join(HERE, name)


def sequential():
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(2),
        ],
        name="seq",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    model.save(_path("keras315_legacy_sequential.h5"))
    probe = (np.arange(8, dtype="float32").reshape(2, 4) - 4) / 3
    print("sequential predictions:", json.dumps(model.predict(probe, verbose=0).tolist()))
    print(
        "sequential optimizer:",
        json.dumps(
            [
                [v.path, list(v.shape), float(np.asarray(v).astype("float64").sum())]
                for v in model.optimizer.variables
            ]
        ),
    )


def functional():
    keras.utils.set_random_seed(2)
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    image = keras.Input((5, 5, 2), name="image")
    embedded = keras.layers.Embedding(12, 3)(tokens)
    sequence = keras.layers.LSTM(4)(embedded)
    score = keras.layers.Dense(1, activation="sigmoid", name="score")(sequence)
    features = keras.layers.Flatten()(keras.layers.Conv2D(3, 3, activation="relu")(image))
    merged = keras.layers.Concatenate()([sequence, features])
    logits = keras.layers.Dense(3, name="logits")(merged)
    model = keras.Model([tokens, image], [score, logits], name="two_in_two_out")
    model.save(_path("keras315_legacy_functional.h5"))
    tokens_x = np.array([[1, 2, 3, 4, 5, 6], [11, 0, 7, 7, 2, 9]], "int32")
    image_x = (np.arange(100, dtype="float32").reshape(2, 5, 5, 2) - 50) / 40
    score_y, logits_y = model.predict([tokens_x, image_x], verbose=0)
    print("functional score:", json.dumps(score_y.tolist()))
    print("functional logits:", json.dumps(logits_y.tolist()))


def weights_only():
    keras.utils.set_random_seed(3)
    inputs = keras.Input((3, 4), name="steps")
    x = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))(inputs)
    x = keras.layers.GRU(3, return_sequences=True)(x)
    x = keras.layers.TimeDistributed(keras.layers.Dense(2))(x)
    x = keras.layers.Flatten()(x)
    inner = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)],
        name="head",
    )
    model = keras.Model(inputs, inner(x), name="recurrent")
    # Non-default statistics, so that their order in the file matters.
    for layer in model.layers:
        for variable in layer.weights:
            variable.assign(
                np.random.default_rng(len(variable.path)).normal(size=variable.shape) * 0.5
            )
    with h5py.File(_path("keras315_legacy_weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    x = (np.arange(24, dtype="float32").reshape(2, 3, 4) - 12) / 10
    print("weights predictions:", json.dumps(model.predict(x, verbose=0).tolist()))


if __name__ == "__main__":
    assert keras.__version__ == "3.15.1", keras.__version__
    sequential()
    functional()
    weights_only()
