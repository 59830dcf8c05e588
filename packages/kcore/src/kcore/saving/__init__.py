"""`kcore.saving`: Keras 3's object registration, config serialization and model files
(`keras.saving`): `save_model`/`load_model` (`.keras` archives), `save_weights`/`load_weights`
(`.weights.h5` files).

Built-in kcore objects are saved under Keras's public module names (``"keras.initializers"``...),
so configs move both ways between kcore and Keras 3; see `kcore.saving.serialization` for the
convention a built-in class follows (`keras_export`).

Example:

>>> import kcore
>>> config = kcore.saving.serialize_keras_object(kcore.initializers.HeNormal(seed=1))
>>> config["module"], config["class_name"], config["config"]["seed"]
('keras.initializers', 'HeNormal', 1)
>>> kcore.saving.deserialize_keras_object(config).seed
1
"""

from kcore.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    keras_export,
    register_keras_serializable,
)
from kcore.saving.saving_api import load_model, load_weights, save_model, save_weights
from kcore.saving.scopes import ObjectSharingScope, SafeModeScope, enable_unsafe_deserialization
from kcore.saving.serialization import deserialize_keras_object, serialize_keras_object

__all__ = [
    "CustomObjectScope",
    "ObjectSharingScope",
    "SafeModeScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "enable_unsafe_deserialization",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "keras_export",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
