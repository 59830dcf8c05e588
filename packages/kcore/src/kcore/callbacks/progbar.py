"""`Progbar`: Keras 3's progress bar line, drawn with rich.

On a terminal (or in a notebook) the line is redrawn in place at most every `interval` seconds;
anywhere else (a log file, a pipe, captured output) nothing is animated and only the finished
line is printed.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

BAR_CHAR = "━"


def format_value(value) -> str:
    """A metric value as Keras prints it: `%.4f`, or `%.4e` for values within 1e-3 of zero."""
    if isinstance(value, str):
        return value
    try:
        number = float(np.mean(value))
    except (TypeError, ValueError):
        return str(value)
    return f"{number:.4f}" if abs(number) > 1e-3 else f"{number:.4e}"


def format_time_per_unit(seconds: float, unit_name: str) -> str:
    """`" 5ms/step"`: a duration per unit in s, ms or us, as Keras prints it."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def format_eta(seconds: float) -> str:
    """A remaining time as `1:02:03`, `2:03` or `3s`."""
    hours, minutes, rest = int(seconds // 3600), int(seconds % 3600 // 60), int(seconds % 60)
    if seconds > 3600:
        return f"{hours}:{minutes:02d}:{rest:02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{rest:02d}"
    return f"{int(seconds)}s"


class Progbar:
    """Displays a progress bar, as `keras.utils.Progbar`.

    Args:
        target: total number of steps, or `None` when unknown.
        width: width of the bar, in characters.
        verbose: 0 (silent), 1 (the bar), 2 (one line when finished).
        interval: minimum time between two redraws, in seconds.
        stateful_metrics: names of the values shown as given; the others are averaged over the
            steps. Give this or `stateless_metrics`, not both.
        stateless_metrics: names of the values averaged over the steps; the others are shown as
            given.
        unit_name: what a step is called in the time per step (`"step"`, `"sample"`).

    Example:

    >>> import kcore
    >>> bar = kcore.callbacks.progbar.Progbar(target=4, verbose=2)
    >>> bar.update(4, [("loss", 0.5)])  # doctest: +ELLIPSIS
    4/4 - 0s - ...s/step - loss: 0.5000
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes `stateful_metrics` (names shown as given, the others averaged) or "
                "`stateless_metrics` (names averaged, the others shown as given), not both. "
                f"Received stateful_metrics={stateful_metrics!r} and "
                f"stateless_metrics={stateless_metrics!r}."
            )
        import rich.console

        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = (
            None if stateless_metrics is not None else set(stateful_metrics or ())
        )
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._console = rich.console.Console(file=sys.stdout, highlight=False)
        self._dynamic_display = self._console.is_terminal or self._console.is_jupyter
        self._live = None
        self._values = {}
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None

    def due(self) -> bool:
        """Whether an `update` now (not the final one) would redraw the bar.

        Callers that must wait for the device to get the values (backend tensors) ask first,
        and pass values only when the bar is redrawn.
        """
        return (
            self.verbose == 1
            and self._dynamic_display
            and time.time() - self._last_update >= self.interval
        )

    def update(self, current, values=None, finalize=None):
        """Updates the bar.

        Args:
            current: index of the current step (1-based count of steps done).
            values: list of `(name, value)` pairs for the last step.
            finalize: whether this is the last update; by default when `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [], finalize)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if not finalize and (
                not self._dynamic_display or now - self._last_update < self.interval
            ):
                return
            self._draw(self._line(current, now, time_per_unit, finalize), finalize)
        elif self.verbose == 2 and finalize and self.target:
            numdigits = int(math.log10(self.target)) + 1
            line = f"{int(current):{numdigits}d}/{self.target} - {now - self._start:.0f}s -"
            line += format_time_per_unit(time_per_unit, self.unit_name)
            line += "".join(f" - {k}: {self._average(k)}" for k in self._values_order)
            self._print(line)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current, values, finalize):
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if self.stateful_metrics is not None:
                averaged = name not in self.stateful_metrics
            else:
                averaged = name in self.stateless_metrics
            if not averaged or finalize:
                self._values[name] = [value, 1]
                continue
            steps = max(current - self._seen_so_far, 1)
            if name in self._values:
                self._values[name][0] += value * steps
                self._values[name][1] += steps
            else:
                self._values[name] = [value * steps, steps]

    def _average(self, name) -> str:
        total, count = self._values[name]
        if isinstance(total, str):
            return total
        return format_value(np.mean(total) / max(1, count))

    def _line(self, current, now, time_per_unit, finalize):
        import rich.text

        line = rich.text.Text()
        if self.target:
            numdigits = int(math.log10(self.target)) + 1
            line.append(f"{int(current):{numdigits}d}/{self.target}", style="bold")
            line.append(" ")
            done = min(int(self.width * current / self.target), self.width)
            line.append(BAR_CHAR * done, style="green")
            line.append(BAR_CHAR * (self.width - done), style="bright_black")
        else:
            line.append(f"{current:7d}/Unknown")
        if self.target and not finalize:
            line.append(" ")
            line.append(format_eta(time_per_unit * (self.target - current)), style="bold")
        else:
            line.append(" ")
            line.append(f"{now - self._start:.0f}s", style="bold")
        line.append(format_time_per_unit(time_per_unit, self.unit_name))
        for name in self._values_order:
            line.append(f" - {name}: {self._average(name)}")
        return line

    def _draw(self, line, finalize):
        if not self._dynamic_display:
            self._print(line)
            return
        import rich.live

        if self._live is None:
            self._live = rich.live.Live(
                line,
                console=self._console,
                auto_refresh=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()
            # Keep the cursor: a bar left behind by an interrupted epoch must not hide it.
            self._console.show_cursor(True)
        self._live.update(line, refresh=True)
        if finalize:
            self._live.stop()
            self._live = None

    def _print(self, line):
        self._console.print(line, soft_wrap=True)

    def _estimate_step_duration(self, current, now):
        # The first step (tracing, compiling) is left out of the estimate once there are more.
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
