"""Argument checks the noise and dropout layers share."""

from __future__ import annotations

import numbers


def check_fraction(class_name: str, argument: str, value, *, include_one: bool) -> float:
    """`value` if it is a number in [0, 1] (or [0, 1) when `include_one` is False), else a
    ValueError that names the layer, the argument and the accepted range."""
    upper = "1" if include_one else "1 (excluded)"
    valid = isinstance(value, numbers.Real) and not isinstance(value, bool)
    valid = valid and 0 <= value and (value <= 1 if include_one else value < 1)
    if not valid:
        raise ValueError(
            f"{class_name}: invalid value received for argument `{argument}`. Expected a float "
            f"value between 0 and {upper}. Received: {argument}={value!r}"
        )
    return value
