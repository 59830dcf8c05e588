"""Turns the contract's stubs into the public ops of `kcore.ops`.

An op call checks its arguments for `Variable`s, which it reads (`.value`), and `KerasTensor`s:
symbolic calls go to the op's shape inference and are recorded as a node of the graph a Functional
model runs; eager calls go straight to the active backend's function (one attribute lookup on
`kcore.backend.bound`). Errors from the backend are re-raised with the op's name and a summary of
what it received.
"""

from __future__ import annotations

import inspect

from kcore.backend import bound
from kcore.backend.contract import GROUPS
from kcore.backend.keras_tensor import KerasTensor
from kcore.backend.variables import Variable
from kcore.ops.node import Node, OpCall

# RuntimeError: what torch raises for mismatched shapes.
_ENRICHED = (ValueError, TypeError, IndexError, ArithmeticError, RuntimeError)


VARIABLE = 1
SYMBOLIC = 2


def scan(values) -> int:
    """Which special arguments `values` holds: `VARIABLE` and/or `SYMBOLIC` bits (0: none)."""
    found = 0
    for value in values:
        if isinstance(value, KerasTensor):
            found |= SYMBOLIC
        elif isinstance(value, Variable):
            found |= VARIABLE
        elif isinstance(value, (list, tuple)) and value:
            found |= scan(value)
        elif isinstance(value, dict) and value:
            found |= scan(value.values())
    return found


def _unwrap(value):
    """`value` with every `Variable` (also inside lists, tuples and dicts) replaced by its value."""
    if isinstance(value, Variable):
        return value.value
    if isinstance(value, (list, tuple)) and value:
        unwrapped = [_unwrap(v) for v in value]
        return unwrapped if isinstance(value, list) else type(value)(unwrapped)
    if isinstance(value, dict) and value:
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def describe(value) -> str:
    """A short description of an op argument: ``float32[2, 3]`` for tensors, repr otherwise."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        from kcore.backend.dtypes import standardize_dtype

        try:
            dtype = standardize_dtype(dtype)
        except ValueError:
            pass
        return f"{dtype}{list(shape)}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(describe(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _enrich(name: str, error: Exception, args, kwargs) -> None:
    if getattr(error, "_kcore_op", None):
        return
    received = [describe(a) for a in args] + [f"{k}={describe(v)}" for k, v in kwargs.items()]
    message = str(error.args[0]) if error.args else type(error).__name__
    error.args = (f"ops.{name}: {message} (received {', '.join(received)})",) + error.args[1:]
    error._kcore_op = name


def make_op(spec):
    """The public op for contract function `spec`."""
    name = spec.name

    def op(*args, **kwargs):
        found = scan(args) | (scan(kwargs.values()) if kwargs else 0)
        if found:
            if found & SYMBOLIC:
                return symbolic_call(spec, args, kwargs, record=(public, args, kwargs))
            args = _unwrap(args)
            kwargs = _unwrap(kwargs)
        try:
            return getattr(bound, name)(*args, **kwargs)
        except _ENRICHED as error:
            _enrich(name, error, args, kwargs)
            raise

    public = _resolving_seed(op, spec) if spec.seeded else op
    op = public
    op.__name__ = op.__qualname__ = name
    op.__doc__ = spec.stub.__doc__
    op.__signature__ = inspect.signature(spec.stub)
    op.__module__ = f"kcore.ops.{spec.group}"
    op.spec = spec
    return op


def _resolving_seed(op, spec):
    """Wraps `op` so its user `seed` becomes a seed tensor (`kcore.random.draw_seed`)."""
    signature = inspect.signature(spec.stub)

    def seeded_op(*args, **kwargs):
        from kcore.random import draw_seed

        call = signature.bind(*args, **kwargs)
        user_seed = call.arguments.get("seed")
        if scan(call.args) & SYMBOLIC or scan(call.kwargs.values()) & SYMBOLIC:
            # Shape inference with a fixed seed; the graph node keeps the user's seed, so each
            # run of the graph draws a fresh one.
            call.arguments["seed"] = draw_seed(0)
            return symbolic_call(spec, call.args, call.kwargs, record=(seeded_op, args, kwargs))
        call.arguments["seed"] = draw_seed(user_seed)
        return op(*call.args, **call.kwargs)

    return seeded_op


def symbolic_call(spec, args, kwargs, record=None):
    """Computes the `KerasTensor` result of `spec`'s op on symbolic inputs, and records the call
    as a graph node: `record` is the `(public op, args, kwargs)` the graph replays."""
    args, kwargs = _unwrap(args), _unwrap(kwargs)
    if not spec.symbolic:
        raise ValueError(
            f"ops.{spec.name} needs concrete tensors, but received a symbolic KerasTensor. Call it "
            "on real data (numpy arrays or backend tensors), not inside a Functional model definition."
        )
    try:
        if spec.output_spec is not None:
            outputs = spec.output_spec(*args, **kwargs)
        else:
            outputs = bound.compute_output_spec(getattr(bound, spec.name), *args, **kwargs)
    except _ENRICHED as error:
        _enrich(spec.name, error, args, kwargs)
        raise
    Node(OpCall(spec.name, record[0]), record[1], record[2], outputs)
    return outputs


def export_group(group: str, namespace: dict) -> list[str]:
    """Defines every op of contract group `group` in `namespace`; returns their names."""
    names = []
    for name, spec in GROUPS[group].functions.items():
        if not spec.public:
            continue
        namespace[name] = make_op(spec)
        names.append(name)
    for name, target in GROUPS[group].aliases.items():
        namespace[name] = namespace[target]
        names.append(name)
    return names
