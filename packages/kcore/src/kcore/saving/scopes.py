"""The scopes that change how configs are loaded: safe mode and object sharing (per thread)."""

from __future__ import annotations

import threading

_local = threading.local()
_process = {"unsafe": False}


class SafeModeScope:
    """Sets the ``safe_mode`` of every `deserialize_keras_object` call inside a ``with`` block.

    Nested calls made by ``from_config`` methods thus follow the caller's choice.

    Args:
        safe_mode: whether to refuse loading ``lambda``s (True by default).
    """

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.original_value = getattr(_local, "safe_mode", None)
        _local.safe_mode = self.safe_mode
        return self

    def __exit__(self, *exc_info):
        _local.safe_mode = self.original_value


def enable_unsafe_deserialization():
    """Disables safe mode for the whole process, allowing ``lambda``s to be loaded.

    Loading a ``lambda`` runs code from the file: call this only for files you trust.
    """
    _process["unsafe"] = True


def in_safe_mode():
    """The safe mode imposed by an enclosing `SafeModeScope` (or process setting), else None."""
    scoped = getattr(_local, "safe_mode", None)
    if scoped is not None:
        return scoped
    return False if _process["unsafe"] else None


class ObjectSharingScope:
    """Within it, an object met twice is saved once and loaded as one shared object.

    Saving marks repeated objects with a ``shared_object_id``; loading returns the object already
    built for an id instead of building it again. The ids are numbered 1, 2, ... in the order the
    shared objects are met (Keras writes memory addresses), so the same model always gives the
    same config.
    """

    def __enter__(self):
        _local.id_to_obj = {}
        _local.id_to_config = {}
        _local.shared_ids = {}
        return self

    def __exit__(self, *exc_info):
        _local.id_to_obj = None
        _local.id_to_config = None
        _local.shared_ids = None


def record_object_after_serialization(obj, config):
    """Notes a config just written, marking both copies when the object was met before."""
    if config["module"] == "__main__":
        config["module"] = None
    seen = getattr(_local, "id_to_config", None)
    if seen is None:
        return
    obj_id = id(obj)
    if obj_id not in seen:
        seen[obj_id] = config
    else:
        shared_ids = _local.shared_ids
        shared_id = shared_ids.setdefault(obj_id, len(shared_ids) + 1)
        config["shared_object_id"] = shared_id
        seen[obj_id]["shared_object_id"] = shared_id


def get_shared_object(obj_id):
    """The object already loaded for a ``shared_object_id`` in the current sharing scope, or None."""
    return (getattr(_local, "id_to_obj", None) or {}).get(obj_id)


def record_object_after_deserialization(obj, obj_id) -> None:
    """Remembers a loaded object under its ``shared_object_id`` (inside an `ObjectSharingScope`)."""
    if getattr(_local, "id_to_obj", None) is not None:
        _local.id_to_obj[obj_id] = obj
