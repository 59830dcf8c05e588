"""`Callback`: the base class of everything `fit`, `evaluate` and `predict` call back into."""

from __future__ import annotations

import numpy as np

HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
)


class Callback:
    """Base class of callbacks: override the hooks of the stages you want to act on.

    `model.fit`, `model.evaluate` and `model.predict` call every hook at its stage. `logs` dicts
    hold the metric results so far (at epoch end, validation results are prefixed with `val_`).
    A callback stops training by setting `self.model.stop_training = True`.

    Note that with `steps_per_execution=N` in `compile`, the batch hooks run once every `N`
    batches, with the index of the last batch.

    Attributes:
        params: dict of the loop's parameters (`verbose`, `epochs`, `steps`).
        model: the `Model` being trained, evaluated or run.

    Example:

    >>> import kcore
    >>> class CountEpochs(kcore.callbacks.Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.count = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count += 1
    >>> counter = CountEpochs()
    >>> counter.on_train_begin()
    >>> counter.on_epoch_end(0, {"loss": 0.5})
    >>> counter.count
    1
    """

    # Whether the batch hooks still do their job when they run once for a group of steps (a
    # progress bar, an epoch-level writer). When every callback's do, the trainer may run several
    # steps per compiled call (see `Trainer` "auto-grouping"); otherwise each step runs alone.
    _groupable_batch_hooks = False

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Sets `params`, the dict of the loop's parameters."""
        self.params = params

    def set_model(self, model):
        """Sets the model the callback acts on."""
        self._model = model

    @property
    def model(self):
        """The model the callback acts on."""
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Alias of `on_train_batch_begin`, kept for backwards compatibility."""

    def on_batch_end(self, batch, logs=None):
        """Alias of `on_train_batch_end`, kept for backwards compatibility."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch of `fit`.

        Args:
            epoch: index of the epoch (0-based).
            logs: dict, currently empty.
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch of `fit`.

        Args:
            epoch: index of the epoch (0-based).
            logs: dict of the epoch's metric results, e.g. `{"loss": 0.2, "val_loss": 0.3}`.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called at the start of a training batch; by default calls `on_batch_begin`.

        Args:
            batch: index of the batch within the epoch.
            logs: dict, currently empty.
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch; by default calls `on_batch_end`.

        Args:
            batch: index of the batch within the epoch.
            logs: dict of the metric results aggregated over the epoch so far.
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called at the start of a batch of `evaluate` (and of validation in `fit`)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called at the end of a batch of `evaluate` (and of validation in `fit`).

        Args:
            batch: index of the batch.
            logs: dict of the metric results aggregated so far.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called at the start of a batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called at the end of a batch of `predict`.

        Args:
            batch: index of the batch.
            logs: dict with the batch's `"outputs"`.
        """

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called at the end of `fit`, with the logs of the last epoch."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of validation in `fit`)."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` (and of validation in `fit`), with its results."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""


def overrides(callback, hook: str) -> bool:
    """Whether `callback` does something in `hook`: its class overrides it or it was set on it."""
    if hook in vars(callback):
        return True
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)


def python_logs(logs, sort=False) -> dict:
    """`logs` with nested dicts flattened and 0-d tensors turned into Python floats.

    Converting a backend tensor waits for the device, so callers do it only when they need the
    numbers (at epoch end, when redrawing a progress bar, when writing a file). With `sort`, the
    names are sorted, as Keras sorts batch logs.
    """
    result = {}
    items = sorted((logs or {}).items()) if sort else (logs or {}).items()
    for key, value in items:
        if isinstance(value, dict):
            result.update(python_logs(value, sort=sort))
            continue
        if not isinstance(value, (str, bytes)):
            try:
                value = float(np.asarray(value)) if np.ndim(value) == 0 else value
            except (TypeError, ValueError):
                pass
        result[key] = value
    return result


def as_float(value) -> float:
    """A scalar (Python number, numpy scalar, 0-d backend tensor or Variable) as a Python float."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    return float(np.asarray(value))


def print_msg(message: str) -> None:
    """Prints a callback's message on stdout, as Keras does."""
    print(message, flush=True)
