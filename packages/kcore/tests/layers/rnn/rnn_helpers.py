"""Shared by the rnn tests: numpy references of the recurrent cells and of the loop around them,
and the check that a layer's fused kernel gives the numbers of its cell run step by step."""

import numpy as np

import kcore
from kcore import ops
from kcore.backend import bound


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def simple_rnn_step(x, states, kernel, recurrent_kernel, bias):
    h = np.tanh(x @ kernel + states[0] @ recurrent_kernel + bias)
    return h, [h]


def lstm_step(x, states, kernel, recurrent_kernel, bias):
    h, c = states
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, [h, c]


def gru_step(x, states, kernel, recurrent_kernel, bias, reset_after=True):
    (h,) = states
    units = h.shape[-1]
    if reset_after:
        x_proj = x @ kernel + bias[0]
        h_proj = h @ recurrent_kernel + bias[1]
        z = sigmoid(x_proj[:, :units] + h_proj[:, :units])
        r = sigmoid(x_proj[:, units : 2 * units] + h_proj[:, units : 2 * units])
        candidate = np.tanh(x_proj[:, 2 * units :] + r * h_proj[:, 2 * units :])
    else:
        x_proj = x @ kernel + bias
        h_proj = h @ recurrent_kernel[:, : 2 * units]
        z = sigmoid(x_proj[:, :units] + h_proj[:, :units])
        r = sigmoid(x_proj[:, units : 2 * units] + h_proj[:, units:])
        candidate = np.tanh(x_proj[:, 2 * units :] + (r * h) @ recurrent_kernel[:, 2 * units :])
    h = z * h + (1 - z) * candidate
    return h, [h]


def run(step, x, states, mask=None, go_backwards=False, zero_output_for_mask=False):
    """Keras's loop: returns (outputs in processing order, final states); masked steps keep
    the states and repeat the previous output (zeros before the first step)."""
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, previous = [], np.zeros((x.shape[0], states[0].shape[-1]), x.dtype)
    for t in steps:
        output, new_states = step(x[:, t], states)
        if mask is not None:
            keep = mask[:, t][:, None]
            output = np.where(keep, output, 0.0 if zero_output_for_mask else previous)
            new_states = [np.where(keep, n, s) for n, s in zip(new_states, states)]
        outputs.append(output)
        previous, states = output, new_states
    return np.stack(outputs, axis=1), states


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def outputs_and_gradients(layer, x, mask=None, initial_state=None):
    """The layer's outputs and, on backends with autodiff, the gradients of the sum of their
    squares with respect to its weights."""
    non_trainable = [v.value for v in layer.non_trainable_variables]
    kwargs = {"mask": mask} if mask is not None else {}
    if initial_state is not None:
        kwargs["initial_state"] = initial_state

    def loss(values):
        outputs, _ = layer.stateless_call(values, non_trainable, x, **kwargs)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        total = sum(ops.sum(ops.square(o)) for o in outputs)
        return total, outputs

    values = [v.value for v in layer.trainable_variables]
    if not kcore.backend.capabilities().supports_training:
        return [_np(o) for o in loss(values)[1]], []
    (_, outputs), grads = bound.value_and_grad(loss, has_aux=True)(values)
    return [_np(o) for o in outputs], [_np(g) for g in grads]


def assert_fused_matches_generic(layer_cls, x, mask=None, initial_state=None, **kwargs):
    """`layer_cls(use_cudnn="auto")` and `layer_cls(use_cudnn=False)` with the same weights give
    the same outputs and gradients (float32 tolerance)."""
    fused = layer_cls(use_cudnn="auto", **kwargs)
    generic = layer_cls(use_cudnn=False, **kwargs)
    fused(x)
    generic(x)
    generic.set_weights(fused.get_weights())
    got = outputs_and_gradients(fused, x, mask, initial_state)
    want = outputs_and_gradients(generic, x, mask, initial_state)
    for g, w in zip(got[0] + got[1], want[0] + want[1]):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
