"""`ModelCheckpoint`: saves the model or its weights during training."""

from __future__ import annotations

import os
import warnings

import numpy as np

from kcore.callbacks.callback import as_float, print_msg, python_logs
from kcore.callbacks.monitor_callback import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or its weights) every epoch or every few batches.

    Args:
        filepath: where to save. It may hold format fields filled with `epoch` (1-based) and the
            values of the logs, e.g. `"ckpt/{epoch:02d}-{val_loss:.2f}.weights.h5"` (and `batch`,
            1-based, with an integer `save_freq`). It must end in `.weights.h5` when
            `save_weights_only=True`, else in `.keras`.
        monitor: the quantity compared when `save_best_only=True`. Defaults to `"val_loss"`.
        verbose: 0 (silent) or 1 (print a message at each save).
        save_best_only: save only when the monitored quantity improves on the best so far.
        save_weights_only: save with `model.save_weights` (weights and optimizer state) rather
            than `model.save` (the whole model).
        mode: `"auto"`, `"min"` or `"max"`: the direction that counts as better.
        save_freq: `"epoch"` (at the end of each epoch) or an integer number of batches. With
            `steps_per_execution=N` the count is checked every `N` batches.
        initial_value_threshold: the best value to beat at the start (with `save_best_only`).

    Example:

    ```python
    checkpoint = kcore.callbacks.ModelCheckpoint(
        "ckpt/{epoch:02d}-{val_loss:.2f}.weights.h5", save_weights_only=True, save_best_only=True
    )
    model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    # ckpt/01-0.53.weights.h5, ckpt/02-0.41.weights.h5, ... (only the improving epochs)
    ```
    """

    _raw_batch_logs = True

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if save_freq != "epoch" and (
            not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1
        ):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected 'epoch' or a positive integer "
                "number of batches."
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format), or in "
                "`.weights.h5` with `save_weights_only=True`. Received: "
                f"filepath={self.filepath}"
            )

    @property
    def _groupable_batch_hooks(self):
        return self.save_freq == "epoch"

    def on_train_begin(self, logs=None):
        if not self.save_weights_only and not callable(getattr(self._model, "save", None)):
            raise ValueError(
                f"ModelCheckpoint(filepath={self.filepath!r}) saves the whole model with "
                f"`model.save`, which {type(self._model).__name__} does not have yet in kcore: "
                "full-model saving lands with the saving issue. Pass "
                "`save_weights_only=True` and a filepath ending in `.weights.h5` to save the "
                "weights (and optimizer state) instead."
            )

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=python_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            # Set up late: the model's metrics exist once training has started.
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=python_logs(logs))

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True
        if np.ndim(current) > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: {current}. "
                "Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = as_float(current)
        best_text = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_text} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_text}")
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is "
                f"an existing directory: {filepath}"
            )
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch, batch, logs):
        """The filepath for a save at `epoch` (0-based) and `batch` (0-based, or `None`)."""
        logs = dict(logs or {})
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}. '
                f"The fields available are epoch, batch (with an integer save_freq) and the "
                f"logs: {sorted(logs)}."
            ) from None
