import pytest

import kcore
from kcore import callbacks as cbks
from kcore.callbacks.callback import HOOKS


class Recorder(cbks.Callback):
    """Records every hook call as (hook, index or None); train batches go through the aliases."""

    def __init__(self):
        super().__init__()
        self.calls = []


def _recording(hook):
    if "batch" in hook or "epoch" in hook:
        return lambda self, index, logs=None: self.calls.append((hook, index))
    return lambda self, logs=None: self.calls.append((hook, None))


for _hook in HOOKS:
    if not _hook.startswith("on_train_batch"):
        setattr(Recorder, _hook, _recording(_hook))


def test_adds_history_and_progbar_once_and_sets_model_history(model):
    history = cbks.History()
    callbacks = cbks.CallbackList(
        [history], add_history=True, add_progbar=True, model=model, verbose=0, epochs=1, steps=2
    )
    assert [type(c) for c in callbacks.callbacks] == [cbks.History, cbks.ProgbarLogger]
    assert model.history is history
    assert callbacks.callbacks[1].params == {"verbose": 0, "epochs": 1, "steps": 2}
    assert all(c.model is model for c in callbacks.callbacks)


def test_every_hook_is_forwarded_and_train_batch_hooks_call_the_aliases(model):
    recorder = Recorder()
    callbacks = cbks.CallbackList([[recorder]], model=model)
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": 1.0})
    callbacks.on_test_begin()
    callbacks.on_test_batch_begin(0)
    callbacks.on_test_batch_end(0, {"loss": 1.0})
    callbacks.on_test_end({"loss": 1.0})
    callbacks.on_epoch_end(0, {"loss": 1.0})
    callbacks.on_train_end()
    callbacks.on_predict_begin()
    callbacks.on_predict_batch_begin(3)
    callbacks.on_predict_batch_end(3, {"outputs": None})
    callbacks.on_predict_end()
    assert recorder.calls == [
        ("on_train_begin", None),
        ("on_epoch_begin", 0),
        ("on_batch_begin", 0),
        ("on_batch_end", 0),
        ("on_test_begin", None),
        ("on_test_batch_begin", 0),
        ("on_test_batch_end", 0),
        ("on_test_end", None),
        ("on_epoch_end", 0),
        ("on_train_end", None),
        ("on_predict_begin", None),
        ("on_predict_batch_begin", 3),
        ("on_predict_batch_end", 3),
        ("on_predict_end", None),
    ]


def test_user_callbacks_get_python_floats_with_nested_logs_flattened():
    seen = {}
    callbacks = cbks.CallbackList(
        [
            cbks.LambdaCallback(
                on_train_batch_end=lambda batch, logs: seen.update(batch=logs),
                on_epoch_end=lambda epoch, logs: seen.update(epoch=logs),
            )
        ]
    )
    tensor = kcore.ops.convert_to_tensor(0.25)
    callbacks.on_train_batch_end(0, {"loss": tensor, "out": {"mae": tensor}})
    callbacks.on_epoch_end(0, {"loss": tensor})
    assert seen["batch"] == {"loss": 0.25, "mae": 0.25}
    assert type(seen["batch"]["loss"]) is float
    assert type(seen["epoch"]["loss"]) is float


def test_epoch_logs_added_by_a_callback_reach_history_and_caller(sgd_model):
    history = cbks.History()
    callbacks = cbks.CallbackList(
        [cbks.LearningRateScheduler(lambda epoch, lr: 0.5 * lr), history], model=sgd_model
    )
    callbacks.on_train_begin()
    logs = {"loss": 1.0}
    callbacks.on_epoch_begin(0)
    callbacks.on_epoch_end(0, logs)
    assert logs["learning_rate"] == pytest.approx(0.05)
    assert history.history["learning_rate"] == [pytest.approx(0.05)]
    assert history.epoch == [0]


def test_history_records_each_epoch(model):
    history = cbks.History()
    history.set_model(model)
    history.on_train_begin()
    for epoch, loss in enumerate([0.5, 0.25]):
        history.on_epoch_end(epoch, {"loss": loss, "val_loss": loss * 2})
    assert history.history == {"loss": [0.5, 0.25], "val_loss": [1.0, 0.5]}
    assert model.history is history


def test_rejects_what_is_not_a_callback():
    with pytest.raises(TypeError, match="LambdaCallback"):
        cbks.CallbackList([print])


def test_lambda_callback_takes_every_hook():
    calls = []

    def hook(name):
        return lambda *args, **kwargs: calls.append(name)

    callback = cbks.LambdaCallback(**{name: hook(name) for name in HOOKS})
    callbacks = cbks.CallbackList([callback])
    for name in HOOKS:
        if "batch" in name or "epoch" in name:
            getattr(callbacks, name)(0, {})
        else:
            getattr(callbacks, name)({})
    assert calls == list(HOOKS)


def test_lambda_callback_names_unknown_hooks():
    with pytest.raises(TypeError, match="on_epoch_ends"):
        cbks.LambdaCallback(on_epoch_ends=print)
