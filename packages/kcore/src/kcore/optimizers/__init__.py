"""`kcore.optimizers`: Keras 3's optimizers, `LossScaleOptimizer`, learning rate `schedules`, and
`get`/`serialize`/`deserialize`.

Example:

>>> import kcore
>>> optimizer = kcore.optimizers.get("adam")
>>> type(optimizer).__name__, optimizer.get_config()["beta_1"]
('Adam', 0.9)
"""

from __future__ import annotations

from kcore.optimizers import schedules
from kcore.optimizers.adadelta import Adadelta
from kcore.optimizers.adafactor import Adafactor
from kcore.optimizers.adagrad import Adagrad
from kcore.optimizers.adam import Adam
from kcore.optimizers.adamax import Adamax
from kcore.optimizers.adamw import AdamW
from kcore.optimizers.base_optimizer import Optimizer
from kcore.optimizers.ftrl import Ftrl
from kcore.optimizers.lion import Lion
from kcore.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kcore.optimizers.nadam import Nadam
from kcore.optimizers.rmsprop import RMSprop
from kcore.optimizers.sgd import SGD
from kcore.saving import serialization

ALL_OBJECTS = (
    Optimizer,
    Adam,
    SGD,
    RMSprop,
    Adadelta,
    AdamW,
    Adagrad,
    Adamax,
    Adafactor,
    Nadam,
    Ftrl,
    Lion,
    LossScaleOptimizer,
)
# Lower-case names, as Keras: "adam", "sgd", "rmsprop", "lossscaleoptimizer"...
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}

__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lion",
    "LossScaleOptimizer",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]


def serialize(optimizer):
    """Returns the config dict of an optimizer (``{"module": "keras.optimizers", ...}``).

    Args:
        optimizer: an `Optimizer` instance.
    """
    return serialization.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Returns the optimizer a config describes; built-in class names are case-insensitive.

    Args:
        config: a config dict (from `serialize`, or ``{"class_name": "Adam", "config": {}}``).
        custom_objects: a dict of custom optimizer classes by name.
    """
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        if config["class_name"].lower() in ALL_OBJECTS_DICT:
            config = {**config, "class_name": config["class_name"].lower()}
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns an optimizer for `identifier`.

    Args:
        identifier: None (returns None), a name (``"adam"``, ``"SGD"``, case-insensitive), a
            config dict, or an `Optimizer` instance (returned as is).

    Raises:
        ValueError: when `identifier` names no optimizer.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Expected None, an Optimizer "
        f"instance, a config dict or one of {sorted(ALL_OBJECTS_DICT)}."
    )
