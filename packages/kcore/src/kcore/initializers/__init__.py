"""`kcore.initializers`: Keras 3's initializers, their aliases and `get`/`serialize`/`deserialize`.

Example:

>>> import kcore
>>> initializer = kcore.initializers.get("he_normal")
>>> type(initializer).__name__
'HeNormal'
>>> kcore.initializers.serialize(kcore.initializers.Zeros())
{'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
"""

from __future__ import annotations

import inspect

from kcore.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from kcore.initializers.initializer import Initializer
from kcore.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)
from kcore.saving import serialization
from kcore.utils.naming import to_snake_case

# Keras's lowercase aliases.
constant = Constant
zeros = Zeros
ones = Ones
identity = IdentityInitializer = Identity
stft = STFTInitializer = STFT
random_normal = RandomNormal
truncated_normal = TruncatedNormal
random_uniform = RandomUniform
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
he_normal = HeNormal
he_uniform = HeUniform
orthogonal = OrthogonalInitializer = Orthogonal

ALL_OBJECTS = (
    Initializer,
    Constant,
    Identity,
    Ones,
    STFT,
    Zeros,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "IdentityInitializer": Identity,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "uniform": RandomUniform,
        "normal": RandomNormal,
        "one": Ones,
        "zero": Zeros,
    }
)

__all__ = [
    *(cls.__name__ for cls in ALL_OBJECTS),
    "IdentityInitializer",
    "OrthogonalInitializer",
    "STFTInitializer",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]


def serialize(initializer):
    """Returns the config dict of an initializer (``{"module": "keras.initializers", ...}``).

    Args:
        initializer: an initializer instance.
    """
    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Returns the initializer a config (or a name such as ``"glorot_uniform"``) describes.

    Args:
        config: a config dict or an initializer name.
        custom_objects: a dict of custom initializer classes by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns an initializer instance for `identifier`.

    Args:
        identifier: None (returns None), a name (``"he_normal"``, ``"Zeros"``, ``"uniform"``), a
            config dict, an initializer class (instantiated) or a callable (returned as is).

    Raises:
        ValueError: when `identifier` names no initializer.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Expected None, a callable, "
        "a config dict or an initializer name such as 'glorot_uniform' (the names are the keys "
        "of kcore.initializers.ALL_OBJECTS_DICT)."
    )
