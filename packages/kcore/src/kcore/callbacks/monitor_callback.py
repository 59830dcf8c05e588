"""`MonitorCallback`: the shared logic of callbacks that watch one metric for improvements."""

from __future__ import annotations

import operator
import warnings

from kcore.callbacks.callback import Callback, as_float

# Metric names that `mode="auto"` maximizes when the metric object does not say.
MAXIMIZED_SUFFIXES = ("acc", "accuracy", "auc")


def _all_metrics(model) -> list:
    """The model's metric objects, with those inside containers (compiled metrics) unpacked."""
    found, pending = [], list(getattr(model, "metrics", None) or [])
    while pending:
        metric = pending.pop(0)
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, (list, tuple)) and inner and not hasattr(metric, "_direction"):
            pending = list(inner) + pending
        else:
            found.append(metric)
    return found


def infer_direction(monitor: str, model=None):
    """`"min"` or `"max"` for a monitored quantity, or `None` when it cannot be told.

    `loss` is minimized; a metric object of the model named like the quantity gives its own
    direction (`_direction`, `"up"` or `"down"`); else names ending in acc/accuracy/auc are
    maximized.
    """
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "min"
    for metric in _all_metrics(model):
        if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
            return "max" if metric._direction == "up" else "min"
    if name.endswith(MAXIMIZED_SUFFIXES):
        return "max"
    return None


class MonitorCallback(Callback):
    """Base of callbacks that monitor a quantity and act when it improves (or stops improving).

    Args:
        monitor: the quantity to monitor, a key of the epoch logs. Defaults to `"val_loss"`.
        mode: `"min"`, `"max"` or `"auto"` (inferred from the quantity's name and metric).
        baseline: initial best value; `None` starts from the first value seen.
        min_delta: minimum change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode {mode!r} is unknown (expected 'auto', 'min' or "
                "'max'); falling back to 'auto'.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        direction = self.mode if self.mode != "auto" else infer_direction(self.monitor, self._model)
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} callback received monitor={self.monitor!r}, but cannot "
                "tell whether that metric should be maximized or minimized. Pass mode='max' to "
                "monitor its highest value, or mode='min' to monitor its lowest."
            )
        if direction == "min":
            self.monitor_op = operator.lt
            self.min_delta = -abs(self.min_delta)
        else:
            self.monitor_op = operator.gt
            self.min_delta = abs(self.min_delta)
        if self.best is None:
            self.best = float("inf") if direction == "min" else -float("inf")

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return bool(self.monitor_op(as_float(monitor_value) - self.min_delta, reference_value))
