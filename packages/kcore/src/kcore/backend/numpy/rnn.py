"""Contract group ``rnn`` on numpy: the generic recurrent loop and fused LSTM/GRU loops."""

from __future__ import annotations

import numpy as np
import optree

from kcore.backend.contract import exported
from kcore.backend.numpy._utils import to_array


def _leaves(tree):
    return optree.tree_flatten(tree, none_is_leaf=False)


def _expand_mask(mask_t, value):
    return mask_t.reshape(mask_t.shape + (1,) * (np.ndim(value) - mask_t.ndim))


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
    leaves, treedef = _leaves(inputs)
    leaves = [to_array(leaf) for leaf in leaves]
    if not time_major:
        leaves = [np.swapaxes(leaf, 0, 1) for leaf in leaves]
    steps = leaves[0].shape[0]
    if mask is not None:
        mask = to_array(mask).astype(bool)
        mask = mask.reshape(mask.shape[:2])
        if not time_major:
            mask = np.swapaxes(mask, 0, 1)
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    constants = list(constants or [])
    states = list(initial_states)
    outputs, previous = [], None
    for t in order:
        input_t = optree.tree_unflatten(treedef, [leaf[t] for leaf in leaves])
        output, new_states = step_function(input_t, tuple(states) + tuple(constants))
        output = to_array(output)
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
        if mask is not None:
            keep = mask[t]
            if previous is None or zero_output_for_mask:
                previous = np.zeros_like(output)
            output = np.where(_expand_mask(keep, output), output, previous)
            new_states = optree.tree_map(
                lambda new, old, keep=keep: np.where(_expand_mask(keep, new), new, to_array(old)),
                new_states,
                states,
            )
        states, previous = new_states, output
        if return_all_outputs or not outputs:
            outputs.append(output)
        else:
            outputs[0] = output
    if not outputs:
        raise ValueError("rnn needs at least one time step.")
    stacked = np.stack(outputs)
    if not time_major:
        stacked = np.swapaxes(stacked, 0, 1)
    return outputs[-1], stacked, states


def _run(step, inputs, states, return_sequences, go_backwards):
    last, outputs, states = rnn(step, inputs, states, go_backwards=go_backwards)
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
    if mask is not None:
        raise NotImplementedError("The numpy fused LSTM does not take a mask.")
    kernel, recurrent_kernel = to_array(kernel), to_array(recurrent_kernel)
    bias = None if bias is None else to_array(bias)

    def step(x, states):
        h, c = states
        z = np.matmul(x, kernel) + np.matmul(h, recurrent_kernel)
        if bias is not None:
            z = z + bias
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
        i, f, o = (to_array(recurrent_activation(v)) for v in (z_i, z_f, z_o))
        c = f * c + i * to_array(activation(z_c))
        h = o * to_array(activation(c))
        return h, [h, c]

    states = [to_array(initial_state_h), to_array(initial_state_c)]
    return _run(step, to_array(inputs), states, return_sequences, go_backwards)


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
    if mask is not None:
        raise NotImplementedError("The numpy fused GRU does not take a mask.")
    kernel, recurrent_kernel = to_array(kernel), to_array(recurrent_kernel)
    bias = None if bias is None else to_array(bias)
    if bias is None:
        input_bias = recurrent_bias = 0.0
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, 0.0
    units = recurrent_kernel.shape[0]

    def step(x, states):
        (h,) = states
        x_z, x_r, x_h = np.split(np.matmul(x, kernel) + input_bias, 3, axis=-1)
        if reset_after:
            inner = np.matmul(h, recurrent_kernel) + recurrent_bias
            r_z, r_r, r_h = np.split(inner, 3, axis=-1)
        else:
            r_z, r_r = np.split(np.matmul(h, recurrent_kernel[:, : 2 * units]), 2, axis=-1)
        z = to_array(recurrent_activation(x_z + r_z))
        r = to_array(recurrent_activation(x_r + r_r))
        if reset_after:
            candidate = to_array(activation(x_h + r * r_h))
        else:
            candidate = to_array(
                activation(x_h + np.matmul(r * h, recurrent_kernel[:, 2 * units :]))
            )
        h = z * h + (1 - z) * candidate
        return h, [h]

    return _run(step, to_array(inputs), [to_array(initial_state)], return_sequences, go_backwards)


__all__ = exported(globals())
