"""`LearningRateScheduler`: sets the learning rate at the start of each epoch from a function."""

from __future__ import annotations

import numpy as np

from kcore.callbacks.callback import Callback, print_msg
from kcore.callbacks.reduce_lr_on_plateau import get_learning_rate


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of every epoch.

    Args:
        schedule: a function `schedule(epoch, lr)` of the epoch index (0-based) and the current
            learning rate (a float) that returns the new learning rate (a float). A function of
            the epoch alone is accepted too.
        verbose: 0 (quiet) or 1 (print the learning rate set at each epoch).

    The learning rate is also added to the epoch logs as `"learning_rate"`.

    Example:

    ```python
    def scheduler(epoch, lr):
        return lr if epoch < 10 else lr * 0.9

    model.fit(x, y, epochs=15, callbacks=[kcore.callbacks.LearningRateScheduler(scheduler)])
    ```
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        learning_rate = get_learning_rate(optimizer)
        try:
            learning_rate = self.schedule(epoch, learning_rate)
        except TypeError:  # a schedule of the epoch alone (the old API)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                "The output of the `schedule` function should be a float. Got: "
                f"{learning_rate!r} of type {type(learning_rate).__name__}. Return a Python "
                "float, e.g. `float(lr * 0.9)`."
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner:
            for index, each in enumerate(inner):
                learning_rate = self._update_optimizer_lr(each, epoch)
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: LearningRateScheduler setting {each.name}_{index} "
                        f"learning rate to {learning_rate}."
                    )
            return
        learning_rate = self._update_optimizer_lr(optimizer, epoch)
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{learning_rate}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner:
            for index, each in enumerate(inner):
                logs[f"learning_rate_{each.name}_{index}"] = get_learning_rate(each)
        else:
            logs["learning_rate"] = get_learning_rate(optimizer)
