"""Contract group ``rnn`` on JAX: the recurrent loop as a `lax.scan`, and LSTM/GRU loops whose input
projections are computed for all time steps at once before the scan."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from kbackend_jax._compute import to_jax
from kcore.backend.contract import exported


def _expand_mask(mask_t, value):
    return mask_t.reshape(mask_t.shape + (1,) * (value.ndim - mask_t.ndim))


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


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
    inputs = jax.tree_util.tree_map(to_jax, inputs)
    if not time_major:
        inputs = jax.tree_util.tree_map(lambda x: jnp.swapaxes(x, 0, 1), inputs)
    steps = jax.tree_util.tree_leaves(inputs)[0].shape[0]
    if steps == 0:
        raise ValueError("rnn needs at least one time step.")
    if mask is not None:
        mask = to_jax(mask).astype(bool)
        mask = mask.reshape(mask.shape[:2])
        if not time_major:
            mask = jnp.swapaxes(mask, 0, 1)
    if go_backwards:
        inputs = jax.tree_util.tree_map(lambda x: jnp.flip(x, 0), inputs)
        mask = None if mask is None else jnp.flip(mask, 0)
    constants = tuple(to_jax(c) for c in (constants or ()))
    states = jax.tree_util.tree_map(to_jax, _as_list(initial_states))
    structure = jax.tree_util.tree_structure(states)

    def call(input_t, states):
        output, new_states = step_function(input_t, tuple(states) + constants)
        # The new states take the structure of the initial ones (lists, not tuples), as the
        # scan's carry must keep one structure.
        leaves = [to_jax(s) for s in jax.tree_util.tree_leaves(_as_list(new_states))]
        return to_jax(output), jax.tree_util.tree_unflatten(structure, leaves)

    first_input = jax.tree_util.tree_map(lambda x: x[0], inputs)
    output_spec = jax.eval_shape(lambda i, s: call(i, s)[0], first_input, states)
    previous = jnp.zeros(output_spec.shape, output_spec.dtype)

    def step(carry, xs):
        states, previous = carry
        input_t, mask_t = xs
        output, new_states = call(input_t, states)
        if mask_t is not None:
            fallback = jnp.zeros_like(output) if zero_output_for_mask else previous
            output = jnp.where(_expand_mask(mask_t, output), output, fallback)
            new_states = jax.tree_util.tree_map(
                lambda new, old: jnp.where(_expand_mask(mask_t, new), new, old), new_states, states
            )
        return (new_states, output), (output if return_all_outputs else None)

    (states, last_output), outputs = lax.scan(
        step, (states, previous), (inputs, mask), unroll=steps if unroll else 1
    )
    outputs = outputs if return_all_outputs else last_output[None]
    if not time_major:
        outputs = jnp.swapaxes(outputs, 0, 1)
    return last_output, outputs, states


def _sequence(inputs, input_projection, step, states, mask, return_sequences, go_backwards, unroll):
    """Runs `step(projected_input_t, states)` over the time axis of batch-major `inputs` (one
    `lax.scan`; the outputs of every step are kept only with `return_sequences`)."""
    projected = input_projection(to_jax(inputs))
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
    kernel, recurrent_kernel = to_jax(kernel), to_jax(recurrent_kernel)
    bias = None if bias is None else to_jax(bias)

    def project(x):
        z = jnp.matmul(x, kernel)
        return z if bias is None else z + bias

    def step(z_x, states):
        h, c = states
        z = z_x + jnp.matmul(h, recurrent_kernel)
        z_i, z_f, z_c, z_o = jnp.split(z, 4, axis=-1)
        i, f, o = (to_jax(recurrent_activation(v)) for v in (z_i, z_f, z_o))
        c = f * c + i * to_jax(activation(z_c))
        h = o * to_jax(activation(c))
        return h, [h, c]

    states = [to_jax(initial_state_h), to_jax(initial_state_c)]
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
    kernel, recurrent_kernel = to_jax(kernel), to_jax(recurrent_kernel)
    bias = None if bias is None else to_jax(bias)
    if bias is None:
        input_bias = recurrent_bias = 0.0
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, 0.0
    units = recurrent_kernel.shape[0]

    def project(x):
        return jnp.matmul(x, kernel) + input_bias

    def step(z_x, states):
        (h,) = states
        x_z, x_r, x_h = jnp.split(z_x, 3, axis=-1)
        if reset_after:
            inner = jnp.matmul(h, recurrent_kernel) + recurrent_bias
            r_z, r_r, r_h = jnp.split(inner, 3, axis=-1)
        else:
            r_z, r_r = jnp.split(jnp.matmul(h, recurrent_kernel[:, : 2 * units]), 2, axis=-1)
        z = to_jax(recurrent_activation(x_z + r_z))
        r = to_jax(recurrent_activation(x_r + r_r))
        if reset_after:
            candidate = to_jax(activation(x_h + r * r_h))
        else:
            candidate = to_jax(
                activation(x_h + jnp.matmul(r * h, recurrent_kernel[:, 2 * units :]))
            )
        h = z * h + (1 - z) * candidate
        return h, [h]

    states = [to_jax(initial_state)]
    return _sequence(inputs, project, step, states, mask, return_sequences, go_backwards, unroll)


__all__ = exported(globals())
