"""`clone_model`: a new model with the same architecture and freshly initialized weights."""

from __future__ import annotations

import optree

from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.core.input_layer import Input, InputLayer
from kcore.layers.layer import Layer
from kcore.ops.node import is_leaf


def _default_clone(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """Clones a Sequential, Functional or subclassed model.

    The clone has new layers (made by `clone_function(layer)`, default: from the layer's config)
    and so new weights; copy them with `clone.set_weights(model.get_weights())`.

    Args:
        model: the model to clone.
        input_tensors: `Input` tensors for the clone (Functional and Sequential models).
        clone_function: makes each new layer from an old one.
        call_function: `call_function(layer, *args, **kwargs)` replaces each layer call while the
            clone's graph is rebuilt (Functional and Sequential).
        recursive: also clone the layers of nested models (instead of cloning them whole).

    Example:

    >>> import kcore
    >>> model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2)])
    >>> clone = kcore.models.clone_model(model)
    >>> clone.count_params() == model.count_params() and clone.layers[0] is not model.layers[0]
    True
    """
    from kcore.models.functional import Functional
    from kcore.models.sequential import Sequential

    if kwargs:
        raise ValueError(f"clone_model got unexpected arguments: {sorted(kwargs)}")
    clone_function = clone_function or _default_clone

    def clone_layer(layer):
        if recursive and isinstance(layer, (Sequential, Functional)):
            return clone_model(layer, clone_function=clone_function, recursive=True)
        return clone_function(layer)

    if isinstance(model, Sequential):
        layers = [clone_layer(layer) for layer in model.layers]
        clone = Sequential(name=model.name, trainable=model.trainable)
        if input_tensors is not None:
            clone.add(input_tensors)
        elif model._stack and isinstance(model._stack[0], InputLayer):
            first = model._stack[0]
            clone.add(InputLayer(batch_shape=first.batch_shape, dtype=first.dtype, name=first.name))
        for layer in layers:
            clone.add(layer, rebuild=False)
        clone._maybe_rebuild()
        if not clone.built and model.built and getattr(model, "_build_shapes", None) is not None:
            clone.build(model._build_shapes)
        return clone
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_layer, call_function)
    if clone_function is not _default_clone or input_tensors is not None:
        raise ValueError(
            "clone_model of a subclassed model only supports the default clone_function and no "
            "input_tensors: it is rebuilt from its config."
        )
    return model.__class__.from_config(model.get_config())


def _clone_functional(model, input_tensors, clone_layer, call_function):
    if input_tensors is None:
        new_inputs = [
            Input(batch_shape=t.shape, dtype=t.dtype, name=t._keras_history[0].operation.name)
            for t in model._input_tensors
        ]
    else:
        new_inputs = optree.tree_leaves(input_tensors, is_leaf=is_leaf)
        if len(new_inputs) != len(model._input_tensors):
            raise ValueError(
                f"clone_model: the model has {len(model._input_tensors)} inputs, but "
                f"{len(new_inputs)} input_tensors were given."
            )
    value_of = {id(old): new for old, new in zip(model._input_tensors, new_inputs)}
    clones = {}
    for node in model._plan.nodes:
        operation = node.operation
        if isinstance(operation, Layer):
            if id(operation) not in clones:
                clones[id(operation)] = clone_layer(operation)
            operation = clones[id(operation)]
        args, kwargs = optree.tree_map(
            lambda x: value_of[id(x)] if isinstance(x, KerasTensor) else x,
            (node.args, node.kwargs),
            is_leaf=is_leaf,
            none_is_leaf=True,
        )
        if call_function is not None and isinstance(operation, Layer):
            outputs = call_function(operation, *args, **kwargs)
        else:
            outputs = operation(*args, **kwargs)
        for old, new in zip(node.output_tensors, optree.tree_leaves(outputs, is_leaf=is_leaf)):
            value_of[id(old)] = new

    def rebuild(structure):
        return optree.tree_map(lambda t: value_of[id(t)], structure, is_leaf=is_leaf)

    inputs = rebuild(model._inputs_struct) if input_tensors is None else input_tensors
    return model.__class__(inputs, rebuild(model._outputs_struct), name=model.name)
