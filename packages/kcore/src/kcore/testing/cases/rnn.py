"""Conformance cases for contract group ``rnn``."""

import math

import numpy as np

from kcore.testing.cases._case import Arr, Case


def _ops():
    import kcore.ops

    return kcore.ops


def cumulative_sum(inputs, states):
    """A step function: the running sum of the inputs, output and state alike."""
    total = _ops().add(states[0], inputs)
    return total, [total]


def scaled_sum(inputs, states):
    """A step function with a constant: `state * constant + inputs`, output `2 * state`."""
    state, constant = states
    total = _ops().add(_ops().multiply(state, constant), inputs)
    return _ops().multiply(total, 2.0), [total]


def nested_inputs(inputs, states):
    """A step function whose inputs are a pair of tensors."""
    first, second = inputs
    total = _ops().add(states[0], _ops().multiply(first, second))
    return total, [total]


def tanh(x):
    return _ops().tanh(x)


def sigmoid(x):
    return _ops().sigmoid(x)


_SEQUENCE = np.array([[[1.0], [2.0], [3.0]]], dtype="float32")
_ZERO_STATE = [np.zeros((1, 1), dtype="float32")]
_MASK = np.array([[True, False, True]])

RNN = [
    Case(
        "rnn",
        (cumulative_sum, _SEQUENCE, _ZERO_STATE),
        expected=([[6.0]], [[[1.0], [3.0], [6.0]]], [[6.0]]),
        id="exact",
    ),
    Case(
        "rnn",
        (cumulative_sum, _SEQUENCE, _ZERO_STATE),
        {"mask": _MASK},
        expected=([[4.0]], [[[1.0], [1.0], [4.0]]], [[4.0]]),
        id="mask-exact",
    ),
    Case(
        "rnn",
        (cumulative_sum, _SEQUENCE, _ZERO_STATE),
        {"go_backwards": True},
        expected=([[6.0]], [[[3.0], [5.0], [6.0]]], [[6.0]]),
        id="backwards-exact",
    ),
    Case(
        "rnn",
        (cumulative_sum, _SEQUENCE, _ZERO_STATE),
        {"mask": _MASK, "zero_output_for_mask": True},
        expected=([[4.0]], [[[1.0], [0.0], [4.0]]], [[4.0]]),
        id="zero-output-exact",
    ),
    Case("rnn", (cumulative_sum, Arr((2, 5, 3)), [Arr((2, 3))]), id="batch"),
    Case(
        "rnn",
        (cumulative_sum, Arr((5, 2, 3)), [Arr((2, 3))]),
        {"time_major": True, "go_backwards": True, "mask": Arr((5, 2), "bool")},
        id="time-major-mask-backwards",
    ),
    Case(
        "rnn",
        (cumulative_sum, Arr((2, 4, 3)), [Arr((2, 3))]),
        {"return_all_outputs": False, "unroll": True},
        id="last-only",
    ),
    Case(
        "rnn",
        (scaled_sum, Arr((2, 4, 3)), [Arr((2, 3))]),
        {"constants": [Arr((2, 3))]},
        id="constants",
    ),
    Case(
        "rnn",
        (nested_inputs, (Arr((2, 4, 3)), Arr((2, 4, 3))), [Arr((2, 3))]),
        {"mask": Arr((2, 4), "bool")},
        id="nested",
    ),
]

_UNITS = 3
# All gates 1/2 with zero weights: c = 2 / 2 = 1 and h = tanh(1) / 2.
_H = 0.5 * math.tanh(1.0)

FUSED = [
    Case(
        "lstm",
        (
            Arr((2, 5, 4)),
            Arr((2, _UNITS)),
            Arr((2, _UNITS)),
            None,
            Arr((4, 4 * _UNITS), low=-0.5, high=0.5),
            Arr((_UNITS, 4 * _UNITS), low=-0.5, high=0.5),
            Arr((4 * _UNITS,)),
            tanh,
            sigmoid,
        ),
        {"return_sequences": True},
        rtol=1e-4,
        atol=1e-4,
        id="sequences",
    ),
    Case(
        "lstm",
        (
            np.ones((1, 1, 1), "float32"),
            np.zeros((1, 1), "float32"),
            np.full((1, 1), 2.0, "float32"),
            None,
            np.zeros((1, 4), "float32"),
            np.zeros((1, 4), "float32"),
            np.zeros((4,), "float32"),
            tanh,
            sigmoid,
        ),
        expected=([[_H]], [[[_H]]], [[_H]], [[1.0]]),
        id="exact",
    ),
    Case(
        "lstm",
        (
            Arr((2, 5, 4)),
            Arr((2, _UNITS)),
            Arr((2, _UNITS)),
            None,
            Arr((4, 4 * _UNITS), low=-0.5, high=0.5),
            Arr((_UNITS, 4 * _UNITS), low=-0.5, high=0.5),
            None,
            tanh,
            sigmoid,
        ),
        {"go_backwards": True},
        rtol=1e-4,
        atol=1e-4,
        id="backwards-no-bias",
    ),
    Case(
        "gru",
        (
            Arr((2, 5, 4)),
            Arr((2, _UNITS)),
            None,
            Arr((4, 3 * _UNITS), low=-0.5, high=0.5),
            Arr((_UNITS, 3 * _UNITS), low=-0.5, high=0.5),
            Arr((2, 3 * _UNITS)),
            tanh,
            sigmoid,
        ),
        {"return_sequences": True},
        rtol=1e-4,
        atol=1e-4,
        id="reset-after",
    ),
    Case(
        "gru",
        (
            Arr((2, 5, 4)),
            Arr((2, _UNITS)),
            None,
            Arr((4, 3 * _UNITS), low=-0.5, high=0.5),
            Arr((_UNITS, 3 * _UNITS), low=-0.5, high=0.5),
            Arr((3 * _UNITS,)),
            tanh,
            sigmoid,
        ),
        {"reset_after": False, "go_backwards": True},
        rtol=1e-4,
        atol=1e-4,
        id="reset-before",
    ),
    Case(
        "gru",
        (
            np.ones((1, 1, 1), "float32"),
            np.full((1, 1), 2.0, "float32"),
            None,
            np.zeros((1, 3), "float32"),
            np.zeros((1, 3), "float32"),
            None,
            tanh,
            sigmoid,
        ),
        expected=([[1.0]], [[[1.0]]], [[1.0]]),
        id="exact",
    ),
]

CASES = [*RNN, *FUSED]
