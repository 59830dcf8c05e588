"""An LSTM sequence classifier: each 8x8 digit read row by row, as a sequence of 8 steps of 8
features.

Ordinary Keras 3 code (`import kcore as keras`): a bidirectional LSTM that returns sequences,
then an LSTM that returns its last output, then a softmax. Runs on any installed training
backend: `KCORE_BACKEND=jax python examples/digits_lstm.py`.
"""

from __future__ import annotations

import argparse
import sys

from digits import load_split

import kcore as keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = load_split(shape=(8, 8))  # (samples, time, features)
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8)),
            keras.layers.Bidirectional(keras.layers.LSTM(32, return_sequences=True)),
            keras.layers.LSTM(64),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="digits_lstm",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3),
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
        callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)],
        verbose=2,
    )
    best = max(history.history["val_accuracy"])
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(
        f"best validation accuracy {best:.4f}; test loss {loss:.4f}, test accuracy {accuracy:.4f}"
    )
    return 0 if accuracy >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
