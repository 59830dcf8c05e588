"""`kcore.regularizers`: Keras 3's regularizers, their aliases and `get`/`serialize`/`deserialize`.

Example:

>>> import kcore
>>> kcore.regularizers.get("l2").get_config()
{'l2': 0.01}
"""

from __future__ import annotations

import inspect

from kcore.regularizers.regularizers import (
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
    validate_float_arg,
)
from kcore.saving import serialization

l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "regularizer": Regularizer,
        "l1": L1,
        "l2": L2,
        "l1l2": L1L2,
        "l1_l2": L1L2,
        "orthogonal_regularizer": OrthogonalRegularizer,
    }
)

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
    "validate_float_arg",
]


def serialize(regularizer):
    """Returns the config dict of a regularizer (``{"module": "keras.regularizers", ...}``).

    Args:
        regularizer: a regularizer instance.
    """
    return serialization.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Returns the regularizer a config (or a name such as ``"l2"``) describes.

    Args:
        config: a config dict or a regularizer name.
        custom_objects: a dict of custom regularizers by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns a regularizer for `identifier`.

    Args:
        identifier: None (returns None), a name (``"l1"``, ``"L1L2"``), a config dict, a
            regularizer class (instantiated) or a callable (returned as is).

    Raises:
        ValueError: when `identifier` names no regularizer.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(
        f"Could not interpret regularizer identifier: {identifier!r}. Expected None, a callable, "
        f"a config dict or one of {sorted(ALL_OBJECTS_DICT)}."
    )
