"""`TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from kcore.callbacks.callback import Callback, as_float, print_msg


class TerminateOnNaN(Callback):
    """Stops training when the loss becomes NaN or infinite.

    The loss is checked at the end of every batch (which waits for the device each batch).

    Args:
        raise_error: `False` (default) stops training gracefully with `model.stop_training`,
            so `on_train_end` still runs; `True` raises a `RuntimeError` at once instead.

    Example:

    ```python
    model.fit(x, y, callbacks=[kcore.callbacks.TerminateOnNaN()])
    ```
    """

    _raw_batch_logs = True

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = as_float(loss)
        if math.isnan(loss) or math.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
