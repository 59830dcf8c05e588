"""A Functional model's config (Keras 3's layout: layers with their inbound nodes, input and output
layers) and rebuilding a model from one."""

from __future__ import annotations

import optree

from kcore.backend.keras_tensor import KerasTensor
from kcore.ops.node import OpCall, is_leaf


def _node_numbers(model):
    """Each plan node's index among the calls of its operation (`keras_history[1]`)."""
    numbers, calls = {}, {}
    for layer in model._input_layers:
        node = layer.output._keras_history[0]
        numbers[id(node)] = 0
    for node in model._plan.nodes:
        key = id(node.operation)
        calls[key] = calls.get(key, -1) + 1
        numbers[id(node)] = calls[key]
    return numbers


def _history(tensor, numbers, names):
    node, index = tensor._keras_history
    return [names[id(node.operation)], numbers[id(node)], index]


def _serialize_argument(value, numbers, names):
    if isinstance(value, KerasTensor):
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(value.shape),
                "dtype": value.dtype,
                "keras_history": _history(value, numbers, names),
            },
        }
    if isinstance(value, (list, tuple)):
        return [_serialize_argument(v, numbers, names) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_argument(v, numbers, names) for k, v in value.items()}
    from kcore.saving import serialize_keras_object

    return serialize_keras_object(value)


def functional_config(model) -> dict:
    """Keras 3's config of a Functional model."""
    from kcore.saving import serialize_keras_object

    numbers = _node_numbers(model)
    names = {}
    for layer in model.layers:
        names[id(layer)] = layer.name
    entries, by_operation = [], {}
    for layer in model._input_layers:
        entry = serialize_keras_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = []
        entries.append(entry)
        by_operation[id(layer)] = entry
    for node in model._plan.nodes:
        operation = node.operation
        if id(operation) not in by_operation:
            if isinstance(operation, OpCall):
                names[id(operation)] = _op_name(operation, names)
                entry = {
                    "module": "kcore.ops",
                    "class_name": "__operation__",
                    "config": {"op": operation.name},
                    "registered_name": None,
                }
            else:
                entry = serialize_keras_object(operation)
            entry["name"] = names[id(operation)]
            entry["inbound_nodes"] = []
            entries.append(entry)
            by_operation[id(operation)] = entry
        by_operation[id(operation)]["inbound_nodes"].append(
            {
                "args": _serialize_argument(list(node.args), numbers, names),
                "kwargs": _serialize_argument(node.kwargs, numbers, names),
            }
        )

    def outputs_of(structure):
        def reference(tensor):
            history = _history(tensor, numbers, names)
            history[1] += _builtin_nodes(tensor._keras_history[0].operation)
            return history

        return optree.tree_map(reference, structure, is_leaf=is_leaf)

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": entries,
        "input_layers": outputs_of(model._inputs_struct),
        "output_layers": outputs_of(model._outputs_struct),
    }


def _builtin_nodes(operation) -> int:
    """1 for a Functional model: in Keras a Functional model starts with a node of its own, so
    ``input_layers``/``output_layers`` number its calls from 1 (inbound nodes from 0)."""
    from kcore.models.functional import Functional

    return 1 if isinstance(operation, Functional) else 0


def _op_name(operation, names) -> str:
    taken = set(names.values())
    name, count = operation.name, 0
    while name in taken:
        count += 1
        name = f"{operation.name}_{count}"
    return name


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a Functional model from `functional_config`'s output."""
    from kcore import ops
    from kcore.saving import deserialize_keras_object

    operations, pending = {}, []
    for entry in config["layers"]:
        if entry.get("class_name") == "__operation__":
            op_name = entry["config"]["op"]
            operation = getattr(ops, op_name, None) or getattr(ops.image, op_name, None)
            if operation is None:
                raise ValueError(f"Unknown kcore op {op_name!r} in the model config.")
        else:
            layer_config = {k: v for k, v in entry.items() if k not in ("inbound_nodes", "name")}
            operation = deserialize_keras_object(layer_config, custom_objects=custom_objects)
        operations[entry["name"]] = operation
        pending.extend((entry["name"], node) for node in entry.get("inbound_nodes", []))

    produced = {}  # (name, node index) -> outputs
    calls = {}
    for name, operation in operations.items():
        output = getattr(operation, "output", None)
        if isinstance(output, KerasTensor) and not any(n == name for n, _ in pending):
            produced[(name, 0)] = [output]

    def resolve(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = value["config"]["keras_history"]
            return produced[(layer_name, node_index)][tensor_index]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    def ready(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, _ = value["config"]["keras_history"]
            return (layer_name, node_index) in produced
        if isinstance(value, list):
            return all(ready(v) for v in value)
        if isinstance(value, dict):
            return all(ready(v) for v in value.values())
        return True

    while pending:
        progressed = False
        for item in list(pending):
            name, node = item
            # A layer's calls run in their recorded order.
            if any(other[0] == name for other in pending[: pending.index(item)]):
                continue
            if not (ready(node["args"]) and ready(node["kwargs"])):
                continue
            operation = operations[name]
            outputs = operation(*resolve(node["args"]), **resolve(node["kwargs"]))
            index = calls[name] = calls.get(name, -1) + 1
            produced[(name, index)] = optree.tree_leaves(outputs, is_leaf=is_leaf)
            pending.remove(item)
            progressed = True
        if not progressed:
            raise ValueError(
                "The model config cannot be rebuilt: the inbound nodes of layers "
                f"{sorted({n for n, _ in pending})} refer to tensors no layer produces."
            )

    def tensors(structure):
        if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
            name, node_index, tensor_index = structure
            shifted = (name, node_index - _builtin_nodes(operations.get(name)))
            # (Configs kcore wrote before it numbered them as Keras does name the call itself.)
            outputs = produced.get(shifted, produced.get((name, node_index)))
            if outputs is None:
                raise ValueError(
                    f"The model config refers to call {node_index} of layer {name!r} in its "
                    "inputs or outputs, but no layer of that name made such a call; the config "
                    "is damaged or was edited by hand."
                )
            return outputs[tensor_index]
        if isinstance(structure, dict):
            return {k: tensors(v) for k, v in structure.items()}
        return [tensors(s) for s in structure]

    inputs = tensors(config["input_layers"])
    outputs = tensors(config["output_layers"])
    kwargs = {k: v for k, v in config.items() if k in ("name", "trainable")}
    return cls(inputs, outputs, **kwargs)
