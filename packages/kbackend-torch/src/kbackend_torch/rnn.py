"""Contract group ``rnn`` on torch: the recurrent loop as an eager Python loop over time steps (torch
records it for autograd); LSTM/GRU as torch's native kernels (`torch.lstm`, `torch.gru`: what
`torch.nn.LSTM`/`GRU` run, cuDNN on GPU) with Keras's weights rearranged, and where those cannot
take the arguments (other activations, masks that do not only pad the end, unroll), Python loops
whose input projections are computed for all time steps at once before the loop."""

from __future__ import annotations

import optree
import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from kbackend_torch._compute import to_torch
from kcore.backend.contract import exported
from kcore.backend.contract.rnn import standard_activations


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


# ---------------------------------------------------------------------------------------------
# Native kernels


def _lengths(mask, steps):
    """The sequence lengths (batch,) of a mask that only pads the end of sequences, None without
    a mask or when no step is masked; NotImplementedError for masks the native kernels cannot
    take (a masked step before a kept one, an empty sequence)."""
    if mask is None:
        return None
    mask = to_torch(mask).to(torch.bool)
    mask = mask.reshape(mask.shape[:2])
    lengths = mask.sum(dim=1)
    padded_end = torch.arange(steps, device=mask.device)[None, :] < lengths[:, None]
    if not bool(torch.equal(padded_end, mask)) or bool((lengths == 0).any()):
        raise NotImplementedError("The native kernels take masks that only pad the end.")
    return None if bool((lengths == steps).all()) else lengths


def _native_unsupported(inputs, activation, recurrent_activation, unroll) -> bool:
    half_on_cpu = inputs.dtype in (torch.float16, torch.bfloat16) and inputs.device.type == "cpu"
    return unroll or half_on_cpu or not standard_activations(activation, recurrent_activation)


def _gather_steps(x, index):
    """`x[b, index[b, t]]` for a batch-major `x` (batch, time, units)."""
    return x.gather(1, index[:, :, None].expand(-1, -1, x.shape[2]))


def _run_native(kernel, inputs, states, params, has_biases, lengths, go_backwards):
    """Runs `torch.lstm`/`torch.gru` over batch-major `inputs` from the initial `states` (each
    (batch, units)); returns the outputs in processing order (batch, time, units) with Keras's
    values at masked steps, and the final states."""
    train = torch.is_grad_enabled()
    steps = inputs.shape[1]

    def hidden(states):
        # One layer, one direction: torch's (1, batch, units); a list for the LSTM's pair.
        return [s[None] for s in states] if len(states) > 1 else states[0][None]

    if lengths is None:
        x = inputs.flip(1) if go_backwards else inputs
        outputs, *states = kernel(x, hidden(states), params, has_biases, 1, 0.0, train, False, True)
        return outputs, [s[0] for s in states]
    time = torch.arange(steps, device=inputs.device)[None, :]
    if go_backwards:
        # Each sequence's kept steps, last first; the padding goes before them (a masked step
        # outputs zeros while no step has run).
        reverse = torch.where(time < lengths[:, None], lengths[:, None] - 1 - time, time)
        inputs = _gather_steps(inputs, reverse)
    packed = pack_padded_sequence(inputs, lengths.cpu(), batch_first=True, enforce_sorted=False)
    hx = hidden([s.index_select(0, packed.sorted_indices) for s in states])
    data, *states = kernel(
        packed.data, packed.batch_sizes, hx, params, has_biases, 1, 0.0, train, False
    )
    outputs, _ = pad_packed_sequence(
        PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
        batch_first=True,
        total_length=steps,
    )
    states = [s.index_select(1, packed.unsorted_indices)[0] for s in states]
    if go_backwards:
        shift = steps - lengths[:, None]
        index = (time - shift).clamp(min=0)
        outputs = torch.where((time >= shift)[:, :, None], _gather_steps(outputs, index), 0.0)
    else:
        # A masked step repeats the last kept step's output.
        outputs = _gather_steps(outputs, torch.minimum(time, lengths[:, None] - 1))
    return outputs, states


def _result(outputs, states, return_sequences):
    last = outputs[:, -1]
    return last, (outputs if return_sequences else last[:, None]), states


def _sequence(inputs, input_projection, step, states, mask, return_sequences, go_backwards):
    """Runs `step(projected_input_t, states)` over the time axis of batch-major `inputs`."""
    projected = input_projection(inputs)
    last, outputs, states = rnn(
        step,
        projected,
        states,
        go_backwards=go_backwards,
        mask=mask,
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
    inputs = to_torch(inputs)
    kernel, recurrent_kernel = to_torch(kernel), to_torch(recurrent_kernel)
    bias = None if bias is None else to_torch(bias)
    h0, c0 = to_torch(initial_state_h), to_torch(initial_state_c)
    if not _native_unsupported(inputs, activation, recurrent_activation, unroll):
        try:
            lengths = _lengths(mask, inputs.shape[1])
        except NotImplementedError:
            pass
        else:
            # Keras's gates i, f, c, o are torch's i, f, g, o: the kernels transposed.
            params = [kernel.t(), recurrent_kernel.t()]
            if bias is not None:
                params += [bias, torch.zeros_like(bias)]
            outputs, states = _run_native(
                torch.lstm,
                inputs,
                [h0, c0],
                params,
                bias is not None,
                lengths,
                go_backwards,
            )
            return _result(outputs, states, return_sequences)

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

    return _sequence(inputs, project, step, [h0, c0], mask, return_sequences, go_backwards)


def _torch_gate_order(x, axis):
    """Keras's GRU gates z, r, h along `axis` as torch's r, z, n."""
    z, r, h = torch.chunk(x, 3, dim=axis)
    return torch.cat([r, z, h], dim=axis)


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
    inputs = to_torch(inputs)
    kernel, recurrent_kernel = to_torch(kernel), to_torch(recurrent_kernel)
    bias = None if bias is None else to_torch(bias)
    h0 = to_torch(initial_state)
    if reset_after and not _native_unsupported(inputs, activation, recurrent_activation, unroll):
        try:
            lengths = _lengths(mask, inputs.shape[1])
        except NotImplementedError:
            pass
        else:
            # torch's GRU applies the reset gate after the recurrent matmul (reset_after=True).
            params = [_torch_gate_order(kernel, 1).t(), _torch_gate_order(recurrent_kernel, 1).t()]
            if bias is not None:
                params += list(_torch_gate_order(bias, 1))
            outputs, states = _run_native(
                torch.gru, inputs, [h0], params, bias is not None, lengths, go_backwards
            )
            return _result(outputs, states, return_sequences)

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

    return _sequence(inputs, project, step, [h0], mask, return_sequences, go_backwards)


__all__ = exported(globals())
