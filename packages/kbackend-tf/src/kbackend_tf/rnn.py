"""Contract group ``rnn`` on TensorFlow: the recurrent loop as a `tf.while_loop` over
`TensorArray`s (so it runs inside `tf.function` and under XLA), or a Python loop with `unroll`;
and LSTM/GRU loops whose input projections are computed for all time steps at once before it.

On CPU that loop trains an LSTM faster than TensorFlow's fused `BlockLSTM` kernel (measured in a
`tf.function` with gradients, batch 64, 100 steps, 64 units: about 2x with a `while_loop`, more
unrolled), and it takes masks and any activation; `BlockLSTMV2`'s registered gradient is
`BlockLSTM`'s, whose gate order differs."""

from __future__ import annotations

import tensorflow as tf

from kbackend_tf._compute import to_tf
from kcore.backend.contract import exported

# The fused LSTM/GRU loops unroll sequences of known length up to this many steps: unrolled, a
# step's ops run without the `while_loop` machinery (measured on CPU, in a `tf.function` with
# gradients, batch 64, 100 steps, 64 units: 1.4x faster), at the cost of a larger graph.
UNROLL_STEPS = 128


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _swap_time(x):
    """`x` with its first two axes swapped (batch-major <-> time-major)."""
    return tf.transpose(x, [1, 0, *range(2, x.shape.rank)])


def _masked(mask_t, new, old):
    """`new` where `mask_t` (batch,) is True, else `old`."""
    mask_t = tf.reshape(mask_t, tf.concat([tf.shape(mask_t), [1] * (new.shape.rank - 1)], 0))
    return tf.where(mask_t, new, old)


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
    inputs = tf.nest.map_structure(to_tf, inputs)
    flat_inputs = tf.nest.flatten(inputs)
    # Unrolled, batch-major inputs are unstacked along their time axis directly (no transpose
    # of the whole sequence, nor of its gradient); the while_loop reads time-major arrays.
    time_axis = 0 if time_major else 1
    steps = flat_inputs[0].shape[time_axis]
    unrolled = bool(unroll) and steps is not None
    if not unrolled and not time_major:
        flat_inputs = [_swap_time(x) for x in flat_inputs]
        time_axis = 0
    if steps == 0:
        raise ValueError("rnn needs at least one time step.")
    if mask is not None:
        mask = tf.cast(to_tf(mask), tf.bool)
        mask = tf.reshape(mask, tf.shape(mask)[:2])
        if not time_major:
            mask = _swap_time(mask)
    if go_backwards:
        flat_inputs = [tf.reverse(x, [time_axis]) for x in flat_inputs]
        mask = None if mask is None else tf.reverse(mask, [0])
    constants = tuple(to_tf(c) for c in (constants or ()))
    states = tf.nest.map_structure(to_tf, _as_list(initial_states))

    def step(flat_input_t, states, previous, mask_t):
        input_t = tf.nest.pack_sequence_as(inputs, flat_input_t)
        output, new_states = step_function(input_t, tuple(states) + constants)
        output = to_tf(output)
        # The new states take the structure of the initial ones, as the loop's must keep one.
        new_states = tf.nest.pack_sequence_as(
            states, [to_tf(s) for s in tf.nest.flatten(_as_list(new_states))]
        )
        if mask_t is not None:
            fallback = tf.zeros_like(output) if zero_output_for_mask else previous
            if fallback is None:
                fallback = tf.zeros_like(output)
            output = _masked(mask_t, output, fallback)
            new_states = tf.nest.map_structure(
                lambda new, old: _masked(mask_t, new, old), new_states, states
            )
        return output, new_states

    if unrolled:
        outputs, last_output, states = _unrolled(
            step, flat_inputs, states, mask, steps, return_all_outputs, time_axis
        )
        if not return_all_outputs:
            outputs = last_output[:, None] if time_axis else last_output[None]
        return last_output, outputs, states
    outputs, last_output, states = _looped(step, flat_inputs, states, mask, return_all_outputs)
    outputs = outputs if return_all_outputs else last_output[None]
    if not time_major:
        outputs = _swap_time(outputs)
    return last_output, outputs, states


def _unrolled(step, flat_inputs, states, mask, steps, keep_outputs, time_axis):
    """The loop in Python: one set of ops per time step. The inputs are unstacked once along
    `time_axis` (the gradient of one `unstack` is one `stack`; that of a slice per step would be
    a full-size tensor per step); the outputs are stacked along it."""
    columns = [tf.unstack(x, num=steps, axis=time_axis) for x in flat_inputs]
    masks = [None] * steps if mask is None else tf.unstack(mask, num=steps)
    outputs, previous = [], None
    for t in range(steps):
        previous, states = step([c[t] for c in columns], states, previous, masks[t])
        outputs.append(previous)
    return (tf.stack(outputs, axis=time_axis) if keep_outputs else None), previous, states


def _looped(step, flat_inputs, states, mask, keep_outputs):
    """The loop as a `tf.while_loop`; the first step runs before it, to know the output's
    shape and dtype. The outputs of every step are gathered only with `keep_outputs`."""
    steps = tf.shape(flat_inputs[0])[0]
    first = [x[0] for x in flat_inputs]
    output, states = step(first, states, None, None if mask is None else mask[0])
    input_arrays = [
        tf.TensorArray(x.dtype, size=steps, element_shape=x.shape[1:]).unstack(x)
        for x in flat_inputs
    ]
    outputs = ()
    if keep_outputs:
        outputs = tf.TensorArray(output.dtype, size=steps, element_shape=output.shape)
        outputs = outputs.write(0, output)

    def body(t, outputs, previous, states):
        mask_t = None if mask is None else mask[t]
        output, new_states = step([a.read(t) for a in input_arrays], states, previous, mask_t)
        if keep_outputs:
            outputs = outputs.write(t, output)
        return t + 1, outputs, output, new_states

    _, outputs, output, states = tf.while_loop(
        lambda t, *_: t < steps,
        body,
        (tf.constant(1), outputs, output, states),
        maximum_iterations=steps - 1,
    )
    return (outputs.stack() if keep_outputs else None), output, states


def _sequence(inputs, input_projection, step, states, mask, return_sequences, go_backwards, unroll):
    """Runs `step(projected_input_t, states)` over the time axis of batch-major `inputs` (the
    outputs of every step are kept only with `return_sequences`)."""
    inputs = to_tf(inputs)
    steps = inputs.shape[1]
    unroll = unroll or (steps is not None and steps <= UNROLL_STEPS)
    projected = input_projection(inputs)
    last, outputs, states = rnn(
        step,
        projected,
        states,
        go_backwards=go_backwards,
        mask=mask,
        unroll=unroll,
        return_all_outputs=return_sequences,
    )
    return last, (outputs if return_sequences else last[:, None]), states


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
    kernel, recurrent_kernel = to_tf(kernel), to_tf(recurrent_kernel)
    bias = None if bias is None else to_tf(bias)

    def project(x):
        z = tf.tensordot(x, kernel, [[x.shape.rank - 1], [0]])
        return z if bias is None else z + bias

    def step(z_x, states):
        h, c = states
        z = z_x + tf.linalg.matmul(h, recurrent_kernel)
        z_i, z_f, z_c, z_o = tf.split(z, 4, axis=-1)
        i, f, o = (to_tf(recurrent_activation(v)) for v in (z_i, z_f, z_o))
        c = f * c + i * to_tf(activation(z_c))
        h = o * to_tf(activation(c))
        return h, [h, c]

    states = [to_tf(initial_state_h), to_tf(initial_state_c)]
    return _sequence(inputs, project, step, states, mask, return_sequences, go_backwards, unroll)


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
    kernel, recurrent_kernel = to_tf(kernel), to_tf(recurrent_kernel)
    bias = None if bias is None else to_tf(bias)
    if bias is None:
        input_bias = recurrent_bias = 0.0
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, 0.0
    units = recurrent_kernel.shape[0]

    def project(x):
        return tf.tensordot(x, kernel, [[x.shape.rank - 1], [0]]) + input_bias

    def step(z_x, states):
        (h,) = states
        x_z, x_r, x_h = tf.split(z_x, 3, axis=-1)
        if reset_after:
            inner = tf.linalg.matmul(h, recurrent_kernel) + recurrent_bias
            r_z, r_r, r_h = tf.split(inner, 3, axis=-1)
        else:
            r_z, r_r = tf.split(tf.linalg.matmul(h, recurrent_kernel[:, : 2 * units]), 2, axis=-1)
        z = to_tf(recurrent_activation(x_z + r_z))
        r = to_tf(recurrent_activation(x_r + r_r))
        if reset_after:
            candidate = to_tf(activation(x_h + r * r_h))
        else:
            hidden = tf.linalg.matmul(r * h, recurrent_kernel[:, 2 * units :])
            candidate = to_tf(activation(x_h + hidden))
        h = z * h + (1 - z) * candidate
        return h, [h]

    states = [to_tf(initial_state)]
    return _sequence(inputs, project, step, states, mask, return_sequences, go_backwards, unroll)


__all__ = exported(globals())
