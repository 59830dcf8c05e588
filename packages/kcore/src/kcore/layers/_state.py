"""What a layer's state is made of, found by walking its attributes; the per-thread call context;
automatic names."""

from __future__ import annotations

import collections
import re
import threading

_local = threading.local()


def collect_state(layer):
    """The sublayers, variables and seed generators `layer` holds in its attributes (also in
    lists, tuples and dicts), in attribute order, each once."""
    from kcore.backend.variables import Variable
    from kcore.layers.layer import Layer
    from kcore.random.seed_generator import SeedGenerator

    layers, variables, generators = [], [], []
    seen = {id(layer)}

    def visit(value):
        if id(value) in seen:
            return
        if isinstance(value, Layer):
            seen.add(id(value))
            layers.append(value)
        elif isinstance(value, Variable):
            seen.add(id(value))
            variables.append(value)
        elif isinstance(value, SeedGenerator):
            seen.add(id(value))
            generators.append(value)
        elif isinstance(value, (list, tuple)):
            seen.add(id(value))
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            seen.add(id(value))
            for item in value.values():
                visit(item)

    for name, value in vars(layer).items():
        if name not in _UNTRACKED:
            visit(value)
    return layers, variables, generators


# Attributes that reference other objects without owning them.
_UNTRACKED = frozenset(
    {
        "_plan",
        "_input_tensors",
        "_output_tensors",
        "_inputs_struct",
        "_outputs_struct",
        "_input_layers",
        "_functional",
    }
)


class CallContext:
    """The state of the outermost layer call in progress: its layer and the `training` flag that
    inner layers inherit."""

    def __init__(self, entry_layer):
        self.entry_layer = entry_layer
        self.training = None


def get_call_context():
    return getattr(_local, "call_context", None)


def set_call_context(context) -> None:
    _local.call_context = context


_uids: collections.Counter = collections.Counter()


def to_snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return name[1:] if name.startswith("_") else name


def unique_name(prefix: str) -> str:
    """``prefix`` the first time, then ``prefix_1``, ``prefix_2``, ... (as Keras names layers)."""
    _uids[prefix] += 1
    count = _uids[prefix]
    return prefix if count == 1 else f"{prefix}_{count - 1}"


def reset_names() -> None:
    _uids.clear()
