"""The main job: train an MLP on scikit-learn's bundled digits, evaluate it, save it, reload it.

Ordinary Keras 3 code (`import kcore as keras`). Runs on any installed training backend:
`KCORE_BACKEND=jax python examples/digits.py` (the default picks the first one installed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kcore as keras


def load_split(shape=(64,)):
    """scikit-learn's 8x8 digits scaled to [0, 1], each image reshaped to `shape`, split 80/20
    (stratified): `(x_train, x_test, y_train, y_test)`."""
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32").reshape(-1, *shape)  # pixel values 0..16
    y = digits.target.astype("int32")
    return train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--output", default=None, help="where to save the model (.keras)")
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = load_split()

    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="digits_mlp",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.summary()
    print(f"backend: {keras.backend.backend()}")

    history = model.fit(
        x_train,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_split=0.15,
        callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)],
    )
    best = max(history.history["val_accuracy"])
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(
        f"best validation accuracy {best:.4f}; test loss {loss:.4f}, test accuracy {accuracy:.4f}"
    )

    output = args.output or os.path.join(tempfile.mkdtemp(prefix="kcore-digits-"), "digits.keras")
    model.save(output)
    reloaded = keras.models.load_model(output)
    same = np.allclose(model.predict(x_test, verbose=0), reloaded.predict(x_test, verbose=0))
    print(f"saved to {output}; the reloaded model predicts the same: {same}")
    return 0 if same and accuracy >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
