"""`DropoutRNNCell`: the dropout masks of a recurrent cell, drawn once per sequence."""

from __future__ import annotations

from kcore import ops, random


class DropoutRNNCell:
    """Mixin that gives a recurrent cell cached dropout masks.

    Recurrent dropout must drop the same units at every time step of a sequence, so a cell draws
    its masks once and reuses them until the RNN layer clears them at the end of the sequence.
    The RNN layer also draws them before its loop starts, so the loop itself draws no random
    numbers (what a compiled `scan` needs).

    A cell that mixes it in defines `dropout` and `recurrent_dropout` (rates in [0, 1]),
    `seed_generator` (a `kcore.random.SeedGenerator`) and, to get one mask per gate instead of a
    single one, `dropout_mask_count`.

    Example:

    >>> import kcore
    >>> cell = kcore.layers.SimpleRNNCell(2, dropout=0.5, seed=1)
    >>> step_input = kcore.ops.ones((1, 6))
    >>> first = cell.get_dropout_mask(step_input)
    >>> bool(kcore.ops.all(first == cell.get_dropout_mask(step_input)))
    True
    >>> cell.reset_dropout_mask()
    """

    _dropout_mask = None
    _recurrent_dropout_mask = None

    def _create_dropout_mask(self, step_input, rate):
        ones = ops.ones_like(step_input)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate=rate, seed=self.seed_generator)
        return [random.dropout(ones, rate=rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The mask (or list of per-gate masks) applied to the cell's inputs, shaped like
        `step_input`; None when `dropout` is 0."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        """The mask (or list of per-gate masks) applied to the previous state, shaped like
        `step_input`; None when `recurrent_dropout` is 0."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        """Forgets the input mask: the next sequence draws a new one."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        """Forgets the recurrent mask: the next sequence draws a new one."""
        self._recurrent_dropout_mask = None
