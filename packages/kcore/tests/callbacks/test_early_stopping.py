import numpy as np
import pytest

from kcore import callbacks as cbks


def _run(callback, model, values, monitor="val_loss"):
    """Drives `fit`'s hooks for one epoch per value; returns the epochs that ran."""
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    ran = []
    for epoch, value in enumerate(values):
        ran.append(epoch)
        callback.on_epoch_end(epoch, {monitor: value})
        if model.stop_training:
            break
    callback.on_train_end()
    return ran


def test_stops_after_patience_epochs_without_improvement(model):
    stopper = cbks.EarlyStopping(patience=2)
    assert _run(stopper, model, [1.0, 0.5, 0.6, 0.7, 0.8]) == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 3
    assert stopper.best == 0.5


def test_min_delta_counts_small_changes_as_no_improvement(model):
    stopper = cbks.EarlyStopping(monitor="loss", min_delta=0.1, patience=1)
    assert _run(stopper, model, [1.0, 0.95, 0.5], monitor="loss") == [0, 1]


def test_restores_the_weights_of_the_best_epoch(model):
    stopper = cbks.EarlyStopping(patience=1, restore_best_weights=True)
    stopper.set_model(model)
    stopper.on_train_begin()
    weights = []
    for epoch, loss in enumerate([1.0, 0.5, 0.9]):
        weights.append([np.full(w.shape, epoch, "float32") for w in model.weights])
        model.set_weights(weights[-1])
        stopper.on_epoch_end(epoch, {"val_loss": loss})
    assert model.stop_training
    stopper.on_train_end()
    assert stopper.best_epoch == 1
    for restored, expected in zip(model.get_weights(), weights[1]):
        np.testing.assert_array_equal(restored, expected)


def test_baseline_must_be_beaten_to_reset_the_wait(model):
    assert _run(cbks.EarlyStopping(patience=2), model, [0.5, 0.6, 0.7]) == [0, 1, 2]
    with_baseline = cbks.EarlyStopping(patience=2, baseline=0.1)
    assert _run(with_baseline, model, [0.5, 0.6, 0.7]) == [0, 1]


def test_start_from_epoch_skips_the_warm_up(model):
    stopper = cbks.EarlyStopping(patience=0, start_from_epoch=3)
    assert _run(stopper, model, [1.0, 2.0, 3.0, 4.0, 5.0]) == [0, 1, 2, 3, 4]


def test_auto_mode_maximizes_accuracy(model):
    increasing = cbks.EarlyStopping(monitor="val_accuracy", patience=0)
    assert _run(increasing, model, [0.1, 0.2, 0.3], monitor="val_accuracy") == [0, 1, 2]
    decreasing = cbks.EarlyStopping(monitor="val_accuracy", patience=0)
    assert _run(decreasing, model, [0.3, 0.2, 0.1], monitor="val_accuracy") == [0, 1]


def test_instances_can_be_reused_across_fits(model):
    stopper = cbks.EarlyStopping(patience=0)
    assert _run(stopper, model, [0.1, 0.2]) == [0, 1]
    assert _run(stopper, model, [5.0, 4.0, 3.0]) == [0, 1, 2]


def test_warns_when_the_monitored_metric_is_missing(model):
    stopper = cbks.EarlyStopping(monitor="val_loss")
    stopper.set_model(model)
    stopper.on_train_begin()
    with pytest.warns(UserWarning, match="`val_loss` which is not available.*loss"):
        stopper.on_epoch_end(0, {"loss": 1.0})
    assert not getattr(model, "stop_training", False)


def test_unknown_direction_asks_for_a_mode(model):
    stopper = cbks.EarlyStopping(monitor="val_custom")
    stopper.set_model(model)
    with pytest.raises(ValueError, match="mode='max'"):
        stopper.on_epoch_end(0, {"val_custom": 1.0})
    explicit = cbks.EarlyStopping(monitor="val_custom", mode="max", patience=0)
    assert _run(explicit, model, [2.0, 1.0], monitor="val_custom") == [0, 1]
