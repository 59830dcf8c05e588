"""Checks of the constructor arguments the image preprocessing layers share: sizes, factors,
value ranges, data formats and the names of fill modes and interpolations."""

from __future__ import annotations

import numbers

from kcore import config

# The fill modes and interpolations of the layers built on `ops.image.affine_transform`.
AFFINE_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_size(layer: str, height, width) -> tuple[int, int]:
    """`(height, width)` as ints, both positive."""
    for name, value in (("height", height), ("width", width)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value <= 0:
            raise ValueError(
                f"{layer}: `{name}` must be a positive integer, got {name}={value!r}. Pass the "
                "size of the output images in pixels."
            )
    return int(height), int(width)


def check_choice(layer: str, argument: str, value, choices, error=ValueError):
    """`value` if it is one of `choices`, else `error` naming the layer and the choices."""
    if value not in choices:
        raise error(f"{layer}: unknown `{argument}` {value!r}. Expected one of {choices}.")
    return value


def check_data_format(layer: str, data_format) -> str:
    """The data format, None meaning `kcore.config.image_data_format()`."""
    try:
        return config.standardize_data_format(data_format)
    except ValueError:
        raise ValueError(
            f"{layer}: unknown `data_format` {data_format!r}. Expected 'channels_last' "
            "(images shaped (..., height, width, channels)) or 'channels_first' (images shaped "
            "(..., channels, height, width)), or None for kcore.config.image_data_format()."
        ) from None


def factor_range(layer: str, argument: str, factor, bounds, open_lower=False):
    """The `(lower, upper)` range a factor argument stands for.

    A number `f` stands for `(max(-|f|, bounds[0]), |f|)`; a pair for itself, sorted. Every
    number must lie within `bounds` (`open_lower` excludes the lower bound itself).
    """
    low, high = bounds
    opening = "(" if open_lower else "["
    error = ValueError(
        f"{layer}: `{argument}` must be a number or a pair of numbers (lower, upper), each in the "
        f"range {opening}{low}, {high}]; got {argument}={factor!r}."
    )

    def in_range(value):
        if not _is_number(value):
            return False
        return (low < value if open_lower else low <= value) and value <= high

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(in_range(value) for value in factor):
            raise error
        lower, upper = sorted(factor)
        return lower, upper
    if not in_range(factor):
        raise error
    return max(-abs(factor), low), abs(factor)


def check_value_range(layer: str, value_range):
    """`value_range` checked to be a pair of numbers `(low, high)`, low below high."""
    if (
        not isinstance(value_range, (tuple, list))
        or len(value_range) != 2
        or not all(_is_number(v) for v in value_range)
        or value_range[0] >= value_range[1]
    ):
        raise ValueError(
            f"{layer}: `value_range` must be a pair of numbers (low, high) with low < high, the "
            f"range of the input pixel values such as (0, 255) or (0, 1); got "
            f"value_range={value_range!r}."
        )
    return value_range
