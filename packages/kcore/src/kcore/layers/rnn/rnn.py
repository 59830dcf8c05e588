"""`RNN`: runs any recurrent cell over the time axis of a sequence.

The loop itself is the backend's `rnn` contract function (a `lax.scan` on JAX, a `while_loop` on
TensorFlow, a Python loop on torch); the LSTM and GRU layers first try the backend's fused
kernels. This module holds what every recurrent layer shares: initial and stateful states,
masks, dropout masks drawn once per sequence, and the output structure.
"""

from __future__ import annotations

import optree

from kcore import ops, saving
from kcore.backend import KerasTensor, bound, scopes
from kcore.backend.variables import Variable
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kcore.layers.rnn.stacked_rnn_cells import (
    StackedRNNCells,
    check_cell,
    is_nested,
    output_size_of,
    zero_states,
)


class _StateVariables:
    """The state variables of a stateful RNN, kept out of the layer's weights: like Keras, kcore
    neither saves them nor lists them in `get_weights()`; they are variables of the model (so a
    compiled training step carries them) through `RNN._non_weight_variables`."""

    def __init__(self, structure):
        self.structure = structure
        self.flat = optree.tree_leaves(structure)


class RNN(Layer):
    """Base class for recurrent layers: runs a cell over the time steps of a sequence.

    A cell is an object (usually a layer) with a `call(inputs_t, states)` method that returns
    `(output_t, new_states)`, a `state_size` (an int, or a list with one size per state), and
    optionally an `output_size` and a `get_initial_state(batch_size)` method. A list of cells is
    stacked (`StackedRNNCells`).

    Args:
        cell: a recurrent cell, or a list of cells.
        return_sequences: return the output of every time step, `(batch, timesteps, units)`,
            rather than the last one only.
        return_state: also return the final states (the output is then a tuple).
        go_backwards: process the sequence from its end; the returned sequence is reversed.
        stateful: use each batch's final states as the next batch's initial states (sample `i`
            of a batch continues sample `i` of the previous one). Needs a fixed batch size:
            `Input(shape, batch_size=...)`. `reset_state()` sets the states back to zeros.
        unroll: unroll the loop (faster for short sequences, more memory); needs a known number
            of time steps.
        zero_output_for_mask: give zeros, rather than the previous output, at masked steps of
            the returned sequence.

    Call arguments:
        sequences: a tensor `(batch, timesteps, ...)`.
        initial_state: the initial states (a tensor or a list, one per state of the cell),
            instead of zeros.
        mask: a boolean `(batch, timesteps)` tensor; False steps are skipped (the states carry
            over). Set automatically from `Embedding(mask_zero=True)` or `Masking`.
        training: passed to the cell (dropout).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.RNN(kcore.layers.SimpleRNNCell(4), return_sequences=True)
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 5, 3))))
    (2, 5, 4)
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        check_cell(cell, type(self).__name__)
        super().__init__(**kwargs)
        state_size = cell.state_size
        if not isinstance(state_size, (int, list, tuple)) or isinstance(state_size, bool):
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the cell's `state_size` must be an integer, "
                f"or a list/tuple of integers (one per state tensor). Received: "
                f"state_size={state_size!r}"
            )
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self._stateful_states = None
        self._expected_batch_size = None

    # --- states ------------------------------------------------------------------------------

    @property
    def states(self):
        """The state variables of a stateful layer (None until it is built, or when it is not
        stateful), in the structure of `get_initial_state`."""
        return None if self._stateful_states is None else self._stateful_states.structure

    def _non_weight_variables(self) -> list:
        variables = super()._non_weight_variables()
        if self._stateful_states is not None:
            variables += self._stateful_states.flat
        return variables

    def get_initial_state(self, batch_size):
        """Zero states for a batch (the cell's `get_initial_state` where it has one), as a list
        with one entry per state."""
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        if getattr(self.cell, "get_initial_state", None) is None:
            return [ops.zeros((batch_size, size), dtype=dtype) for size in self.state_size]
        states = zero_states(self.cell, batch_size, dtype)
        return list(states) if is_nested(states) else [states]

    def reset_state(self) -> None:
        """Sets the states of a stateful layer back to zeros."""
        if self._stateful_states is not None:
            for variable in self._stateful_states.flat:
                variable.assign(ops.zeros_like(variable.value))

    def reset_states(self) -> None:
        """The same as `reset_state` (Keras's former name)."""
        self.reset_state()

    def _create_state_variables(self, batch_size) -> None:
        with scopes.name_scope(self.name, caller=self):
            structure = optree.tree_map(
                lambda value: Variable(
                    value, trainable=False, dtype=self.variable_dtype, name="rnn_state"
                ),
                self.get_initial_state(batch_size),
            )
        self._stateful_states = _StateVariables(structure)
        self._expected_batch_size = batch_size

    # --- building and shapes -----------------------------------------------------------------

    def _check_rank(self, shape) -> None:
        spec = self.input_spec[0] if isinstance(self.input_spec, list) else self.input_spec
        ndim = getattr(spec, "ndim", None)
        if len(shape) >= 3 and (ndim is None or len(shape) == ndim):
            return
        expected = f"rank {ndim}" if ndim is not None else "rank 3 or more"
        layout = "(batch, timesteps, features)" if ndim in (None, 3) else "(batch, timesteps, ...)"
        raise ValueError(
            f"Layer {self.name!r} ({type(self).__name__}) expects sequences of {expected}, "
            f"{layout}, but received an input of shape {tuple(shape)}. A single time step needs a "
            "time axis of length 1 (e.g. `ops.expand_dims(x, 1)`)."
        )

    def build(self, sequences_shape, initial_state_shape=None):
        # `initial_state_shape`: what Keras's build config holds for a layer called with an
        # initial state; the states' shapes follow from the cell.
        sequences_shape = tuple(sequences_shape)
        self._check_rank(sequences_shape)
        step_shape = (sequences_shape[0], *sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
        if self.stateful:
            if self._stateful_states is not None:
                self.reset_state()
            elif sequences_shape[0] is None:
                raise ValueError(
                    f"Layer {self.name!r} ({type(self).__name__}) is stateful, so it needs a fixed "
                    f"batch size, but its input has shape {sequences_shape} with an unknown "
                    "batch size. Give one: `Input(shape, batch_size=...)` (or call the layer on "
                    "a concrete batch first)."
                )
            else:
                self._create_state_variables(sequences_shape[0])

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, length = sequences_shape[0], sequences_shape[1]
        states = []
        for size in self.state_size:
            if is_nested(size):
                states.append([(batch_size, s) for s in size])
            else:
                states.append((batch_size, size))
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError(
                f"Layer {self.name!r}: the cell's output_size must be an integer, got "
                f"{output_size!r}."
            )
        if self.return_sequences:
            output = (batch_size, length, output_size)
        else:
            output = (batch_size, output_size)
        return (output, *states) if self.return_state else output

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shapes = self.compute_output_shape(tuple(sequences.shape))
        return shapes_to_specs(shapes, self.compute_dtype)

    def compute_mask(self, _, mask):
        if is_nested(mask):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # --- calling -----------------------------------------------------------------------------

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if self.unroll and sequences.shape[1] is None:
            raise ValueError(
                f"Layer {self.name!r} cannot unroll a sequence whose number of time steps is "
                f"unknown (input shape {tuple(sequences.shape)}). Give the time dimension in "
                "`Input(shape=(timesteps, features))`, or use unroll=False."
            )
        if is_nested(mask):
            mask = mask[0] if mask else None
        initial_state = self._initial_state(sequences, initial_state)
        if training:
            draw_dropout_masks(self.cell, sequences[:, 0], initial_state)
        try:
            last_output, outputs, states = self.inner_loop(
                sequences=sequences, initial_state=initial_state, mask=mask, training=training
            )
        finally:
            reset_dropout_masks(self.cell)
        last_output = ops.cast(last_output, self.compute_dtype)
        outputs = ops.cast(outputs, self.compute_dtype)
        states = optree.tree_map(lambda s: ops.cast(s, self.compute_dtype), states)
        if self.stateful:
            for variable, state in zip(self._stateful_states.flat, optree.tree_leaves(states)):
                variable.assign(state)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """Runs the cell over the sequence; returns `(last_output, outputs, final_states)` as
        the backend's `rnn` does. The LSTM and GRU layers override it to try a fused kernel."""
        cell = self.cell
        cell_kwargs = {}
        if isinstance(cell, Layer) and cell._call_has_training_arg:
            cell_kwargs["training"] = training
        run = cell if callable(cell) else cell.call

        def step(inputs, states):
            output, new_states = run(inputs, states, **cell_kwargs)
            return output, (new_states if is_nested(new_states) else [new_states])

        return bound.rnn(
            step,
            sequences,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )

    def _initial_state(self, sequences, initial_state):
        """The initial states as the cell takes them: given ones checked and arranged, else the
        stateful variables' values, else zeros; all in the cell's compute dtype."""
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        batch_size = sequences.shape[0]
        if initial_state is not None:
            states = self._arranged_states(initial_state, batch_size)
        elif self.stateful:
            if (
                self._expected_batch_size is not None
                and batch_size is not None
                and batch_size != self._expected_batch_size
            ):
                raise ValueError(
                    f"Layer {self.name!r} is stateful: the batch size of its input sequences "
                    f"must stay the batch size of its states.\n- Expected batch size: "
                    f"{self._expected_batch_size}\n- Received batch size: {batch_size}"
                )
            # Copies: the variables change in place after the loop (torch's autograd keeps the
            # values it read).
            return optree.tree_map(
                lambda v: ops.cast(ops.copy(v), dtype), list(self._stateful_states.structure)
            )
        else:
            states = self.get_initial_state(ops.shape(sequences)[0])
        return optree.tree_map(lambda s: ops.convert_to_tensor(s, dtype=dtype), states)

    def _arranged_states(self, initial_state, batch_size):
        """User initial states checked against the cell's state sizes; a flat list is nested
        as the cell's states are (one list per cell of a stack)."""
        given = list(initial_state) if is_nested(initial_state) else [initial_state]
        flat = optree.tree_leaves(given)
        sizes = optree.tree_leaves(self.state_size)
        if len(flat) != len(sizes):
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}) expects {len(sizes)} initial "
                f"state tensor(s), one per state of its cell (sizes {self.state_size}), but "
                f"received {len(flat)}: {[tuple(s.shape) for s in flat]}. Pass "
                f"initial_state=[...] with {len(sizes)} tensor(s) of shape (batch, size)."
            )
        for index, (state, size) in enumerate(zip(flat, sizes)):
            shape = tuple(state.shape)
            wrong_size = size > 0 and (len(shape) != 2 or shape[-1] not in (None, size))
            wrong_batch = (
                batch_size is not None and shape and shape[0] is not None and shape[0] != batch_size
            )
            if wrong_size or wrong_batch:
                expected = f"({batch_size}, {size})" if size > 0 else f"batch size {batch_size}"
                raise ValueError(
                    f"Layer {self.name!r} ({type(self).__name__}): initial state {index} has "
                    f"shape {shape}, expected {expected} (the cell's state sizes are "
                    f"{self.state_size})."
                )
        if any(is_nested(s) for s in self.state_size) and not any(is_nested(s) for s in given):
            arranged, start = [], 0
            for size in self.state_size:
                count = len(size) if is_nested(size) else 1
                arranged.append(list(flat[start : start + count]))
                start += count
            return arranged
        return given

    # --- config ------------------------------------------------------------------------------

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": saving.serialize_keras_object(self.cell),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = saving.deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def shapes_to_specs(shapes, dtype):
    """`KerasTensor`s of `dtype` for a shape or a nested structure of shapes."""

    def is_shape(value):
        return isinstance(value, tuple) and all(d is None or isinstance(d, int) for d in value)

    return optree.tree_map(lambda s: KerasTensor(s, dtype=dtype), shapes, is_leaf=is_shape)


def draw_dropout_masks(cell, step_input, states) -> None:
    """Draws the dropout masks of `cell` (and of the cells of a stack) before the loop, so that
    every time step uses the same masks and the loop draws no random numbers."""
    if isinstance(cell, DropoutRNNCell):
        cell.get_dropout_mask(step_input)
        cell.get_recurrent_dropout_mask(states[0] if is_nested(states) else states)
    if isinstance(cell, StackedRNNCells):
        for inner, inner_states in zip(cell.cells, states):
            draw_dropout_masks(inner, step_input, inner_states)
            size = output_size_of(inner)
            if isinstance(size, int) and size > 0:
                step_input = ops.zeros((ops.shape(step_input)[0], size), dtype=step_input.dtype)
            else:
                inner_states = list(inner_states) if is_nested(inner_states) else [inner_states]
                step_input, _ = (inner if callable(inner) else inner.call)(step_input, inner_states)


def reset_dropout_masks(cell) -> None:
    """Forgets the dropout masks of `cell` (and of the cells of a stack) after a sequence."""
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    if isinstance(cell, StackedRNNCells):
        for inner in cell.cells:
            reset_dropout_masks(inner)
