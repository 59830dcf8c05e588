"""A convolutional network on scikit-learn's 8x8 digits, as 8x8x1 images.

Ordinary Keras 3 code (`import kcore as keras`): Conv2D, BatchNormalization, MaxPooling2D,
augmentation with RandomTranslation (active only in training), Dropout. Runs on any installed
training backend: `KCORE_BACKEND=torch python examples/digits_cnn.py`.
"""

from __future__ import annotations

import argparse
import sys

from digits import load_split

import kcore as keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = load_split(shape=(8, 8, 1))
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
            keras.layers.Conv2D(32, 3, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name="digits_cnn",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=2e-3),
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
        callbacks=[keras.callbacks.EarlyStopping(patience=6, restore_best_weights=True)],
        verbose=2,
    )
    best = max(history.history["val_accuracy"])
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(
        f"best validation accuracy {best:.4f}; test loss {loss:.4f}, test accuracy {accuracy:.4f}"
    )
    return 0 if accuracy >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
