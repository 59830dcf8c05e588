"""Contract group ``rnn``: the recurrent loop behind Keras's RNN layers, and optional fused
LSTM/GRU kernels. These are backend functions with no `kcore.ops` op in Keras; they take Python
callables, so they have no symbolic form."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("rnn")


@group.required(symbolic=False)
def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Runs `output, new_states = step_function(input_t, states + constants)` over the time axis
    of `inputs` (axis 1, or 0 with `time_major`; a structure of tensors is sliced leaf by leaf).

    Returns `(last_output, outputs, new_states)`; `outputs` stacks the step outputs in processing
    order (reversed input order with `go_backwards`) on the time axis, or holds only the last one
    when `return_all_outputs=False`. Where the boolean `mask` (batch, time) is False, states are
    kept and the output repeats the previous step's output (zeros before the first step, and
    always zeros with `zero_output_for_mask=True`). `unroll` and `input_length` are hints.
    """


@group.optional(symbolic=False)
def lstm(
    inputs,
    initial_state_h,
    initial_state_c,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation,
    recurrent_activation,
    return_sequences=False,
    go_backwards=False,
    unroll=False,
):
    """A fused LSTM loop, or `NotImplementedError` when the backend has none for these arguments
    (the LSTM layer then runs its cell through `rnn`).

    Gates `z = x @ kernel + h @ recurrent_kernel + bias`, split in order i, f, c, o; returns
    `(last_output, outputs, [h, c])` as `rnn` does (`outputs` has a time axis of 1 unless
    `return_sequences`).
    """
    raise NotImplementedError("This backend has no fused LSTM kernel.")


@group.optional(symbolic=False)
def gru(
    inputs,
    initial_state,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation,
    recurrent_activation,
    return_sequences=False,
    go_backwards=False,
    unroll=False,
    reset_after=True,
):
    """A fused GRU loop, or `NotImplementedError` when the backend has none for these arguments
    (the GRU layer then runs its cell through `rnn`).

    Gates in order z, r, h as in Keras's GRUCell (`reset_after` applies the reset gate after the
    recurrent matmul; `bias` then has shape `(2, 3 * units)`); returns
    `(last_output, outputs, [h])` as `lstm` does.
    """
    raise NotImplementedError("This backend has no fused GRU kernel.")


def standard_activations(activation, recurrent_activation) -> bool:
    """Whether an LSTM/GRU computes its candidates with tanh and its gates with sigmoid: what
    the backends' native kernels (cuDNN's, torch's, TensorFlow's block LSTM) compute. A helper
    for backends, not a contract function."""
    from kcore import activations, ops

    return activation in (activations.tanh, ops.tanh) and recurrent_activation in (
        activations.sigmoid,
        ops.sigmoid,
    )
