import re

import kcore
from kcore import callbacks as cbks

BAR = "━" * 20
TIME = r"\d+(s|ms|us)/step"


class CountingValue:
    """A metric value that counts how often it is read back as a number."""

    reads = 0

    def __init__(self, value):
        self.value = value

    def __float__(self):
        CountingValue.reads += 1
        return self.value


def _fit(callbacks, epochs, steps, logs, validate=False):
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            callbacks.on_train_batch_end(step, logs())
        epoch_logs = logs()
        if validate:
            callbacks.on_test_begin()
            callbacks.on_test_batch_end(0, {"loss": 0.3})
            callbacks.on_test_end({"loss": 0.3})
            epoch_logs["val_loss"] = 0.3
        callbacks.on_epoch_end(epoch, epoch_logs)
    callbacks.on_train_end()


def test_verbose_1_prints_the_finished_bar_once_per_epoch(capsys):
    callbacks = cbks.CallbackList(add_progbar=True, verbose=1, epochs=2, steps=4)
    values = {"accuracy": 0.84531, "loss": kcore.ops.convert_to_tensor(0.49934)}
    _fit(callbacks, 2, 4, lambda: dict(values), validate=True)
    lines = capsys.readouterr().out.splitlines()
    pattern = rf"4/4 {BAR} \d+s {TIME} - accuracy: 0\.8453 - loss: 0\.4993 - val_loss: 0\.3000"
    assert len(lines) == 4
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.fullmatch(pattern, lines[1]), lines[1]
    assert re.fullmatch(pattern, lines[3]), lines[3]


def test_values_are_read_only_at_epoch_end_when_not_on_a_terminal(capsys):
    CountingValue.reads = 0
    callbacks = cbks.CallbackList(add_progbar=True, verbose=1, epochs=1, steps=50)
    _fit(callbacks, 1, 50, lambda: {"loss": CountingValue(0.5)})
    assert CountingValue.reads == 1
    assert capsys.readouterr().out.endswith(" - loss: 0.5000\n")


def test_verbose_2_prints_one_line_per_epoch_without_bar(capsys):
    callbacks = cbks.CallbackList(add_progbar=True, verbose=2, epochs=1, steps=12)
    _fit(callbacks, 1, 12, lambda: {"loss": 0.00012345})
    line = capsys.readouterr().out
    assert re.fullmatch(rf"12/12 - \d+s - {TIME} - loss: 1\.2345e-04\n", line), line


def test_unknown_steps_use_the_steps_seen(capsys):
    callbacks = cbks.CallbackList(add_progbar=True, verbose=1, epochs=1, steps=None)
    _fit(callbacks, 1, 3, lambda: {"loss": -2.0})
    line = capsys.readouterr().out
    assert re.fullmatch(rf"3/3 {BAR} \d+s {TIME} - loss: -2\.0000\n", line), line


def test_evaluate_and_predict_bars(capsys):
    evaluate = cbks.CallbackList(add_progbar=True, verbose=1, epochs=1, steps=5)
    evaluate.on_test_begin()
    for step in range(5):
        evaluate.on_test_batch_end(step, {"loss": 0.25})
    evaluate.on_test_end({"loss": 0.25})
    predict = cbks.CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
    predict.on_predict_begin()
    for step in range(2):
        predict.on_predict_batch_end(step, {"outputs": kcore.ops.ones((2, 1))})
    predict.on_predict_end()
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"5/5 {BAR} \d+s {TIME} - loss: 0\.2500", lines[0]), lines[0]
    assert re.fullmatch(rf"2/2 {BAR} \d+s {TIME}", lines[1]), lines[1]
    assert len(lines) == 2


def test_verbose_0_prints_nothing(capsys):
    callbacks = cbks.CallbackList([cbks.ProgbarLogger()], verbose=0, epochs=2, steps=2)
    _fit(callbacks, 2, 2, lambda: {"loss": 1.0})
    assert capsys.readouterr().out == ""
