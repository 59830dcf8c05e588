"""Functional models: a graph of layer calls from `kcore.Input`s to outputs, compiled once into a
flat plan (`kcore.models._plan`)."""

from __future__ import annotations

import optree

from kcore.backend import bound
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.core.input_layer import InputLayer
from kcore.models._plan import Plan
from kcore.models.model import Model
from kcore.ops.node import flatten, is_leaf


class Functional(Model):
    """A model defined by its inputs and outputs: `kcore.Model(inputs, outputs)`.

    Args:
        inputs: a `kcore.Input` tensor, or a list or dict of them.
        outputs: a tensor computed from the inputs, or a list or dict of them.
        name: the model's name.

    Example:

    >>> import kcore
    >>> x = kcore.Input(shape=(4,))
    >>> y = kcore.layers.Dense(2)(x)
    >>> model = kcore.Model(x, y)
    >>> model.output_shape
    (None, 2)
    """

    _keras_module = "keras.src.models.functional"

    def __init__(self, inputs, outputs, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = flatten(inputs)
        self._output_tensors = flatten(outputs)
        self._outputs_treedef = optree.tree_structure(outputs, is_leaf=is_leaf, none_is_leaf=True)
        self._plan = Plan(self._input_tensors, self._output_tensors, self.name)
        self._operations = _ordered_operations(self._input_tensors, self._output_tensors)
        self._input_layers = [t._keras_history[0].operation for t in self._input_tensors]
        self.built = True
        self._build_shapes = optree.tree_map(
            lambda t: t.shape, inputs, is_leaf=is_leaf, none_is_leaf=True
        )

    @property
    def layers(self) -> list:
        """The model's layers, input layers included, in Keras 3's order (from the inputs to the
        outputs, by depth; see `_ordered_operations`)."""
        return list(self._operations)

    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    @property
    def output_names(self) -> list:
        """The names of the outputs: the keys of a dict of outputs, otherwise the names of the
        layers that make them (what `compile` keys per-output losses and metrics by)."""
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [t._keras_history[0].operation.name for t in self._output_tensors]

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return _shape_structure(self._inputs_struct)

    @property
    def output_shape(self):
        return _shape_structure(self._outputs_struct)

    def _flatten_inputs(self, inputs) -> list:
        expected = self._input_tensors
        if isinstance(self._inputs_struct, dict) and isinstance(inputs, dict):
            missing = [k for k in self._inputs_struct if k not in inputs]
            if missing:
                raise ValueError(
                    f"Model {self.name!r} expects inputs named {list(self._inputs_struct)}, but "
                    f"the dict it received lacks {missing}."
                )
            return [inputs[k] for k in sorted(self._inputs_struct)]
        if isinstance(inputs, dict):
            names = [t.name for t in expected]
            if all(n in inputs for n in names):
                return [inputs[n] for n in names]
        flat = flatten(inputs)
        if len(flat) != len(expected):
            raise ValueError(
                f"Model {self.name!r} expects {len(expected)} input(s), but it received "
                f"{len(flat)} input tensors. Expected inputs: {[t.shape for t in expected]}."
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        flat = [self._standardize_input(x, t) for x, t in zip(flat, self._input_tensors)]
        masks = flatten(mask) if mask is not None else None
        outputs, _ = self._plan.run(flat, masks)
        return optree.tree_unflatten(self._outputs_treedef, outputs)

    def _standardize_input(self, x, spec: KerasTensor):
        if x is None or isinstance(x, KerasTensor):
            return x
        if not bound.is_tensor(x):
            x = bound.convert_to_tensor(x, dtype=spec.dtype)
        shape = tuple(x.shape)
        if len(shape) == len(spec.shape) - 1 and spec.shape and spec.shape[-1] == 1:
            x = bound.expand_dims(x, -1)  # (batch,) for an input of shape (batch, 1)
        elif len(shape) != len(spec.shape) or any(
            e is not None and s is not None and e != s for e, s in zip(spec.shape, shape)
        ):
            raise ValueError(
                f'Input {spec.name!r} of model "{self.name}" is incompatible with the model: '
                f"expected shape={spec.shape}, found shape={shape}"
            )
        return x

    def compute_output_spec(self, inputs, training=None, mask=None):
        return self.call(inputs, training=training, mask=mask)

    def compute_mask(self, inputs, previous_mask=None):
        flat = self._flatten_inputs(inputs) if inputs is not None else []
        masks = flatten(previous_mask) if previous_mask is not None else None
        if not flat or masks is None:
            return None
        _, out_masks = self._plan.run(flat, masks)
        return out_masks[0] if len(out_masks) == 1 else out_masks

    def get_config(self) -> dict:
        from kcore.models.functional_config import functional_config

        return functional_config(self)


def _shape_structure(structure):
    return optree.tree_map(lambda t: t.shape, structure, is_leaf=is_leaf, none_is_leaf=True)


def _ordered_operations(inputs, outputs) -> list:
    """The model's layers in Keras 3's order, which `.keras` and weights files follow (a layer's
    path is its class name numbered in this order) and `get_weights` too.

    That is the order of Keras's graph mapping: deepest first (the depth of a layer counts the
    layers between it and the outputs, its deepest use if it is shared), and within one depth
    in the order a depth-first walk from the outputs first meets them. Input layers no output
    depends on come last, at depth 0.
    """
    from kcore.layers.layer import Layer

    input_ids = {id(t) for t in inputs}
    finished, ordered, first_seen = set(), [], {}

    def walk(tensor):
        node = tensor._keras_history[0]
        if id(node) in finished:
            return
        if id(tensor) in input_ids and not isinstance(node.operation, InputLayer):
            finished.add(id(node))  # an intermediate tensor given as an input: the graph stops
            return
        first_seen.setdefault(id(node.operation), len(first_seen))
        if not isinstance(node.operation, InputLayer):
            for parent in node.input_tensors:
                walk(parent)
        finished.add(id(node))
        ordered.append(node)

    for tensor in outputs:
        walk(tensor)
    node_depth, operation_depth, operations = {}, {}, {}
    for node in reversed(ordered):
        depth = max(node_depth.setdefault(id(node), 0), operation_depth.get(id(node.operation), 0))
        operation_depth[id(node.operation)] = node_depth[id(node)] = depth
        operations[id(node.operation)] = node.operation
        if isinstance(node.operation, InputLayer):
            continue
        for parent in node.input_tensors:
            key = id(parent._keras_history[0])
            node_depth[key] = max(depth + 1, node_depth.get(key, 0))
    for tensor in inputs:  # input layers that no output uses
        layer = tensor._keras_history[0].operation
        if isinstance(layer, InputLayer) and id(layer) not in operation_depth:
            operation_depth[id(layer)], first_seen[id(layer)] = 0, -1
            operations[id(layer)] = layer
    keys = sorted(operations, key=lambda key: (-operation_depth[key], first_seen[key]))
    return [operations[key] for key in keys if isinstance(operations[key], Layer)]
