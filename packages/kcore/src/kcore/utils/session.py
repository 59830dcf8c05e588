"""`clear_session`: forget the names given so far, as Keras does between experiments."""

from __future__ import annotations


def clear_session(free_memory=True) -> None:
    """Resets the automatic layer names (the next `Dense` is ``dense`` again).

    Args:
        free_memory: accepted for Keras compatibility; kcore holds no global graph to free.

    Example:

    >>> import kcore
    >>> kcore.utils.clear_session()
    >>> kcore.layers.Dense(1).name
    'dense'
    """
    from kcore.layers import _state

    _state.reset_names()
