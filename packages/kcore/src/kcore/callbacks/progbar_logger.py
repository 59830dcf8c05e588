"""`ProgbarLogger`: the progress bar `fit`, `evaluate` and `predict` print."""

from __future__ import annotations

from kcore.callbacks.callback import Callback, print_msg, python_logs
from kcore.callbacks.progbar import Progbar

# Redraws at most this often: each one reads the metric values back from the device.
REDRAW_INTERVAL = 0.1


class ProgbarLogger(Callback):
    """Prints the progress bar and the metrics on stdout, as Keras 3 does.

    `fit` adds one when `verbose != 0`. With `verbose=1` each epoch shows a bar such as
    `32/32 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - loss: 0.4993`, redrawn in place on a terminal
    (only the finished line elsewhere); with `verbose=2` one line per epoch,
    `32/32 - 1s - 5ms/step - loss: 0.4993`. Validation inside `fit` prints nothing.

    The metric values are read from the device only when the bar is redrawn (at most 10 times
    a second) and at the end, so the bar does not slow training down. While an epoch runs the bar
    shows the latest values; the finished line shows the epoch's results.

    Args:
        count_mode: `"steps"` (the only mode, as in Keras 3).
    """

    _raw_batch_logs = True
    _groupable_batch_hooks = True

    def __init__(self, count_mode="steps"):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(
                f"ProgbarLogger counts steps only: received count_mode={count_mode!r}, "
                "expected 'steps'."
            )
        self.count_mode = count_mode
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        # Inside fit, validation is silent.
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        # Predictions are not shown.
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                interval=REDRAW_INTERVAL,
                stateless_metrics=(),
                unit_name="step",
            )

    def _update_progbar(self, batch, logs=None):
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose != 1:
            return
        values = list(python_logs(logs, sort=True).items()) if logs and self.progbar.due() else None
        self.progbar.update(self.seen, values, finalize=False)

    def _finalize_progbar(self, logs):
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.seen
        self.progbar.update(self.target, list(python_logs(logs).items()), finalize=True)
