"""Compiling a graph of symbolic calls (`kcore.ops.node`) into a flat execution plan.

The graph is walked once, when a Functional model is created: each call becomes a `Step` that reads
its tensor arguments from numbered slots and writes its outputs to slots. Running the plan is a
loop over steps, with no graph traversal, dict lookups by tensor or recursion. Masks travel in
their own slots beside the values.
"""

from __future__ import annotations

import optree

from kcore.backend.keras_tensor import KerasTensor
from kcore.ops.node import is_leaf


class Step:
    """One call of the plan: `operation(*args, **kwargs)` with tensors taken from slots."""

    __slots__ = (
        "operation",
        "is_layer",
        "leaves",
        "treedef",
        "reads",
        "first_reads",
        "writes",
        "passes_mask",
        "mask_reads",
        "makes_mask",
        "node",
        "single_read",
    )

    def __init__(self, node, slot_of):
        from kcore.layers.layer import Layer

        self.node = node
        self.operation = node.operation
        self.is_layer = isinstance(node.operation, Layer)
        leaves, self.treedef = optree.tree_flatten(
            (node.args, node.kwargs), is_leaf=is_leaf, none_is_leaf=True
        )
        self.leaves = [None if isinstance(x, KerasTensor) else x for x in leaves]
        self.reads = [
            (i, slot_of[id(x)]) for i, x in enumerate(leaves) if isinstance(x, KerasTensor)
        ]
        # The first input, as `Layer.__call__` reads it: also a keyword one, `mha(query=x, ...)`.
        first = node.args[0] if node.args else next(iter(node.kwargs.values()), None)
        self.first_reads = [
            slot_of[id(x)]
            for x in optree.tree_leaves(first, is_leaf=is_leaf, none_is_leaf=True)
            if isinstance(x, KerasTensor)
        ]
        self.writes = [slot_of[id(x)] for x in node.output_tensors]
        self.passes_mask = (
            self.is_layer and self.operation._call_has_mask_arg and "mask" not in node.kwargs
        )
        # `layer(query, value)` whose call takes `query_mask=` and `value_mask=`: each tensor
        # argument's mask goes to its `<argument>_mask` (MultiHeadAttention), as in Keras.
        self.mask_reads = _mask_reads(node, slot_of) if self.is_layer else []
        # The layer computes masks of its own (Embedding, Masking), rather than passing them on.
        self.makes_mask = (
            self.is_layer and type(self.operation).compute_mask is not Layer.compute_mask
        )
        # The common call `layer(x)`: one tensor in, one tensor out, no mask made. `run` calls it
        # directly while no mask flows.
        simple = len(node.args) == 1 and not node.kwargs and isinstance(node.args[0], KerasTensor)
        simple = simple and isinstance(node.outputs, KerasTensor) and not self.makes_mask
        self.single_read = self.reads[0][1] if simple else None


class Plan:
    """The steps that compute `outputs` from `inputs`, and their slot numbers."""

    def __init__(self, inputs: list, outputs: list, owner: str):
        _check_unique_inputs(inputs, owner)
        nodes = _topological_nodes(inputs, outputs, owner)
        slot_of = {id(x): i for i, x in enumerate(inputs)}
        for node in nodes:
            for tensor in node.output_tensors:
                slot_of.setdefault(id(tensor), len(slot_of))
        self.num_slots = len(slot_of)
        self.input_slots = list(range(len(inputs)))
        self.output_slots = [slot_of[id(x)] for x in outputs]
        self.steps = [Step(node, slot_of) for node in nodes]
        self.nodes = nodes

    def run(self, inputs: list, masks: list | None = None, call_kwargs=None):
        """Runs the steps on `inputs` (one value per model input); returns `(outputs, masks)`."""
        values = [None] * self.num_slots
        slot_masks = [None] * self.num_slots
        values[: len(inputs)] = inputs
        if masks is not None:
            slot_masks[: len(masks)] = masks
        any_mask = masks is not None and any(m is not None for m in masks)
        for step in self.steps:
            if step.single_read is not None and not any_mask:
                values[step.writes[0]] = step.operation(values[step.single_read])
                continue
            leaves = list(step.leaves)
            for position, slot in step.reads:
                leaves[position] = values[slot]
            args, kwargs = optree.tree_unflatten(step.treedef, leaves)
            if step.is_layer:
                layer = step.operation
                input_mask = None
                if any_mask:
                    input_mask = [slot_masks[s] for s in step.first_reads]
                    input_mask = input_mask[0] if len(input_mask) == 1 else input_mask
                    if all(m is None for m in optree.tree_leaves(input_mask, none_is_leaf=True)):
                        input_mask = None
                if input_mask is not None and step.passes_mask:
                    kwargs = {**kwargs, "mask": input_mask}
                if any_mask:
                    for name, slot in step.mask_reads:
                        if slot_masks[slot] is not None:
                            kwargs[name] = slot_masks[slot]
                result = layer(*args, **kwargs)
                flat = optree.tree_leaves(result, is_leaf=is_leaf, none_is_leaf=True)
                if step.makes_mask or (any_mask and layer.supports_masking):
                    first = args[0] if args else next(iter(kwargs.values()), None)
                    out_masks = layer.compute_mask(first, input_mask)
                    if out_masks is not None:
                        any_mask = True
                        flat_masks = optree.tree_leaves(out_masks, none_is_leaf=True)
                        if len(flat_masks) != len(flat):
                            flat_masks = flat_masks[:1] * len(flat)
                        for slot, mask in zip(step.writes, flat_masks):
                            slot_masks[slot] = mask
            else:
                result = step.operation(*args, **kwargs)
                flat = optree.tree_leaves(result, is_leaf=is_leaf, none_is_leaf=True)
            for slot, value in zip(step.writes, flat):
                values[slot] = value
        return (
            [values[s] for s in self.output_slots],
            [slot_masks[s] for s in self.output_slots],
        )


def _mask_reads(node, slot_of) -> list:
    """`(mask argument, slot)` for each tensor argument `x` of the call whose layer takes an
    `x_mask` argument that the call leaves unset."""
    parameters = node.operation._call_signature.parameters
    if not any(name.endswith("_mask") for name in parameters):
        return []
    arguments = node.operation._call_signature.bind_partial(*node.args, **node.kwargs).arguments
    return [
        (f"{name}_mask", slot_of[id(value)])
        for name, value in arguments.items()
        if isinstance(value, KerasTensor)
        and f"{name}_mask" in parameters
        and arguments.get(f"{name}_mask") is None
    ]


def _producer_name(tensor) -> str:
    history = tensor._keras_history
    if history is None:
        return repr(tensor)
    operation = history[0].operation
    return f'"{getattr(operation, "name", operation)}"'


def _check_unique_inputs(inputs, owner):
    seen = {}
    for index, tensor in enumerate(inputs):
        if not isinstance(tensor, KerasTensor):
            raise ValueError(
                f"Model {owner!r}: every input must be a KerasTensor made by kcore.Input, but "
                f"input {index} is {type(tensor).__name__}."
            )
        if id(tensor) in seen:
            raise ValueError(
                f"Model {owner!r}: the same tensor (from layer {_producer_name(tensor)}) is passed "
                f"twice as a model input (inputs {seen[id(tensor)]} and {index}). All inputs to "
                "a model must be distinct Input tensors."
            )
        seen[id(tensor)] = index


def _topological_nodes(inputs, outputs, owner):
    """The nodes between `inputs` and `outputs`, each after the nodes it reads from."""
    input_ids = {id(x) for x in inputs}
    order, done, active = [], set(), set()
    used_inputs = set()

    def visit(tensor, consumer):
        if id(tensor) in input_ids:
            used_inputs.add(id(tensor))
            return
        history = tensor._keras_history
        if history is None or history[0].is_input:
            names = [getattr(n.operation, "name", n.operation) for n in order]
            raise ValueError(
                f"Model {owner!r}: graph disconnected: cannot obtain the value of tensor "
                f"{tensor} (from layer {_producer_name(tensor)}), needed by layer "
                f'"{consumer}". It is not one of the model inputs; pass it in `inputs`. '
                f"Layers reached without issue: {names}"
            )
        node = history[0]
        if id(node) in done:
            return
        if id(node) in active:
            raise ValueError(f"Model {owner!r}: the graph has a cycle at {node}.")
        active.add(id(node))
        name = getattr(node.operation, "name", str(node.operation))
        for source in node.input_tensors:
            visit(source, name)
        active.discard(id(node))
        done.add(id(node))
        order.append(node)

    for tensor in outputs:
        if not isinstance(tensor, KerasTensor):
            raise ValueError(
                f"Model {owner!r}: every output must be a KerasTensor computed from the inputs, "
                f"got {type(tensor).__name__}."
            )
        visit(tensor, "(model output)")
    return order
