"""Contract group ``rnn`` on torch: the recurrent loop as an eager Python loop over time steps (torch
records it for autograd), and LSTM/GRU loops whose input projections are computed for all time
steps at once before the loop."""

from __future__ import annotations

import optree
import torch

from kbackend_torch._compute import to_torch
from kcore.backend.contract import exported


def _expand_mask(mask_t, value):
    return mask_t.reshape(mask_t.shape + (1,) * (value.ndim - mask_t.ndim))


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _time_major_mask(mask, time_major, go_backwards):
    """The boolean mask as (time, batch), in processing order."""
    mask = to_torch(mask).to(torch.bool)
    mask = mask.reshape(mask.shape[:2])
    if not time_major:
        mask = mask.transpose(0, 1)
    return mask.flip(0) if go_backwards else mask


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
    leaves, structure = optree.tree_flatten(inputs)
    leaves = [to_torch(x) for x in leaves]
    if not time_major:
        leaves = [x.transpose(0, 1) for x in leaves]
    if go_backwards:
        leaves = [x.flip(0) for x in leaves]
    steps = leaves[0].shape[0]
    if steps == 0:
        raise ValueError("rnn needs at least one time step.")
    if mask is not None:
        mask = _time_major_mask(mask, time_major, go_backwards)
    constants = tuple(to_torch(c) for c in (constants or ()))
    state_leaves, state_structure = optree.tree_flatten(_as_list(initial_states))
    states = optree.tree_unflatten(state_structure, [to_torch(s) for s in state_leaves])
    previous = None
    outputs = []
    for t in range(steps):
        input_t = optree.tree_unflatten(structure, [x[t] for x in leaves])
        output, new_states = step_function(input_t, tuple(states) + constants)
        output = to_torch(output)
        # The new states take the structure of the initial ones (lists, not tuples).
        new_leaves = [to_torch(s) for s in optree.tree_leaves(_as_list(new_states))]
        if mask is not None:
            keep = mask[t]
            if zero_output_for_mask or previous is None:
                fallback = torch.zeros_like(output)
            else:
                fallback = previous
            output = torch.where(_expand_mask(keep, output), output, fallback)
            old_leaves = optree.tree_leaves(states)
            new_leaves = [
                torch.where(_expand_mask(keep, new), new, old)
                for new, old in zip(new_leaves, old_leaves)
            ]
        states = optree.tree_unflatten(state_structure, new_leaves)
        previous = output
        if return_all_outputs:
            outputs.append(output)
    stacked = torch.stack(outputs) if return_all_outputs else previous[None]
    if not time_major:
        stacked = stacked.transpose(0, 1)
    return previous, stacked, states


def _sequence(inputs, input_projection, step, states, mask, return_sequences, go_backwards):
    """Runs `step(projected_input_t, states)` over the time axis of batch-major `inputs`."""
    projected = input_projection(to_torch(inputs))
    last, outputs, states = rnn(step, projected, states, go_backwards=go_backwards, mask=mask)
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
    kernel, recurrent_kernel = to_torch(kernel), to_torch(recurrent_kernel)
    bias = None if bias is None else to_torch(bias)

    def project(x):
        z = torch.matmul(x, kernel)
        return z if bias is None else z + bias

    def step(z_x, states):
        h, c = states
        z = z_x + torch.matmul(h, recurrent_kernel)
        z_i, z_f, z_c, z_o = torch.chunk(z, 4, dim=-1)
        i, f, o = (to_torch(recurrent_activation(v)) for v in (z_i, z_f, z_o))
        c = f * c + i * to_torch(activation(z_c))
        h = o * to_torch(activation(c))
        return h, [h, c]

    states = [to_torch(initial_state_h), to_torch(initial_state_c)]
    return _sequence(inputs, project, step, states, mask, return_sequences, go_backwards)


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
    kernel, recurrent_kernel = to_torch(kernel), to_torch(recurrent_kernel)
    bias = None if bias is None else to_torch(bias)
    if bias is None:
        input_bias = recurrent_bias = 0.0
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, 0.0
    units = recurrent_kernel.shape[0]

    def project(x):
        return torch.matmul(x, kernel) + input_bias

    def step(z_x, states):
        (h,) = states
        x_z, x_r, x_h = torch.chunk(z_x, 3, dim=-1)
        if reset_after:
            inner = torch.matmul(h, recurrent_kernel) + recurrent_bias
            r_z, r_r, r_h = torch.chunk(inner, 3, dim=-1)
        else:
            r_z, r_r = torch.chunk(torch.matmul(h, recurrent_kernel[:, : 2 * units]), 2, dim=-1)
        z = to_torch(recurrent_activation(x_z + r_z))
        r = to_torch(recurrent_activation(x_r + r_r))
        if reset_after:
            candidate = to_torch(activation(x_h + r * r_h))
        else:
            candidate = to_torch(
                activation(x_h + torch.matmul(r * h, recurrent_kernel[:, 2 * units :]))
            )
        h = z * h + (1 - z) * candidate
        return h, [h]

    states = [to_torch(initial_state)]
    return _sequence(inputs, project, step, states, mask, return_sequences, go_backwards)


__all__ = exported(globals())
