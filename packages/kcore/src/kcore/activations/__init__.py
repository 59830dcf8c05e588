"""`kcore.activations`: Keras 3's activation functions and `get`/`serialize`/`deserialize`.

Example:

>>> import kcore
>>> kcore.activations.get("relu") is kcore.activations.relu
True
>>> kcore.activations.serialize(kcore.activations.gelu)
'gelu'
"""

from __future__ import annotations

import types

from kcore.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
from kcore.saving import object_registration, serialization

swish = silu
hard_swish = hard_silu

ALL_OBJECTS = (
    relu,
    leaky_relu,
    relu6,
    softmax,
    celu,
    elu,
    selu,
    softplus,
    softsign,
    squareplus,
    soft_shrink,
    sparse_plus,
    silu,
    gelu,
    glu,
    tanh,
    tanh_shrink,
    threshold,
    sigmoid,
    sparse_sigmoid,
    exponential,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    hard_shrink,
    linear,
    mish,
    log_softmax,
    log_sigmoid,
    sparsemax,
)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu

__all__ = [*ALL_OBJECTS_DICT, "deserialize", "get", "serialize"]


def serialize(activation):
    """Returns what a layer's config holds for `activation`, as Keras 3 writes it.

    A built-in function becomes its name (``"relu"``); another function a dict naming it by its
    registered name (``"package>name"``, see `kcore.saving.register_keras_serializable`); an
    object with ``get_config()`` its full config dict.

    Args:
        activation: an activation function or callable object.
    """
    config = serialization.serialize_keras_object(activation)
    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(
            f"Unknown activation function {activation!r} cannot be serialized. Use an activation "
            "name from kcore.activations, or register a custom one with "
            f"`@kcore.saving.register_keras_serializable()`. config={config}"
        )
    if not isinstance(activation, types.FunctionType) or not isinstance(config["config"], str):
        return config
    name = config["config"]
    if ALL_OBJECTS_DICT.get(name) is activation:
        return name
    config["config"] = object_registration.get_registered_name(activation)
    return config


def deserialize(config, custom_objects=None):
    """Returns the activation function (or object) a config from `serialize` names.

    Args:
        config: a name (``"relu"``) or config dict.
        custom_objects: a dict of custom activations by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns the activation function for `identifier`.

    Args:
        identifier: None (`linear`), a name (``"relu"``, ``"swish"``), a config dict or a callable
            (returned as is).

    Raises:
        ValueError: when `identifier` names no activation.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            obj = object_registration.get_registered_object(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. Expected None, a "
        "callable, a config dict or an activation name such as 'relu' (the names are the keys "
        "of kcore.activations.ALL_OBJECTS_DICT)."
    )
