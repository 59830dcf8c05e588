"""`EarlyStopping`: stops training when a monitored metric stops improving."""

from __future__ import annotations

import warnings

from kcore.callbacks.callback import as_float, print_msg
from kcore.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At the end of each epoch the monitored value is compared with the best so far; after
    `patience` epochs without an improvement of at least `min_delta`, `model.stop_training` is set.

    Args:
        monitor: the quantity to monitor. Defaults to `"val_loss"`.
        min_delta: minimum change that counts as an improvement. Defaults to 0.
        patience: number of epochs without improvement after which training stops. Defaults to 0.
        verbose: 0 (silent) or 1 (print a message when stopping or restoring).
        mode: `"auto"`, `"min"` or `"max"`. In `"auto"` mode the direction comes from the
            quantity: losses are minimized, accuracy/AUC-like metrics maximized.
        baseline: a value the monitored quantity must improve on; training stops if it does not
            within `patience` epochs. Defaults to `None`.
        restore_best_weights: whether to restore the weights of the best epoch at the end of
            training (even when it did not beat `baseline`). Defaults to `False`.
        start_from_epoch: number of warm-up epochs before monitoring starts. Defaults to 0.

    Example:

    >>> import kcore
    >>> stopper = kcore.callbacks.EarlyStopping(monitor="loss", patience=1)
    >>> model = kcore.Sequential([kcore.Input((2,)), kcore.layers.Dense(1)])
    >>> stopper.set_model(model)
    >>> stopper.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.6]):
    ...     stopper.on_epoch_end(epoch, {"loss": loss})
    >>> model.stop_training, stopper.stopped_epoch
    (True, 2)
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__(monitor=monitor, mode=mode, baseline=None, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        # Instances can be reused across fit calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0
        self.best = None
        self.monitor_op = None

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            # Set up late: the model's metrics exist once training has started.
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        current = as_float(current)
        if self.restore_best_weights and self.best_weights is None:
            # Until an epoch improves, the first monitored weights are the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The wait restarts only when the value beats both the baseline and the best.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value in `logs`, or `None` (with a warning) when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs)}",
                stacklevel=2,
            )
        return value
