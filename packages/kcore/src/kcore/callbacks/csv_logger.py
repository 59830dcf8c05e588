"""`CSVLogger`: writes each epoch's results as a row of a CSV file."""

from __future__ import annotations

import csv
import os

import numpy as np

from kcore.callbacks.callback import Callback, python_logs


def _cell(value):
    if isinstance(value, str):
        return value
    if np.ndim(value) > 0:
        return f'"[{", ".join(map(str, np.ravel(value)))}]"'
    return value


class CSVLogger(Callback):
    """Streams the results of each epoch to a CSV file.

    Columns are `epoch` then the log names, sorted; values that are arrays are written as
    `"[a, b, ...]"`.

    Args:
        filename: path of the CSV file, e.g. `"run/log.csv"`.
        separator: the string separating cells.
        append: `True` appends to an existing file (to continue a training); `False` overwrites.

    Example:

    ```python
    model.fit(x, y, epochs=5, callbacks=[kcore.callbacks.CSVLogger("training.log")])
    ```
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        mode = "w"
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, encoding="utf-8") as file:
                    self.append_header = not file.readline()
            mode = "a"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        directory = os.path.dirname(self.filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = python_logs(logs)
        if self.keys is None:
            self.keys = sorted(logs)
            # Validation columns exist from the first row on, even before a validation run.
            for name in getattr(self._model, "metrics_names", None) or []:
                if name.startswith("val_") and name not in self.keys:
                    self.keys.append(name)
        if self.writer is None:
            dialect = type("Dialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch", *self.keys], dialect=dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
