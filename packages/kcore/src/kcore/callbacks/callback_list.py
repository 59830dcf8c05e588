"""`CallbackList`: calls every hook of a list of callbacks, as `fit`/`evaluate`/`predict` do."""

from __future__ import annotations

from kcore.callbacks.callback import Callback, overrides, python_logs
from kcore.callbacks.history import History
from kcore.callbacks.progbar_logger import ProgbarLogger


def _flatten(callbacks) -> list:
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        return [callbacks]
    result = []
    for item in callbacks:
        result.extend(_flatten(item))
    return result


def _wants_python_logs(callback, hooks) -> bool:
    """Whether `callback` should get batch logs as Python floats.

    kcore's own callbacks convert batch logs themselves, and only when they use them; a user's
    callback that overrides a batch-end hook gets floats, as in Keras. Converting waits for the
    device, so it is done once per batch, and only when some callback needs it.
    """
    if getattr(callback, "_raw_batch_logs", False):
        return False
    return any(overrides(callback, hook) for hook in hooks)


# The hooks each batch hook runs (Keras's train-batch hooks fall back to on_batch_begin/end).
_BATCH_HOOKS = {
    "on_batch_begin": ("on_batch_begin",),
    "on_batch_end": ("on_batch_end",),
    "on_train_batch_begin": ("on_train_batch_begin", "on_batch_begin"),
    "on_train_batch_end": ("on_train_batch_end", "on_batch_end"),
    "on_test_batch_begin": ("on_test_batch_begin",),
    "on_test_batch_end": ("on_test_batch_end",),
    "on_predict_batch_begin": ("on_predict_batch_begin",),
    "on_predict_batch_end": ("on_predict_batch_end",),
}


class CallbackList(Callback):
    """Calls every hook of a list of callbacks at once.

    Args:
        callbacks: a list of `Callback` instances (nested lists are flattened).
        add_history: whether to add a `History` callback when the list has none.
        add_progbar: whether to add a `ProgbarLogger` callback when the list has none.
        model: the model the callbacks act on.
        **params: the loop's parameters (`verbose`, `epochs`, `steps`), passed to every callback
            through `set_params`.

    Example:

    >>> import kcore
    >>> seen = []
    >>> callbacks = kcore.callbacks.CallbackList(
    ...     [kcore.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))]
    ... )
    >>> callbacks.on_epoch_end(0, {"loss": 1.0})
    >>> seen
    [0]
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "CallbackList expects kcore.callbacks.Callback instances, but received "
                    f"{callback!r} of type {type(callback).__name__}. Subclass "
                    "kcore.callbacks.Callback, or wrap functions in "
                    "kcore.callbacks.LambdaCallback."
                )
        self._add_default_callbacks(add_history, add_progbar)
        self._batch_targets_cache = {}
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history, add_progbar):
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def append(self, callback):
        """Adds a callback at the end of the list."""
        self.callbacks.append(callback)
        self._batch_targets_cache = {}
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)

    def __iter__(self):
        return iter(self.callbacks)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _batch_targets(self, method, python_logs_wanted):
        """`(bound hook, wants Python logs)` for the callbacks that do something in a batch hook:
        worked out once, since batch hooks run on every step."""
        targets = self._batch_targets_cache.get(method)
        if targets is None:
            hooks = _BATCH_HOOKS[method]
            targets = [
                (getattr(c, method), python_logs_wanted and _wants_python_logs(c, hooks))
                for c in self.callbacks
                if any(overrides(c, hook) for hook in hooks)
            ]
            self._batch_targets_cache[method] = targets
        return targets

    def batch_hooks_groupable(self, kind: str) -> bool:
        """Whether every callback's batch hooks for `kind` ("train", "test", "predict") still do
        their job when they run once per group of steps (or do nothing)."""
        hooks = {
            h for m in (f"on_{kind}_batch_begin", f"on_{kind}_batch_end") for h in _BATCH_HOOKS[m]
        }
        return all(
            c._groupable_batch_hooks or not any(overrides(c, hook) for hook in hooks)
            for c in self.callbacks
        )

    def _batch_end(self, method, batch, logs):
        logs = logs or {}
        converted = None
        for hook, wants_python in self._batch_targets(method, True):
            if wants_python:
                if converted is None:
                    converted = python_logs(logs, sort=True)
                hook(batch, logs=converted)
            else:
                hook(batch, logs=logs)

    def _call_batch(self, method, batch, logs):
        for hook, _ in self._batch_targets(method, False):
            hook(batch, logs=logs)

    def _call(self, method, *args):
        for callback in self.callbacks:
            getattr(callback, method)(*args)

    def on_batch_begin(self, batch, logs=None):
        self._call_batch("on_batch_begin", batch, logs or {})

    def on_batch_end(self, batch, logs=None):
        self._batch_end("on_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        # One conversion for all callbacks, in place: what a callback adds (e.g. the learning
        # rate) is seen by the callbacks after it and by the caller, as in Keras.
        if logs is None:
            logs = {}
        converted = python_logs(logs)
        logs.clear()
        logs.update(converted)
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs or {})

    def on_train_batch_end(self, batch, logs=None):
        self._batch_end("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs or {})

    def on_test_batch_end(self, batch, logs=None):
        self._batch_end("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs or {})

    def on_predict_batch_end(self, batch, logs=None):
        # Predictions are passed as they are: they are outputs, not scalars.
        self._call_batch("on_predict_batch_end", batch, logs or {})

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs or {})

    def on_train_end(self, logs=None):
        self._call("on_train_end", python_logs(logs))

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs or {})

    def on_test_end(self, logs=None):
        self._call("on_test_end", python_logs(logs))

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs or {})

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs or {})
