"""`LambdaCallback`: a callback made of functions given for its hooks."""

from __future__ import annotations

from kcore.callbacks.callback import HOOKS, Callback


class LambdaCallback(Callback):
    """A callback whose hooks are the functions passed for them.

    Each function takes the hook's arguments: `on_epoch_begin`/`on_epoch_end` get
    `(epoch, logs)`, `on_train_begin`/`on_train_end` get `(logs)`, the batch hooks get
    `(batch, logs)` (with `logs` passed by keyword). Any other hook of `Callback`
    (`on_test_end=...`, `on_predict_batch_end=...`) is passed by keyword the same way.

    Args:
        on_epoch_begin: called at the start of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called at the start of training.
        on_train_end: called at the end of training.
        on_train_batch_begin: called at the start of every training batch.
        on_train_batch_end: called at the end of every training batch.
        **kwargs: functions for the other hooks, by hook name.

    Example:

    >>> import kcore
    >>> losses = []
    >>> callback = kcore.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: losses.append(logs["loss"])
    ... )
    >>> callback.on_epoch_end(0, {"loss": 0.25})
    >>> losses
    [0.25]
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        unknown = sorted(set(kwargs) - set(HOOKS))
        if unknown:
            raise TypeError(
                f"LambdaCallback received {unknown}, which are not callback hooks. The hooks "
                f"are: {', '.join(HOOKS)}."
            )
        given = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
            **kwargs,
        }
        for hook, function in given.items():
            if function is None:
                continue
            if not callable(function):
                raise TypeError(
                    f"LambdaCallback argument {hook} must be a function, but received "
                    f"{function!r} of type {type(function).__name__}."
                )
            setattr(self, hook, function)
