import os

import numpy as np
import pytest

from kcore import callbacks as cbks


def _epochs(callback, model, logs_per_epoch):
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, dict(logs))
    callback.on_train_end()


def test_file_names_come_from_the_epoch_and_logs(tmp_path, model):
    template = str(tmp_path / "ckpt" / "{epoch:02d}-{val_loss:.2f}.weights.h5")
    checkpoint = cbks.ModelCheckpoint(template, save_weights_only=True)
    _epochs(checkpoint, model, [{"val_loss": 0.5}, {"val_loss": 0.25}])
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["01-0.50.weights.h5", "02-0.25.weights.h5"]


def test_saved_weights_load_back(tmp_path, model, make_model):
    path = str(tmp_path / "best.weights.h5")
    _epochs(cbks.ModelCheckpoint(path, save_weights_only=True), model, [{"val_loss": 1.0}])
    other = make_model(seed=1)
    other.load_weights(path)
    for mine, theirs in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(mine, theirs)


def test_save_best_only_saves_improving_epochs(tmp_path, model):
    template = str(tmp_path / "{epoch}.weights.h5")
    checkpoint = cbks.ModelCheckpoint(
        template, monitor="val_accuracy", save_best_only=True, save_weights_only=True
    )
    _epochs(checkpoint, model, [{"val_accuracy": a} for a in (0.5, 0.4, 0.7, 0.7)])
    assert sorted(os.listdir(tmp_path)) == ["1.weights.h5", "3.weights.h5"]
    assert checkpoint.best == 0.7


def test_initial_value_threshold_must_be_beaten(tmp_path, model):
    checkpoint = cbks.ModelCheckpoint(
        str(tmp_path / "{epoch}.weights.h5"),
        save_best_only=True,
        save_weights_only=True,
        initial_value_threshold=0.3,
    )
    _epochs(checkpoint, model, [{"val_loss": v} for v in (0.5, 0.2)])
    assert os.listdir(tmp_path) == ["2.weights.h5"]


def test_integer_save_freq_saves_every_n_batches(tmp_path, model):
    checkpoint = cbks.ModelCheckpoint(
        str(tmp_path / "{epoch}-{batch}.weights.h5"), save_freq=2, save_weights_only=True
    )
    checkpoint.set_model(model)
    checkpoint.on_train_begin()
    for epoch in range(2):
        checkpoint.on_epoch_begin(epoch)
        for batch in range(3):
            checkpoint.on_train_batch_end(batch, {"loss": 1.0})
        checkpoint.on_epoch_end(epoch, {"loss": 1.0})
    assert sorted(os.listdir(tmp_path)) == ["1-2.weights.h5", "2-1.weights.h5", "2-3.weights.h5"]


def test_full_model_is_saved_as_keras_file(tmp_path, model):
    path = tmp_path / "model.keras"
    _epochs(cbks.ModelCheckpoint(str(path)), model, [{"val_loss": 1.0}])
    assert path.is_file()


def test_missing_template_field_names_the_available_ones(tmp_path, model):
    checkpoint = cbks.ModelCheckpoint(
        str(tmp_path / "{val_acc:.2f}.weights.h5"), save_weights_only=True
    )
    with pytest.raises(KeyError, match="val_acc.*val_loss"):
        _epochs(checkpoint, model, [{"val_loss": 1.0}])


def test_bad_arguments_are_explained(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        cbks.ModelCheckpoint(str(tmp_path / "m.keras"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        cbks.ModelCheckpoint(str(tmp_path / "m.ckpt"))
    with pytest.raises(ValueError, match="save_freq"):
        cbks.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
