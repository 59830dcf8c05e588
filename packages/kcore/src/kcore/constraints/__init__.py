"""`kcore.constraints`: Keras 3's weight constraints, aliases and `get`/`serialize`/`deserialize`.

Example:

>>> import kcore
>>> kcore.constraints.get("max_norm").get_config()
{'max_value': 2, 'axis': 0}
"""

from __future__ import annotations

import inspect

from kcore.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from kcore.saving import serialization

max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "constraint": Constraint,
        "max_norm": MaxNorm,
        "min_max_norm": MinMaxNorm,
        "non_neg": NonNeg,
        "unit_norm": UnitNorm,
    }
)

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]


def serialize(constraint):
    """Returns the config dict of a constraint (``{"module": "keras.constraints", ...}``).

    Args:
        constraint: a constraint instance.
    """
    return serialization.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Returns the constraint a config (or a name such as ``"non_neg"``) describes.

    Args:
        config: a config dict or a constraint name.
        custom_objects: a dict of custom constraints by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns a constraint for `identifier`.

    Args:
        identifier: None (returns None), a name (``"max_norm"``, ``"NonNeg"``), a config dict, a
            constraint class (instantiated) or a callable (returned as is).

    Raises:
        ValueError: when `identifier` names no constraint.
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
        f"Could not interpret constraint identifier: {identifier!r}. Expected None, a callable, "
        f"a config dict or one of {sorted(ALL_OBJECTS_DICT)}."
    )
