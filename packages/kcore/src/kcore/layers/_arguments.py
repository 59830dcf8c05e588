"""Checks of the constructor arguments that spatial layers share: int tuples, padding modes and
per-axis `(before, after)` pairs.

Each check returns the standardized value (tuples of Python ints) or raises a ValueError that
names the layer class, the argument and what it received.

Example:

>>> int_tuple(3, 2, "pool_size", "MaxPooling2D")
(3, 3)
>>> axis_pairs(((1, 2), 3), 2, "padding", "ZeroPadding2D")
((1, 2), (3, 3))
"""

from __future__ import annotations

import operator

PADDING_MODES = ("valid", "same")


def _as_int(value):
    if isinstance(value, bool):
        raise TypeError
    return operator.index(value)


def int_tuple(value, n: int, name: str, owner: str, allow_zero: bool = False) -> tuple:
    """`value` (an int, or `n` ints) as a tuple of `n` ints, each > 0 (>= 0 with `allow_zero`)."""
    bound = ">= 0" if allow_zero else "> 0"
    expected = (
        f"{owner}: the `{name}` argument must be an integer or a tuple of {n} integers, each "
        f"{bound}. Received: {name}={value!r}"
    )
    try:
        values = (_as_int(value),) * n if not hasattr(value, "__len__") else tuple(value)
        values = tuple(_as_int(v) for v in values)
    except TypeError:
        raise ValueError(expected) from None
    if len(values) != n or any(v < 0 or (v == 0 and not allow_zero) for v in values):
        raise ValueError(expected)
    return values


def padding_mode(value, owner: str) -> str:
    """`value` lower-cased, checked to be "valid" or "same"."""
    mode = value.lower() if isinstance(value, str) else value
    if mode not in PADDING_MODES:
        raise ValueError(
            f'{owner}: the `padding` argument must be "valid" or "same". Received: '
            f"padding={value!r}"
        )
    return mode


def axis_pairs(value, n: int, name: str, owner: str) -> tuple:
    """`value` as `n` pairs `(before, after)` of ints >= 0, one per spatial axis.

    `value` is an int (the same amount everywhere), or `n` entries, each an int (the same
    before and after) or a pair.
    """
    if not hasattr(value, "__len__"):
        return (int_tuple(value, 2, name, owner, allow_zero=True),) * n
    if isinstance(value, str) or len(value) != n:
        raise ValueError(
            f"{owner}: the `{name}` argument must be an integer, a tuple of {n} integers or a "
            f"tuple of {n} pairs of integers (before, after), all >= 0. Received: "
            f"{name}={value!r}"
        )
    return tuple(
        int_tuple(entry, 2, f"{name}[{axis}]", owner, allow_zero=True)
        for axis, entry in enumerate(value)
    )
