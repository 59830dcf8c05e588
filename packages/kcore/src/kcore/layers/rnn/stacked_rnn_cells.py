"""`StackedRNNCells`: several recurrent cells that act as one, each feeding the next."""

from __future__ import annotations

from kcore import ops, saving
from kcore.layers.layer import Layer


def is_nested(value) -> bool:
    return isinstance(value, (list, tuple))


def output_size_of(cell) -> int:
    """A cell's output size: its `output_size`, else its (first) state size."""
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if is_nested(cell.state_size) else cell.state_size


def check_cell(cell, owner: str) -> None:
    """A ValueError naming `owner` when `cell` lacks what a recurrent cell needs."""
    if not callable(getattr(cell, "call", None)):
        raise ValueError(
            f"{owner}: a recurrent cell needs a `call(inputs, states)` method. Received: "
            f"cell={cell!r}"
        )
    if getattr(cell, "state_size", None) is None:
        raise ValueError(
            f"{owner}: the RNN cell should have a `state_size` attribute (an integer, or a list "
            f"of integers, one per state tensor). Received: cell={cell!r}"
        )


def zero_states(cell, batch_size, dtype):
    """The cell's initial states: `get_initial_state` where it has one, else zeros of shape
    `(batch_size, size)` for each state size (a list, or one tensor for an int `state_size`)."""
    make = getattr(cell, "get_initial_state", None)
    if make is not None:
        return make(batch_size=batch_size)
    if is_nested(cell.state_size):
        return [ops.zeros((batch_size, size), dtype=dtype) for size in cell.state_size]
    return ops.zeros((batch_size, cell.state_size), dtype=dtype)


class StackedRNNCells(Layer):
    """Wraps a list of recurrent cells so that they behave as a single cell.

    At each time step the first cell reads the input, and each following cell reads the output
    of the one before it; the stack's states are the list of the cells' states.

    Args:
        cells: a list of recurrent cells.

    Example:

    >>> import kcore
    >>> cells = [kcore.layers.LSTMCell(4), kcore.layers.GRUCell(3)]
    >>> layer = kcore.layers.RNN(kcore.layers.StackedRNNCells(cells))
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 5, 6))))
    (2, 3)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            check_cell(cell, f"StackedRNNCells {self.name!r}")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return output_size_of(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        return [zero_states(cell, batch_size, self.compute_dtype) for cell in self.cells]

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = is_nested(cell_states)
            cell_states = list(cell_states) if nested else [cell_states]
            if isinstance(cell, Layer) and cell._call_has_training_arg:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            run = cell if callable(cell) else cell.call
            inputs, cell_states = run(inputs, cell_states, **kwargs)
            if not nested and is_nested(cell_states) and len(cell_states) == 1:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        return inputs, new_states

    def build(self, input_shape):
        batch_size = input_shape[0]
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
            input_shape = (batch_size, output_size_of(cell))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "cells": [saving.serialize_keras_object(cell) for cell in self.cells],
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [
            saving.deserialize_keras_object(cell, custom_objects=custom_objects)
            for cell in config.pop("cells")
        ]
        return cls(cells, **config)
