"""The graph that symbolic calls record: each layer or op call on `KerasTensor`s becomes a `Node`.

A Functional model reads these nodes once, when it is built, and compiles them into a flat plan
(`kcore.models.functional`); a KerasTensor's `_keras_history` points at the node that made it.
"""

from __future__ import annotations

import optree

from kcore.backend.keras_tensor import KerasTensor


class OpCall:
    """A `kcore.ops` call in a graph: the public op and its name (for messages)."""

    __slots__ = ("name", "op")

    def __init__(self, name: str, op):
        self.name = name
        self.op = op

    def __call__(self, *args, **kwargs):
        return self.op(*args, **kwargs)

    def __repr__(self):
        return f"<op {self.name}>"


def is_leaf(x) -> bool:
    """Whether `x` is a leaf of a nested structure: a KerasTensor or anything but a list, tuple
    or dict (the structures kcore flattens with optree)."""
    return isinstance(x, KerasTensor) or not isinstance(x, (list, tuple, dict))


def flatten(structure) -> list:
    """The leaves of a nested structure of lists, tuples and dicts (dicts in sorted key order)."""
    return optree.tree_leaves(structure, is_leaf=is_leaf, none_is_leaf=True)


def keras_tensors(structure) -> list[KerasTensor]:
    return [x for x in flatten(structure) if isinstance(x, KerasTensor)]


class Node:
    """One call of a layer or op on symbolic tensors.

    Args:
        operation: the callable (a `Layer` or an `OpCall`).
        args, kwargs: the call's arguments, KerasTensors in place of tensors.
        outputs: what the call returned (a KerasTensor or a structure of them).
    """

    __slots__ = ("operation", "args", "kwargs", "outputs", "input_tensors", "output_tensors")

    def __init__(self, operation, args, kwargs, outputs):
        self.operation = operation
        self.args = tuple(args)
        self.kwargs = dict(kwargs)
        self.outputs = outputs
        self.input_tensors = keras_tensors((self.args, self.kwargs))
        self.output_tensors = keras_tensors(outputs)
        for index, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (self, index)

    @property
    def is_input(self) -> bool:
        """Whether this node is a model input (an `InputLayer`), with no inputs of its own."""
        return not self.input_tensors

    def __repr__(self):
        return f"<Node {getattr(self.operation, 'name', self.operation)!r}>"
