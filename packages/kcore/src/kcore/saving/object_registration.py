"""The tables that map names in saved configs to Python objects, as `keras.saving` keeps them.

Three tables, each with one job:

- the *public* names: kcore's own built-in classes (``_keras_module`` attribute) and functions
  (`keras_export`), with the Keras module they are written under in a file
  (``"keras.initializers"``, ``"keras.layers"``...);
- the *registered* table (`register_keras_serializable`): user classes and functions, under a
  ``"package>name"`` key;
- the *scope* dict (`CustomObjectScope`): names made visible for the duration of a ``with`` block.

Example:

>>> import kcore
>>> @kcore.saving.register_keras_serializable(package="docs")
... def double(x):
...     return x * 2
>>> kcore.saving.get_registered_name(double)
'docs>double'
>>> kcore.saving.get_registered_object("docs>double") is double
True
"""

from __future__ import annotations

import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS: dict = {}
_GLOBAL_CUSTOM_NAMES: dict = {}
_PUBLIC_NAMES: dict = {}
_local = threading.local()


def keras_export(module: str, name: str | None = None):
    """Marks a built-in kcore function (or one class) with the Keras module it is saved under.

    Classes usually declare it with a ``_keras_module`` class attribute instead (see
    `kcore.saving.serialization`); this decorator is for functions, for a class whose saved name
    differs from its Python name, and for kcore classes defined elsewhere. `serialize_keras_object`
    writes
    ``{"module": module, "class_name": name, ..., "registered_name": None}``, exactly what Keras 3
    writes for the same object, so files move both ways. The mark belongs to the decorated object
    only: a subclass is not a built-in unless it is marked too. See `kcore.saving.serialization`
    for the full convention.

    Args:
        module: the public Keras module, e.g. ``"keras.initializers"``, ``"keras.layers"`` or
            ``"keras"``. For a class Keras saves under an internal path (``Functional`` is saved
            with ``"keras.src.models.functional"``), give that path: the object is then written with
            ``registered_name`` set to its name, as Keras does.
        name: the name written as ``class_name``; defaults to the object's ``__name__``.

    Returns:
        A decorator that returns the object unchanged.

    Example:

    >>> from kcore.saving import keras_export
    >>> @keras_export("keras.constraints")
    ... class Halve:
    ...     def __call__(self, w):
    ...         return w / 2
    ...     def get_config(self):
    ...         return {}
    """
    if not isinstance(module, str) or module.split(".")[0] not in ("keras", "kcore"):
        raise ValueError(
            f"keras_export needs a Keras module path such as 'keras.layers', got {module!r}."
        )

    def decorator(obj):
        _PUBLIC_NAMES[obj] = (module, name if name is not None else obj.__name__)
        return obj

    return decorator


def get_public_name(obj) -> tuple[str, str] | None:
    """The ``(module, name)`` a built-in kcore object is saved under, or None for other objects.

    An object marked with `keras_export` gets its mark. A class defined in kcore's own package
    that has (or inherits) a ``_keras_module`` attribute gets ``(_keras_module, __name__)``.
    """
    try:
        marked = _PUBLIC_NAMES.get(obj)
    except TypeError:  # unhashable
        return None
    if marked is not None:
        return marked
    if inspect.isclass(obj) and obj.__module__.split(".")[0] == "kcore":
        module = getattr(obj, "_keras_module", None)
        if isinstance(module, str):
            return module, obj.__name__
    return None


def public_objects() -> dict:
    """Every object marked with `keras_export` so far, mapped to its ``(module, name)``."""
    return dict(_PUBLIC_NAMES)


def _scope_dict() -> dict:
    return getattr(_local, "scope_objects", None) or {}


class CustomObjectScope:
    """Exposes custom classes and functions to deserialization inside a ``with`` block.

    Under ``with CustomObjectScope({"MyLayer": MyLayer}):``, `deserialize_keras_object` (and the
    `get`/`deserialize` functions of `kcore.initializers`, `kcore.activations`...) find ``MyLayer``
    by name without it being registered. The scope replaces, then restores, the names of any
    enclosing scope. Also available as `custom_object_scope`.

    Args:
        custom_objects: a dict mapping names to classes or functions (None for none).

    Example:

    >>> import kcore
    >>> def my_act(x):
    ...     return x
    >>> with kcore.saving.CustomObjectScope({"my_act": my_act}):
    ...     kcore.activations.deserialize("my_act") is my_act
    True
    """

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})
        self.backup = None

    def __enter__(self):
        self.backup = dict(_scope_dict())
        _local.scope_objects = dict(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _local.scope_objects = self.backup


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict:
    """Returns the live global dict of registered custom objects (``"package>name"`` -> object).

    Objects made visible by `CustomObjectScope` are not in it. Editing the dict edits the registry:
    ``get_custom_objects()["MyObject"] = MyObject`` makes ``MyObject`` loadable by that name.
    """
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Registers a class or function so that saved configs name it and loading finds it.

    The object is registered under ``"package>name"``: `serialize_keras_object` writes that key
    as ``registered_name`` and `deserialize_keras_object` resolves it, with no `custom_objects`
    needed. A class must implement ``get_config()``.

    Args:
        package: the package part of the key (the decorator's first argument).
        name: the name part of the key; defaults to the object's ``__name__``.

    Returns:
        A decorator that registers the object and returns it unchanged.

    Example:

    >>> import kcore
    >>> @kcore.saving.register_keras_serializable("my_package")
    ... class Scale:
    ...     def __init__(self, factor=2.0):
    ...         self.factor = factor
    ...     def get_config(self):
    ...         return {"factor": self.factor}
    >>> kcore.saving.get_registered_name(Scale)
    'my_package>Scale'
    """

    def decorator(arg):
        registered_name = f"{package}>{name if name is not None else arg.__name__}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError(
                f"Cannot register class {arg.__name__!r} as {registered_name!r}: it has no "
                "get_config() method. Add one that returns the constructor arguments as a dict."
            )
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj) -> str:
    """Returns the ``"package>name"`` an object was registered under, else its ``__name__``.

    Args:
        obj: a class or function.
    """
    try:
        registered = _GLOBAL_CUSTOM_NAMES.get(obj)
    except TypeError:  # unhashable
        registered = None
    return registered if registered is not None else obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Returns the object known under `name`, or None.

    Looks in the active `CustomObjectScope`, then the registered objects, then `custom_objects`,
    then `module_objects` (in that order, as Keras does).

    Args:
        name: the name to look up (a ``"package>name"`` key or a plain name).
        custom_objects: an optional dict of names to objects, usually given by the user.
        module_objects: an optional dict of names to objects, usually a module's built-ins.
    """
    scope = _scope_dict()
    if name in scope:
        return scope[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
