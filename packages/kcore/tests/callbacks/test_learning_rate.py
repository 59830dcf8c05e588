import pytest

from kcore import callbacks as cbks


def _lr(model):
    return float(model.optimizer.learning_rate.numpy())


def test_reduce_lr_on_plateau_reduces_after_patience(sgd_model):
    reducer = cbks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_lr=0.02)
    reducer.set_model(sgd_model)
    reducer.on_train_begin()
    rates = []
    for epoch, loss in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]):
        logs = {"loss": loss}
        reducer.on_epoch_end(epoch, logs)
        rates.append(_lr(sgd_model))
        assert logs["learning_rate"] == pytest.approx(rates[-2] if epoch else 0.1)
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02])


def test_reduce_lr_on_plateau_cooldown_and_improvement(sgd_model):
    reducer = cbks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, cooldown=2)
    reducer.set_model(sgd_model)
    reducer.on_train_begin()
    rates = []
    for epoch, loss in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 0.5]):
        reducer.on_epoch_end(epoch, {"loss": loss})
        rates.append(_lr(sgd_model))
    assert rates == pytest.approx([0.1, 0.01, 0.01, 0.001, 0.001, 0.001])


def test_reduce_lr_on_plateau_rejects_factor_of_one_or_more():
    with pytest.raises(ValueError, match="factor"):
        cbks.ReduceLROnPlateau(factor=1.0)


def test_reduce_lr_on_plateau_warns_on_missing_metric(sgd_model):
    reducer = cbks.ReduceLROnPlateau()
    reducer.set_model(sgd_model)
    reducer.on_train_begin()
    with pytest.warns(UserWarning, match="val_loss"):
        reducer.on_epoch_end(0, {"loss": 1.0})


def test_scheduler_sets_the_rate_each_epoch_and_logs_it(sgd_model, capsys):
    scheduler = cbks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1), verbose=1)
    scheduler.set_model(sgd_model)
    for epoch in range(3):
        scheduler.on_epoch_begin(epoch)
        logs = {"loss": 1.0}
        scheduler.on_epoch_end(epoch, logs)
        assert logs["learning_rate"] == pytest.approx(0.1 / (epoch + 1))
    assert _lr(sgd_model) == pytest.approx(0.1 / 3)
    assert (
        "Epoch 2: LearningRateScheduler setting learning rate to 0.05." in capsys.readouterr().out
    )


def test_scheduler_accepts_a_function_of_the_epoch_alone(sgd_model):
    scheduler = cbks.LearningRateScheduler(lambda epoch: 0.5)
    scheduler.set_model(sgd_model)
    scheduler.on_epoch_begin(0)
    assert _lr(sgd_model) == pytest.approx(0.5)


def test_scheduler_needs_a_float(sgd_model):
    scheduler = cbks.LearningRateScheduler(lambda epoch, lr: "fast")
    scheduler.set_model(sgd_model)
    with pytest.raises(ValueError, match="should be a float"):
        scheduler.on_epoch_begin(0)
