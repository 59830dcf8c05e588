import os

import numpy as np
import pytest

from kcore import callbacks as cbks

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


def _read(folder):
    accumulator = event_accumulator.EventAccumulator(
        str(folder), size_guidance={event_accumulator.TENSORS: 0, event_accumulator.HISTOGRAMS: 0}
    )
    accumulator.Reload()
    return accumulator


def _scalars(accumulator, tag):
    return [(event.step, pytest.approx(event.value)) for event in accumulator.Scalars(tag)]


def _fit(callback, model, epochs=2, steps=4):
    callbacks = cbks.CallbackList([callback], model=model, verbose=0, epochs=epochs, steps=steps)
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            model.optimizer.iterations.assign_add(1)
            callbacks.on_train_batch_end(step, {"loss": 1.0 / (step + 1)})
        callbacks.on_test_begin()
        callbacks.on_test_batch_begin(0)
        callbacks.on_test_batch_end(0, {"loss": 0.5})
        callbacks.on_test_end({"loss": 0.5})
        callbacks.on_epoch_end(epoch, {"loss": 0.25 * (epoch + 1), "val_loss": 0.5})
    callbacks.on_train_end()


def test_epoch_scalars_and_evaluation_go_to_keras_directories_and_tags(tmp_path, sgd_model):
    _fit(cbks.TensorBoard(log_dir=str(tmp_path)), sgd_model)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, validation = _read(tmp_path / "train"), _read(tmp_path / "validation")
    assert _scalars(train, "epoch_loss") == [(0, 0.25), (1, 0.5)]
    assert _scalars(train, "epoch_learning_rate") == [(0, 0.1), (1, 0.1)]
    assert _scalars(validation, "epoch_loss") == [(0, 0.5), (1, 0.5)]
    assert _scalars(validation, "evaluation_loss_vs_iterations") == [(4, 0.5), (8, 0.5)]
    assert not any(tag.startswith("batch_") for tag in train.Tags()["scalars"])


def test_batch_scalars_every_update_freq_batches(tmp_path, sgd_model):
    callback = cbks.TensorBoard(log_dir=str(tmp_path), update_freq=2, write_graph=False)
    _fit(callback, sgd_model)
    train = _read(tmp_path / "train")
    assert _scalars(train, "batch_loss") == [(2, 0.5), (4, 0.25), (6, 0.5), (8, 0.25)]


def test_steps_per_second(tmp_path, sgd_model):
    callback = cbks.TensorBoard(log_dir=str(tmp_path), write_steps_per_second=True)
    _fit(callback, sgd_model, epochs=1)
    values = [event.value for event in _read(tmp_path / "train").Scalars("epoch_steps_per_second")]
    assert len(values) == 1 and values[0] > 0


def test_weight_histograms_every_histogram_freq_epochs(tmp_path, sgd_model):
    callback = cbks.TensorBoard(log_dir=str(tmp_path), histogram_freq=2, write_images=True)
    _fit(callback, sgd_model, epochs=3, steps=1)
    train = _read(tmp_path / "train")
    kernel_tag = f"{sgd_model.weights[0].path}/histogram"
    assert kernel_tag in train.Tags()["histograms"]
    assert [event.step for event in train.Histograms(kernel_tag)] == [0, 2]
    histogram = train.Histograms(kernel_tag)[0].histogram_value
    assert histogram.num == sgd_model.weights[0].numpy().size
    assert histogram.min == pytest.approx(float(np.min(sgd_model.get_weights()[0])))
    assert f"{sgd_model.weights[0].path}/image" in train.Tags()["images"]


def test_model_config_is_written_for_the_graph_tab(tmp_path, sgd_model):
    callback = cbks.TensorBoard(log_dir=str(tmp_path))
    callback.set_model(sgd_model)
    callback.on_train_end()
    train = _read(tmp_path / "train")
    assert "keras" in train.Tags()["tensors"]
    content = train.PluginTagToContent("graph_keras_model")
    assert content == {"keras": b"1"}
    text = train.Tensors("keras")[0].tensor_proto.string_val[0].decode()
    assert '"class_name": "Sequential"' in text


def test_unsupported_options_warn_and_bad_ones_raise(tmp_path):
    with pytest.warns(UserWarning, match="profile_batch"):
        cbks.TensorBoard(log_dir=str(tmp_path), profile_batch=(2, 4))
    with pytest.warns(UserWarning, match="embedding"):
        cbks.TensorBoard(log_dir=str(tmp_path), embeddings_freq=1)
    with pytest.raises(ValueError, match="profile_batch"):
        cbks.TensorBoard(log_dir=str(tmp_path), profile_batch=(4, 2))
    with pytest.raises(ValueError, match="update_freq"):
        cbks.TensorBoard(log_dir=str(tmp_path), update_freq="sometimes")
