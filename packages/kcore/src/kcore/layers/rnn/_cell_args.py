"""Argument checks shared by the recurrent cells, and the properties through which the recurrent
layers (SimpleRNN, LSTM, GRU, ConvLSTM) show their cell's arguments."""

from __future__ import annotations

from kcore import initializers, ops


def check_positive_int(value, argument: str, layer: str) -> int:
    """`value` when it is a positive int; a ValueError naming `layer` and `argument` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"{layer}: received an invalid value for argument `{argument}`, expected a positive "
            f"integer, got {argument}={value!r}."
        )
    return value


def dropout_rate(value, argument: str, layer: str) -> float:
    """A dropout rate clipped to [0, 1], as Keras clips it; a ValueError when it is no number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(
            f"{layer}: `{argument}` must be a float between 0 and 1, got {argument}={value!r}."
        )
    return min(1.0, max(0.0, float(value)))


def cell_property(name: str) -> property:
    """A read-only property of a recurrent layer that returns its cell's attribute `name`."""

    def get(self):
        return getattr(self.cell, name)

    return property(get, doc=f"The cell's `{name}`.")


def forget_bias_initializer(bias_initializer, units: int):
    """The initializer of an LSTM bias (gates i, f, c, o, `units` each) with `unit_forget_bias`:
    `bias_initializer` for each gate, but ones for the forget gate."""

    def initialize(shape, dtype=None):
        del shape  # always (4 * units,)
        return ops.concatenate(
            [
                bias_initializer((units,), dtype=dtype),
                initializers.get("ones")((units,), dtype=dtype),
                bias_initializer((2 * units,), dtype=dtype),
            ]
        )

    return initialize
