"""`History`: records the epoch logs of `fit`; `fit` returns it."""

from __future__ import annotations

from kcore.callbacks.callback import Callback


class History(Callback):
    """Records each epoch's logs in `history`, a dict of lists keyed by metric name.

    `fit` adds one automatically and returns it; it is also set as `model.history`.

    Attributes:
        history: dict mapping each log name (`"loss"`, `"val_loss"`...) to its values, one per
            epoch.
        epoch: the indices of the epochs recorded.

    Example:

    >>> import kcore
    >>> history = kcore.callbacks.History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5})
    >>> history.on_epoch_end(1, {"loss": 0.25})
    >>> history.history, history.epoch
    ({'loss': [0.5, 0.25]}, [0, 1])
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self._model is not None:
            self._model.history = self
