"""Callbacks driven by a real `fit`: what a Keras user writes in a training script."""

import csv

import numpy as np
import pytest

import kcore
from kcore import callbacks, layers

pytestmark = pytest.mark.needs_training


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ rng.normal(size=(4, 1))).astype("float32")


def _model(lr=0.01):
    kcore.utils.set_random_seed(0)
    model = kcore.Sequential(
        [kcore.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer=kcore.optimizers.SGD(lr), loss="mse", metrics=["mae"])
    return model


def test_early_stopping_restores_the_best_weights():
    x, y = _data()
    model = _model(lr=0.5)  # too large: the validation loss soon gets worse
    seen = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights()))
    )
    stop = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(
        x, y, validation_data=(x, y), epochs=30, callbacks=[record, stop], verbose=0
    )
    assert len(history.epoch) < 30
    best_loss, best_weights = min(seen, key=lambda item: item[0])
    for got, expected in zip(model.get_weights(), best_weights):
        np.testing.assert_array_equal(got, expected)
    assert best_loss == min(history.history["val_loss"])


def test_model_checkpoint_templates_and_best_only(tmp_path):
    x, y = _data()
    model = _model()
    template = str(tmp_path / "w-{epoch:02d}-{val_loss:.3f}.weights.h5")
    checkpoint = callbacks.ModelCheckpoint(template, save_weights_only=True)
    best = callbacks.ModelCheckpoint(str(tmp_path / "best.keras"), save_best_only=True)
    history = model.fit(
        x, y, validation_data=(x, y), epochs=3, callbacks=[checkpoint, best], verbose=0
    )
    names = sorted(p.name for p in tmp_path.glob("w-*.weights.h5"))
    expected = [
        f"w-{epoch + 1:02d}-{loss:.3f}.weights.h5"
        for epoch, loss in enumerate(history.history["val_loss"])
    ]
    assert names == sorted(expected)
    reloaded = kcore.models.load_model(tmp_path / "best.keras")
    assert reloaded.evaluate(x, y, verbose=0)[0] == pytest.approx(
        min(history.history["val_loss"]), rel=1e-4
    )


def test_terminate_on_nan_stops_at_the_first_nan_batch():
    x, y = _data()
    y[5] = np.nan
    model = _model()
    history = model.fit(
        x, y, batch_size=8, epochs=5, callbacks=[callbacks.TerminateOnNaN()], verbose=0
    )
    assert model.stop_training
    assert len(history.epoch) == 1


def test_csv_logger_and_reduce_lr_on_plateau(tmp_path):
    x, y = _data()
    model = _model(lr=0.01)
    path = tmp_path / "log.csv"
    # min_delta larger than any change: every epoch counts as a plateau.
    reduce = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1e6)
    model.fit(x, y, epochs=4, callbacks=[reduce, callbacks.CSVLogger(str(path))], verbose=0)
    rows = list(csv.DictReader(path.open()))
    assert [row["epoch"] for row in rows] == ["0", "1", "2", "3"]
    assert {"loss", "mae", "learning_rate"} <= set(rows[0])
    rates = [float(row["learning_rate"]) for row in rows]
    assert rates[-1] < rates[0]
    # Epoch 0 sets the best value; each later epoch is a plateau and halves the rate.
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01 * 0.5**3, rel=1e-5)


def test_tensorboard_event_files_read_back_by_tensorboard(tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator"
    )
    x, y = _data()
    model = _model()
    board = callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=1)
    model.fit(x, y, validation_data=(x, y), epochs=2, callbacks=[board], verbose=0)
    train = event_accumulator.EventAccumulator(
        str(tmp_path / "train"), size_guidance={"tensors": 0, "histograms": 0, "scalars": 0}
    )
    train.Reload()
    tags = train.Tags()
    scalar_tags = set(tags["scalars"]) | set(tags["tensors"])
    assert {"epoch_loss", "epoch_mae"} <= scalar_tags
    assert tags["histograms"]
    validation = event_accumulator.EventAccumulator(str(tmp_path / "validation"))
    validation.Reload()
    assert "epoch_loss" in set(validation.Tags()["scalars"]) | set(validation.Tags()["tensors"])
