"""Object configs: `serialize_keras_object` and `deserialize_keras_object`, in Keras 3's format.

An object is saved as ``{"module": ..., "class_name": ..., "config": {...}, "registered_name": ...}``
with ``config`` the output of its ``get_config()``; `deserialize_keras_object` finds the class and
calls its ``from_config(config)``.

How a built-in kcore class (or function) declares its public module
-------------------------------------------------------------------

A class defined in kcore's own package sets the class attribute ``_keras_module`` to the Keras
module it is saved under; kcore subclasses inherit it::

    class Layer:
        _keras_module = "keras.layers"      # Dense, Conv2D... (all in kcore) inherit it

    class Functional(Model):
        _keras_module = "keras.src.models.functional"   # Keras saves it under this path

- It is then written as ``{"module": "keras.layers", "class_name": "Dense", ...,
  "registered_name": None}``: Keras 3's public module names, so the file loads in Keras 3.
- The attribute counts only for classes whose ``__module__`` is in the ``kcore`` package: a
  user's ``class MyDense(kcore.layers.Dense)`` is saved as a custom object (its own module, and
  its registered name).
- A module path ``"keras.src...."`` (what Keras writes for classes it does not export) is written
  with ``registered_name`` set to the class name, as Keras does.
- Functions, classes saved under a name other than their own, and kcore classes whose source
  cannot carry the attribute use the decorator `kcore.saving.keras_export(module, name=None)`
  (``@keras_export("keras.activations")`` on each activation). A mark from it wins over the
  attribute.

How a config is resolved when loading
-------------------------------------

1. ``registered_name`` (or, for functions, the name) in the active `CustomObjectScope`, the
   registered objects (`register_keras_serializable`) and `custom_objects`.
2. A ``module`` of ``"keras.<x>"``, ``"keras.src.<x>...."`` or ``"kcore.<x>"`` resolves in kcore's
   own module ``kcore.<x>`` (``"keras"`` alone: ``kcore``): ``class_name`` is looked up there and
   must be a marked built-in (or a kcore class with ``from_config``).
3. A ``"package>name"`` registered by a plugin (`kcore.plugins.get_object`).

No other module named in a file is ever imported. ``lambda``s are refused unless ``safe_mode=False``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import types
import warnings

import numpy as np

from kcore.backend.keras_tensor import KerasTensor
from kcore.random.seed_generator import SeedGenerator
from kcore.saving import object_registration
from kcore.saving.lambdas import func_dump, func_load
from kcore.saving.object_registration import CustomObjectScope, keras_export
from kcore.saving.scopes import (
    SafeModeScope,
    get_shared_object,
    in_safe_mode,
    record_object_after_deserialization,
    record_object_after_serialization,
)

PLAIN_TYPES = (str, int, float, bool)

# The modules whose built-in functions Keras saves by bare name (module "builtins").
BUILTIN_MODULES = (
    "activations",
    "constraints",
    "initializers",
    "losses",
    "metrics",
    "optimizers",
    "regularizers",
)

keras_export("keras.random")(SeedGenerator)


def serialize_keras_object(obj):
    """Returns a JSON-compatible config of `obj`, which `deserialize_keras_object` turns back.

    Plain values, lists, tuples and dicts pass through (their items serialized); arrays and tensors
    become ``"__numpy__"``/``"__tensor__"`` entries; objects with ``get_config()`` become
    ``{"module", "class_name", "config", "registered_name"}`` dicts (built-ins under their Keras
    module, see this module's docstring); functions are saved by name.

    Args:
        obj: the object to serialize.

    Example:

    >>> import kcore
    >>> kcore.saving.serialize_keras_object(kcore.initializers.Constant(2.0))
    {'module': 'keras.initializers', 'class_name': 'Constant', 'config': {'value': 2.0}, \
'registered_name': None}
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = list(history)
            history[0] = getattr(history[0], "name", history[0])
        return {
            "class_name": "__keras_tensor__",
            "config": {"shape": obj.shape, "dtype": obj.dtype, "keras_history": history},
        }
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {
                "class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": _dtype_name(obj.dtype)},
            }
        return obj.item()
    if _is_backend_tensor(obj):
        from kcore import ops

        return {
            "class_name": "__tensor__",
            "config": {
                "value": ops.convert_to_numpy(obj).tolist(),
                "dtype": _dtype_name(obj.dtype),
            },
        }
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn(
            "The object being serialized includes a `lambda`. Loading it back runs code from the "
            "file, so it needs `safe_mode=False`. Prefer a named function registered with "
            "`@kcore.saving.register_keras_serializable()`.",
            stacklevel=2,
        )
        return {"class_name": "__lambda__", "config": {"value": func_dump(obj)}}

    inner_config = _class_or_fn_config(obj)
    if isinstance(obj, types.FunctionType):
        # Keras 3 saves every function this way; `kcore.activations.serialize` and friends
        # then reduce built-ins to their bare name and write registered names for the others.
        config = {
            "module": "builtins",
            "class_name": "function",
            "config": inner_config,
            "registered_name": "function",
        }
    else:
        config = _config_with_class(type(obj), inner_config)
    _add_build_and_compile_config(obj, config)
    record_object_after_serialization(obj, config)
    return config


def _dtype_name(dtype) -> str:
    from kcore.backend.dtypes import standardize_dtype

    return standardize_dtype(dtype)


def _is_backend_tensor(obj) -> bool:
    if isinstance(obj, (type, types.FunctionType)) or not hasattr(obj, "shape"):
        return False
    from kcore import ops

    try:
        return bool(ops.is_tensor(obj))
    except Exception:  # no backend can be activated: not a tensor of ours
        return False


def _config_with_class(cls, inner_config) -> dict:
    public = object_registration.get_public_name(cls)
    if public is not None:
        module, name = public
        internal = module.startswith(("keras.src.", "kcore."))
        return {
            "module": module,
            "class_name": name,
            "config": inner_config,
            "registered_name": name if internal else None,
        }
    return {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": inner_config,
        "registered_name": object_registration.get_registered_name(cls),
    }


def _class_or_fn_config(obj):
    if isinstance(obj, types.FunctionType):
        return obj.__name__
    if hasattr(obj, "get_config"):
        config = obj.get_config()
        if not isinstance(config, dict):
            raise TypeError(
                f"The `get_config()` method of {obj!r} must return a dict, it returned {config!r}."
            )
        return serialize_dict(config)
    if hasattr(obj, "__name__"):
        return object_registration.get_registered_name(obj)
    raise TypeError(
        f"Cannot serialize {obj!r} of type {type(obj).__name__}: to be serializable, a class must "
        "implement `get_config()` (and `from_config()` if its constructor does not take the "
        "config's keys)."
    )


def _add_build_and_compile_config(obj, config) -> None:
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            config["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = serialize_dict(compile_config)


def serialize_dict(obj: dict) -> dict:
    """`serialize_keras_object` applied to each value of a dict."""
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Returns the object a config from `serialize_keras_object` (or Keras 3) describes.

    Classes are found as this module's docstring describes and built with ``from_config``;
    ``build_config``/``compile_config`` entries are replayed. Built-in names are accepted with
    Keras's module names (``"keras.layers"``, ``"keras.src.layers.core.dense"``) or kcore's.

    Args:
        config: the config (a dict, or a plain value, list or name).
        custom_objects: a dict mapping names to classes or functions the config may use.
        safe_mode: whether to refuse ``lambda``s, whose loading would run code from the file
            (True by default; an enclosing `SafeModeScope` takes precedence).
        **kwargs: ``module_objects``, a dict of a module's built-in objects by name (what
            `kcore.initializers.deserialize` and friends pass).

    Raises:
        TypeError: when a class cannot be found or rebuilt (the message names the fix).
        ValueError: for a ``lambda`` in safe mode.

    Example:

    >>> import kcore
    >>> config = {"module": "keras.initializers", "class_name": "Constant",
    ...           "config": {"value": 3.0}, "registered_name": None}
    >>> kcore.saving.deserialize_keras_object(config).value
    3.0
    """
    scoped_safe_mode = in_safe_mode()
    safe_mode = scoped_safe_mode if scoped_safe_mode is not None else safe_mode
    module_objects = kwargs.pop("module_objects", None)
    custom_objects = {
        **(custom_objects or {}),
        **object_registration._scope_dict(),
        **object_registration._GLOBAL_CUSTOM_OBJECTS,
    }
    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]
    if isinstance(config, (list, tuple)):
        return [
            deserialize_keras_object(x, custom_objects=custom_objects, safe_mode=safe_mode)
            for x in config
        ]
    if module_objects is not None:
        found, value = _from_module_objects(config, module_objects, custom_objects, safe_mode)
        if found:
            return value
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}")
    if "class_name" not in config or "config" not in config:
        return {
            key: deserialize_keras_object(value, custom_objects=custom_objects, safe_mode=safe_mode)
            for key, value in config.items()
        }

    class_name = config["class_name"]
    inner_config = config["config"] or {}
    special = _deserialize_special(class_name, inner_config, custom_objects, safe_mode)
    if special is not _NOT_SPECIAL:
        return special

    module = config.get("module")
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        return _retrieve_class_or_fn(
            inner_config, registered_name, module, "function", config, custom_objects
        )
    if "shared_object_id" in config:
        shared = get_shared_object(config["shared_object_id"])
        if shared is not None:
            return shared
    cls = _retrieve_class_or_fn(
        class_name, registered_name, module, "class", config, custom_objects
    )
    if isinstance(cls, types.FunctionType):
        return cls
    instance = _instantiate(cls, config, custom_objects, safe_mode)
    if "shared_object_id" in config:
        record_object_after_deserialization(instance, config["shared_object_id"])
    return instance


_NOT_SPECIAL = object()


def _deserialize_special(class_name, inner_config, custom_objects, safe_mode):
    def load(value):
        return deserialize_keras_object(value, custom_objects=custom_objects, safe_mode=safe_mode)

    if class_name == "__keras_tensor__":
        tensor = KerasTensor(inner_config["shape"], dtype=inner_config["dtype"])
        tensor._pre_serialization_keras_history = inner_config.get("keras_history")
        return tensor
    if class_name == "__tensor__":
        from kcore import ops

        return ops.convert_to_tensor(inner_config["value"], dtype=inner_config["dtype"])
    if class_name == "__numpy__":
        return np.array(inner_config["value"], dtype=inner_config["dtype"])
    if class_name == "__bytes__":
        return inner_config["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(
            load(inner_config["start"]), load(inner_config["stop"]), load(inner_config["step"])
        )
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a `lambda` object. Loading it would run code "
                "from the file (a risk of arbitrary code execution), so it is refused by default. "
                "If you trust the file's source, pass `safe_mode=False` to the loading function, "
                "or call `kcore.saving.enable_unsafe_deserialization()`."
            )
        return func_load(inner_config["value"])
    if class_name == "__typespec__":
        raise TypeError("Configs holding a TensorFlow `__typespec__` cannot be loaded by kcore.")
    return _NOT_SPECIAL


def _from_module_objects(config, module_objects, custom_objects, safe_mode):
    """Keras's lookup for `kcore.<module>.deserialize`: names in `module_objects` first.

    Returns ``(True, value)`` when resolved here, ``(False, None)`` to go on with the general path.
    """
    inner_config = None
    if isinstance(config, dict):
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        inner_config = config.get("config")
        names = (config["class_name"], config.get("registered_name"), inner_config)
        if any(isinstance(n, str) and n in custom_objects for n in names):
            return False, None
        if config["class_name"].startswith("__"):  # "__lambda__", "__numpy__"...
            return False, None
        if config["class_name"] == "function":
            registered = config.get("registered_name")
            builtin = config.get("module") == "builtins" or registered in (None, "function")
            key = inner_config if builtin else registered
        else:
            if "module" in config and config["module"] is None:
                raise TypeError(
                    f"Cannot deserialize object of type `{config['class_name']}`. If it is a "
                    "custom class, register it with "
                    "`@kcore.saving.register_keras_serializable()`."
                )
            key = config["class_name"]
    else:
        key = config
    try:
        known = key in module_objects
    except TypeError:  # unhashable: an object that is already deserialized
        return True, key
    if not known:
        return True, key  # left as is; `get()` then says it cannot interpret it
    obj = module_objects[key]
    if isinstance(obj, types.FunctionType) or not inspect.isclass(obj):
        return True, obj
    full = {"class_name": key, "config": inner_config or {}}
    if isinstance(config, dict):
        full = {**config, "config": inner_config or {}}
    return True, _instantiate(obj, full, custom_objects, safe_mode)


def _instantiate(cls, config, custom_objects, safe_mode):
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Unable to reconstruct an instance of {config['class_name']!r}: the class "
            f"{cls.__name__} has no `from_config()` method. Full object config: {config}"
        )
    with CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        try:
            instance = cls.from_config(config["config"] or {})
        except TypeError as error:
            raise TypeError(
                f"{cls} could not be deserialized properly. Make sure that components that are "
                "Python objects (layers, models, etc.) returned by `get_config()` are explicitly "
                f"deserialized in `from_config()`.\n\nconfig={config}.\n\nException "
                f"encountered: {error}"
            ) from error
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", False):
            instance.build_from_config(build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config:
            instance.compile_from_config(compile_config)
            instance.compiled = True
    return instance


def _kcore_module_name(module) -> str | None:
    """The kcore module a Keras or kcore module path maps to (``"keras.src.layers.core"`` ->
    ``"kcore.layers"``), or None when it is not one of Keras's or kcore's."""
    if not isinstance(module, str):
        return None
    parts = module.split(".")
    if parts[0] not in ("keras", "kcore"):
        return None
    rest = parts[1:]
    if rest[:1] == ["src"]:
        rest = rest[1:]
    if not rest:
        return "kcore"
    if rest[0] == "backend" and any(part.startswith("optimizer") for part in rest[1:]):
        # Keras on torch saves its optimizers under their backend classes
        # ("keras.src.backend.torch.optimizers.torch_adam"): the public optimizers.
        return "kcore.optimizers"
    if not rest[0].isidentifier() or rest[0].startswith("_"):
        return None
    return f"kcore.{rest[0]}"


def _is_loadable(obj, obj_type: str) -> bool:
    if object_registration.get_public_name(obj) is not None:
        return True
    return (
        obj_type == "class"
        and inspect.isclass(obj)
        and obj.__module__.split(".")[0] == "kcore"
        and hasattr(obj, "from_config")
    )


def _from_kcore(module_name: str, name, registered_name, obj_type):
    if importlib.util.find_spec(module_name) is None:
        return None
    module = importlib.import_module(module_name)
    for key in (name, registered_name):
        if isinstance(key, str):
            obj = getattr(module, key, None)
            if obj is not None and _is_loadable(obj, obj_type):
                return obj
    for obj, (public_module, public_name) in object_registration.public_objects().items():
        if public_name == name and _kcore_module_name(public_module) == module_name:
            return obj
    return None


def _from_plugins(name):
    if not isinstance(name, str) or ">" not in name:
        return None
    from kcore import plugins

    try:
        return plugins.get_object(name)
    except KeyError:
        return None


def _retrieve_class_or_fn(name, registered_name, module, obj_type, full_config, custom_objects):
    key = name if obj_type == "function" else registered_name
    obj = object_registration.get_registered_object(key, custom_objects=custom_objects)
    if obj is not None:
        return obj
    kcore_module = _kcore_module_name(module)
    if kcore_module is None and module != "builtins" and obj_type == "class":
        # A custom class: also accept `custom_objects` keyed by its class name.
        obj = object_registration.get_registered_object(name, custom_objects=custom_objects)
        if obj is not None:
            return obj
    if kcore_module is not None:
        obj = _from_kcore(kcore_module, name, registered_name, obj_type)
        if obj is not None:
            return obj
    if obj_type == "function" and module == "builtins":
        for builtin in BUILTIN_MODULES:
            obj = _from_kcore(f"kcore.{builtin}", name, None, "function")
            if obj is not None:
                return obj
        for custom_name, custom in custom_objects.items():
            if isinstance(custom_name, str) and custom_name.endswith(f">{name}"):
                return custom
    obj = _from_plugins(key) or _from_plugins(name)
    if obj is not None:
        return obj
    where = ""
    if module and kcore_module is None and module != "builtins":
        where = (
            f" Its module {module!r} is not kcore's, and kcore never imports a module named in a "
            "file."
        )
    elif kcore_module is not None:
        where = f" kcore's module {kcore_module} has no built-in {obj_type} {name!r}."
    raise TypeError(
        f"Could not locate {obj_type} {name!r}.{where} Make sure custom classes and functions are "
        "decorated with `@kcore.saving.register_keras_serializable()`, or pass them in "
        f"`custom_objects`. Full object config: {full_config}"
    )
