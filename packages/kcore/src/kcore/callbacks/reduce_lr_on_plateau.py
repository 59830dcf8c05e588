"""`ReduceLROnPlateau`: lowers the learning rate when a metric stops improving."""

from __future__ import annotations

import warnings

import numpy as np

from kcore.callbacks.callback import Callback, as_float, print_msg


def get_learning_rate(optimizer) -> float:
    """The optimizer's current learning rate as a Python float."""
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            "This callback changes the optimizer's learning rate, but the model has no optimizer "
            f"with a `learning_rate` attribute (got {optimizer!r}). Compile the model with an "
            "optimizer first."
        )
    return as_float(optimizer.learning_rate)


class ReduceLROnPlateau(Callback):
    """Reduces the learning rate when a metric has stopped improving.

    After `patience` epochs without improvement, the learning rate is multiplied by `factor`
    (never below `min_lr`); then `cooldown` epochs pass before counting again.

    Args:
        monitor: the quantity to monitor. Defaults to `"val_loss"`.
        factor: the factor the learning rate is multiplied by: `new_lr = lr * factor` (< 1).
        patience: number of epochs without improvement before the learning rate is reduced.
        verbose: 0 (quiet) or 1 (print a message at each reduction).
        mode: `"auto"`, `"min"` or `"max"`. In `"auto"` mode quantities whose name holds "acc"
            are maximized, the others minimized.
        min_delta: threshold an improvement must exceed.
        cooldown: number of epochs to wait after a reduction before counting again.
        min_lr: lower bound on the learning rate.

    Example:

    ```python
    reduce_lr = kcore.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5)
    model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    ```
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__()
        if kwargs:
            warnings.warn(
                f"ReduceLROnPlateau ignores the unknown keyword arguments {sorted(kwargs)}. Its "
                "arguments are monitor, factor, patience, verbose, mode, min_delta, cooldown and "
                "min_lr.",
                stacklevel=2,
            )
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}; "
                "pass a factor below 1, e.g. 0.1, to reduce the learning rate."
            )
        self.monitor = monitor
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0
        self.best = 0
        self.mode = mode
        self.monitor_op = None
        self._reset()

    def _reset(self):
        """Resets the wait and cooldown counters and the best value."""
        if self.mode not in ("auto", "min", "max"):
            warnings.warn(
                f"Learning rate reduction mode {self.mode} is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            self.mode = "auto"
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: a < b - self.min_delta
            self.best = float("inf")
        else:
            self.monitor_op = lambda a, b: a > b + self.min_delta
            self.best = -float("inf")
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = get_learning_rate(optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        current = as_float(current)
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = get_learning_rate(optimizer)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print_msg(
                            f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                            f"{new_lr}."
                        )
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self):
        """Whether the callback is in its cooldown period after a reduction."""
        return self.cooldown_counter > 0
