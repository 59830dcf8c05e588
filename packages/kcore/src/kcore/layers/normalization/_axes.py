"""The axis checks the normalization layers share: an `axis` argument (an int or a list of ints)
checked against the input's rank, with errors that name the layer and the shape."""

from __future__ import annotations


def standardize_axis_arg(axis, layer_name: str):
    """`axis` as an int or a list of ints (as Keras keeps it), or a TypeError naming the layer."""
    if isinstance(axis, (list, tuple)) and all(_is_int(a) for a in axis) and axis:
        return list(axis)
    if _is_int(axis):
        return axis
    raise TypeError(
        f"{layer_name}: expected an int or a non-empty list/tuple of ints for the argument "
        f"'axis', but received: axis={axis!r}"
    )


def positive_axes(layer, axis, input_shape) -> list[int]:
    """The axes `axis` names in an input of shape `input_shape`, as sorted non-negative ints.

    Raises:
        ValueError: naming the layer and the shape, when an axis is out of range for the input's
            rank or is given twice.
    """
    rank = len(input_shape)
    axes = [axis] if _is_int(axis) else list(axis)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(
                f'Layer "{layer.name}" ({type(layer).__name__}): axis {a} is out of bounds for '
                f"input shape {tuple(input_shape)} (rank {rank}). Received: axis={axis}. Pass "
                f"axes in [{-rank}, {rank - 1}]."
            )
    positive = sorted(a % rank for a in axes)
    if len(set(positive)) != len(positive):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): axis={axis} names an axis of input '
            f"shape {tuple(input_shape)} twice."
        )
    return positive


def known_sizes(layer, axes, input_shape) -> tuple:
    """The sizes of `axes` in `input_shape`; a ValueError naming the layer when one is unknown
    (the layer's weights span these axes, so their sizes must be fixed)."""
    sizes = tuple(input_shape[a] for a in axes)
    if any(size is None for size in sizes):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): the normalized axes {list(axes)} of '
            f"its input must have a known size, got input shape {tuple(input_shape)}."
        )
    return sizes


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
