"""Weights files and `.keras` archives, laid out as Keras 3 lays them out.

The object tree
---------------

A model's state is found by walking its objects as Keras 3 does, so that every object gets the
path Keras gives it:

- A Sequential or Functional model first visits its ``layers`` (a list).
- Then every attribute holding a saveable object (a layer, an optimizer, a loss or a metric) or a
  list/tuple/dict/set of them, public names before private ones, each sorted by name (a model's
  ``layers`` and ``optimizer`` count as attributes). Model internals that Keras skips too (the
  layer stack of a Sequential, the graph of a Functional) are not visited.
- An object reached as an attribute is saved under the attribute name (``optimizer``, ``dense1``);
  one reached in a list under the list's name and its class name in snake case, numbered from
  the second of a class on (``layers/dense``, ``layers/dense_1``): never under its own name,
  which changes from one Python session to the next.
- Each object is visited once, at the first path that reaches it.

Objects with ``save_own_variables``/``load_own_variables`` (every layer; see `kcore.layers.Layer`)
write their own variables at their path; an optimizer without them writes its ``variables`` by
index. See `kcore.saving.h5_store` for the HDF5 layout. Objects with ``save_assets``/``load_assets``
(the lookup layers' vocabularies) write files into a folder of their own, which a `.keras` archive
holds under ``assets/<path>/`` (weights files hold no assets, as in Keras 3).

Files
-----

Every file is written atomically: to a temporary file in the target folder, flushed and synced,
then renamed over the target, so a crash or an error never leaves a half-written file (an
existing file stays as it was). A `.keras` archive holds ``metadata.json``, ``config.json`` and
``model.weights.h5``; its JSON has sorted keys and its zip entries a fixed timestamp, so saving the
same model twice gives the same bytes (``date_saved`` in ``metadata.json`` follows the
``SOURCE_DATE_EPOCH`` environment variable when it is set, as reproducible builds do).

Reading archives
----------------

Before anything is read from a `.keras` archive, `check_archive` refuses archives that could
harm the reader (the checks run whatever ``safe_mode`` says):

- member names that leave the archive's folder (``../x``, ``/etc/x``, ``C:\\x``, backslashes)
  or that appear twice ("zip slip");
- zip bombs: members whose stored data overlap (one compressed block expanding into many
  members), more than ``MAX_MEMBERS`` members, and members that expand to more than
  ``BOMB_FLOOR_BYTES`` at more than ``MAX_EXPANSION`` times their compressed size (kcore and Keras
  3 store members uncompressed, so a genuine archive never comes near that ratio).

Members are read only up to their declared size (Python's `zipfile` enforces it and checks each
member's CRC).
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import io
import json
import os
import struct
import tempfile
import warnings
import zipfile

from kcore.saving.h5_store import H5IOStore, ShardedH5IOStore

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FILENAME = "model.weights.h5"
ASSETS_DIRNAME = "assets"

_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

# Zip-bomb limits (see the module docstring).
MAX_MEMBERS = 100_000
BOMB_FLOOR_BYTES = 1 << 26  # 64 MiB
MAX_EXPANSION = 100

# Attributes of kcore models that hold layers Keras does not visit there (its own equivalents are
# skipped too): the Sequential stack (with its InputLayer), the graph of a Functional model.
_INTERNAL_ATTRIBUTES = frozenset(
    {
        "_stack",
        "_functional",
        "_operations",
        "_plan",
        "_input_layers",
        "_input_tensors",
        "_output_tensors",
        "_inputs_struct",
        "_outputs_struct",
    }
)


# --- atomic writes ---------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(filepath):
    """Yields a temporary path next to `filepath`; on success the file written there replaces
    `filepath` (after an fsync), on error it is removed and `filepath` is left untouched."""
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(filepath)}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        # mkstemp makes the file private (0600): give it the mode a plain `open` would.
        os.chmod(temporary, _file_mode(filepath))
        yield temporary
        with open(temporary, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    _sync_folder(folder)


def _file_mode(filepath) -> int:
    """The mode of the existing file at `filepath`, else 0666 less the process's umask."""
    try:
        return os.stat(filepath).st_mode & 0o777
    except OSError:
        pass
    umask = None
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    umask = int(line.split()[1], 8)
    if umask is None:  # no /proc: read it by setting it (briefly) and putting it back
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder) -> None:
    # Makes the rename itself durable where the platform allows it.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the object tree -------------------------------------------------------------------------


def _saveable_types() -> tuple:
    from kcore.layers.layer import Layer

    types = [Layer]
    for module, name in (
        ("kcore.optimizers", "Optimizer"),
        ("kcore.losses", "Loss"),
        ("kcore.metrics", "Metric"),
    ):
        try:
            types.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def _is_optimizer(obj) -> bool:
    try:
        from kcore.optimizers import Optimizer
    except ImportError:
        return False
    return isinstance(obj, Optimizer)


def _name_key(name: str) -> str:
    return "~" + name if name.startswith("_") else name


def _children(obj):
    """The (name, value) pairs Keras 3 visits under `obj`, in its order."""
    from kcore.layers import _state
    from kcore.models.functional import Functional
    from kcore.models.model import Model
    from kcore.models.sequential import Sequential

    if isinstance(obj, (Sequential, Functional)):
        yield "layers", obj.layers
    attributes = dict(getattr(obj, "__dict__", {}))
    if isinstance(obj, Model):
        attributes["layers"] = obj.layers
        if getattr(obj, "optimizer", None) is not None:
            attributes["optimizer"] = obj.optimizer
    skipped = _INTERNAL_ATTRIBUTES | _state._UNTRACKED
    for name in sorted(attributes, key=_name_key):
        if not name.startswith("__") and name not in skipped:
            yield name, attributes[name]


def _walk(root, visit):
    """Calls ``visit(obj, path, parent)`` on every saveable object under `root` (itself
    included), once each, at the path Keras 3 gives it."""
    from kcore.layers._state import to_snake_case

    types = _saveable_types()
    visited: set = set()

    def walk(obj, path, parent):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        visit(obj, path, parent)
        for name, child in _children(obj):
            child_path = f"{path}/{name}" if path else name
            if isinstance(child, types):
                walk(child, child_path, obj)
            elif isinstance(child, (list, tuple, dict, set)):
                used: dict = {}
                for item in child.values() if isinstance(child, dict) else child:
                    if isinstance(item, types):
                        item_name = to_snake_case(type(item).__name__)
                        if item_name in used:
                            used[item_name] += 1
                            item_name = f"{item_name}_{used[item_name]}"
                        else:
                            used[item_name] = 0
                        walk(item, f"{child_path}/{item_name}", obj)

    walk(root, "", None)


def _metadata(obj):
    name = getattr(obj, "name", None)
    return {"name": name} if isinstance(name, str) else None


def save_state(model, store: H5IOStore) -> None:
    """Writes the variables of `model` and of every object under it into `store`."""

    def visit(obj, path, parent):
        if hasattr(obj, "save_own_variables"):
            obj.save_own_variables(store.make(path, metadata=_metadata(obj)))
        elif _is_optimizer(obj):
            entry = store.make(path, metadata=_metadata(obj))
            for index, variable in enumerate(obj.variables):
                entry[str(index)] = variable

    _walk(model, visit)


def load_state(model, store: H5IOStore) -> list:
    """Reads the variables of `model` and of every object under it from `store`.

    Returns:
        The objects that could not be loaded, as ``(object, path, error)`` tuples.
    """
    failures = []

    def visit(obj, path, parent):
        entry = store.get(path)
        try:
            if _is_optimizer(obj):
                _load_optimizer(obj, entry, parent)
            elif hasattr(obj, "load_own_variables"):
                obj.load_own_variables(entry)
        except Exception as error:
            failures.append((obj, path, error))

    _walk(model, visit)
    return failures


def _load_optimizer(optimizer, entry, owner) -> None:
    if len(entry) and not getattr(optimizer, "built", True):
        # The file has optimizer state: create the optimizer's variables first, as Keras does.
        trainable = getattr(owner, "trainable_variables", None)
        if trainable is not None:
            optimizer.build(trainable)
    if hasattr(optimizer, "load_own_variables"):
        optimizer.load_own_variables(entry)
        return
    variables = list(optimizer.variables)
    if len(entry) != len(variables):
        warnings.warn(
            f"Skipping variable loading for optimizer {optimizer.name!r}, because it has "
            f"{len(variables)} variables whereas the saved optimizer has {len(entry)} variables "
            f"(weights file path {entry.path!r}).",
            stacklevel=4,
        )
        return
    for key, variable in zip(entry.keys(), variables):
        shape = entry.shapes()[key]
        if shape != tuple(variable.shape):
            raise ValueError(
                f"Optimizer {optimizer.name!r}: variable {variable.path!r} has shape "
                f"{variable.shape}, but the weights file has shape {shape} for it "
                f"(weights file path {entry.path!r}, key {key!r})."
            )
    for key, variable in zip(entry.keys(), variables):
        variable.assign(entry[key])


def _report_failures(failures, warn_only: bool) -> None:
    obj, path, error = failures[0]
    message = (
        f"A total of {len(failures)} objects could not be loaded. Example error message for "
        f"object {obj!r} (weights file path {path or '/'!r}):\n\n{error}\n\nList of objects that "
        f"could not be loaded: {[(repr(o), p or '/') for o, p, _ in failures]}"
    )
    if warn_only:
        warnings.warn(message + "\nThese objects were skipped.", stacklevel=4)
    else:
        raise ValueError(message) from error


# --- weights files ---------------------------------------------------------------------------


def save_weights_only(model, filepath, max_shard_size=None) -> None:
    """Writes the weights of `model` (and its optimizer's) to a `.weights.h5` file, atomically;
    with `max_shard_size` (GB), to shards and a `.weights.json` index (see
    `kcore.saving.h5_store.ShardedH5IOStore`)."""
    if max_shard_size is not None:
        with ShardedH5IOStore(filepath, max_shard_size=max_shard_size, mode="w") as store:
            save_state(model, store)
        return
    with atomic_path(filepath) as temporary:
        store = H5IOStore(temporary, mode="w")
        try:
            save_state(model, store)
        finally:
            store.close()


def load_weights_only(model, filepath, skip_mismatch=False) -> None:
    """Loads weights into `model` from a `.weights.h5` file, a sharded `.weights.json` index or a
    `.keras` archive.

    On a mismatch the model is left as it was and a ValueError is raised; with
    `skip_mismatch=True` the objects that do not match are skipped, with a warning.
    """
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with open_archive(filepath) as archive:
            data = io.BytesIO(archive.read(VARS_FILENAME))
        store = H5IOStore(data, mode="r")
    elif filepath.endswith(".json"):
        store = ShardedH5IOStore(filepath, mode="r")
    else:
        store = H5IOStore(filepath, mode="r")
    saved = [(variable, variable.numpy()) for variable in model.variables]
    try:
        failures = load_state(model, store)
    finally:
        store.close()
    if failures and not skip_mismatch:
        for variable, value in saved:
            variable.assign(value)
    if failures:
        _report_failures(failures, warn_only=skip_mismatch)


# --- .keras archives -------------------------------------------------------------------------


def _unsafe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    if len(name) > 1 and name[1] == ":":  # a Windows drive ("C:...")
        return True
    parts = name.rstrip("/").split("/")
    return any(part in ("", ".", "..") for part in parts)


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuses an archive with unsafe member names or the marks of a zip bomb.

    Args:
        archive: an open `zipfile.ZipFile`.

    Raises:
        ValueError: naming the member and what is wrong with it; nothing has been extracted or
            decompressed then.
    """
    where = getattr(archive, "filename", None) or "the archive"
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValueError(
            f"Refusing to read {where!r}: it has {len(infos)} members (the limit is "
            f"{MAX_MEMBERS}); a `.keras` archive holds a few files. It may be a zip bomb."
        )
    seen: set = set()
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise ValueError(
                f"Refusing to read {where!r}: its member {info.filename!r} has a path that "
                "leaves the archive's folder (absolute, `..`, a drive or a backslash). Archives "
                "written by kcore or Keras never do this; the file may be malicious (zip slip)."
            )
        if info.filename in seen:
            raise ValueError(
                f"Refusing to read {where!r}: it holds the member {info.filename!r} twice; the "
                "file may have been tampered with."
            )
        seen.add(info.filename)
        if info.file_size > BOMB_FLOOR_BYTES and info.file_size > MAX_EXPANSION * max(
            info.compress_size, 1
        ):
            raise ValueError(
                f"Refusing to read {where!r}: its member {info.filename!r} expands from "
                f"{info.compress_size} to {info.file_size} bytes (over {MAX_EXPANSION}x and over "
                f"{BOMB_FLOOR_BYTES} bytes): a zip bomb. kcore and Keras store members "
                "uncompressed; if you trust the file, unpack it and re-pack it without "
                "compression (`zip -0`)."
            )
    spans = sorted(
        (info.header_offset, info.header_offset + _stored_length(archive, info), info.filename)
        for info in infos
    )
    for (_, end, name), (start, _, next_name) in zip(spans, spans[1:]):
        if start < end:
            raise ValueError(
                f"Refusing to read {where!r}: the stored data of its members {name!r} and "
                f"{next_name!r} overlap, the mark of a zip bomb (one compressed block read as "
                "many members)."
            )


def _stored_length(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The bytes a member takes in the file: its local header (read from the file, whose name
    and extra field may differ from the central directory's) and its compressed data."""
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise ValueError(
            f"Refusing to read {getattr(archive, 'filename', None) or 'the archive'!r}: the "
            f"member {info.filename!r} has no valid local header; the file is corrupt."
        )
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return 30 + name_length + extra_length + info.compress_size


@contextlib.contextmanager
def open_archive(filepath):
    """Opens a `.keras` archive for reading, after `check_archive` accepted it."""
    with zipfile.ZipFile(os.fspath(filepath), "r") as archive:
        check_archive(archive)
        yield archive


def _date_saved() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    else:
        moment = datetime.datetime.now()
    return moment.strftime("%Y-%m-%d@%H:%M:%S")


def _model_config(model) -> dict:
    from kcore.saving.scopes import ObjectSharingScope
    from kcore.saving.serialization import serialize_keras_object

    with ObjectSharingScope():
        return serialize_keras_object(model)


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def save_model(model, filepath) -> None:
    """Writes `model` to a `.keras` archive, atomically and deterministically."""
    import kcore

    config = json.dumps(_model_config(model), sort_keys=True)
    metadata = json.dumps(
        {"keras_version": kcore.__version__, "date_saved": _date_saved()}, sort_keys=True
    )
    weights = io.BytesIO()
    store = H5IOStore(weights, mode="w")
    try:
        save_state(model, store)
    finally:
        store.close()
    with atomic_path(filepath) as temporary:
        with zipfile.ZipFile(temporary, "w") as archive:
            _zip_entry(archive, METADATA_FILENAME, metadata.encode())
            _zip_entry(archive, CONFIG_FILENAME, config.encode())
            _zip_entry(archive, VARS_FILENAME, weights.getvalue())
            for name, data in _saved_assets(model):
                _zip_entry(archive, name, data)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds the model saved in a `.keras` archive: from its config, then its weights."""
    from kcore.saving.scopes import ObjectSharingScope
    from kcore.saving.serialization import deserialize_keras_object

    with open_archive(filepath) as archive:
        names = archive.namelist()
        for required in (CONFIG_FILENAME, VARS_FILENAME):
            if required not in names:
                raise ValueError(
                    f"The file {os.fspath(filepath)!r} is not a complete `.keras` archive: it "
                    f"has no {required!r} (it has {names})."
                )
        config = json.loads(archive.read(CONFIG_FILENAME))
        weights = io.BytesIO(archive.read(VARS_FILENAME))
        assets = {
            name: archive.read(name)
            for name in names
            if name.startswith(f"{ASSETS_DIRNAME}/") and not name.endswith("/")
        }
    if not compile:
        config["compile_config"] = None
    with ObjectSharingScope():
        model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    store = H5IOStore(weights, mode="r")
    try:
        failures = load_state(model, store)
    finally:
        store.close()
    failures += _load_assets(model, assets)
    if failures:
        _report_failures(failures, warn_only=False)
    return model


# --- assets ----------------------------------------------------------------------------------


def _saved_assets(model) -> list:
    """The ``(archive name, bytes)`` of every file the objects under `model` write with
    ``save_assets(folder)``, each into ``assets/<its path>/``, sorted by name."""
    files = []
    with tempfile.TemporaryDirectory() as root:

        def visit(obj, path, parent):
            if hasattr(obj, "save_assets"):
                folder = os.path.join(root, *path.split("/")) if path else root
                os.makedirs(folder, exist_ok=True)
                obj.save_assets(folder)

        _walk(model, visit)
        for folder, _, names in os.walk(root):
            for name in names:
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    files.append((f"{ASSETS_DIRNAME}/{relative}", f.read()))
    return sorted(files)


def _load_assets(model, assets: dict) -> list:
    """Hands each object with ``load_assets`` the folder of its assets (None when the archive
    has none for it). Returns the failures as ``(object, path, error)`` tuples."""
    failures = []
    with tempfile.TemporaryDirectory() as root:
        for name, data in assets.items():
            parts = name.split("/")[1:]
            if any(part in ("", ".", "..") or "\\" in part for part in parts):
                raise ValueError(f"The archive holds an asset with an unsafe path: {name!r}.")
            target = os.path.join(root, *parts)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)

        def visit(obj, path, parent):
            if not hasattr(obj, "load_assets"):
                return
            folder = os.path.join(root, *path.split("/")) if path else root
            try:
                obj.load_assets(folder if os.path.isdir(folder) else None)
            except Exception as error:
                failures.append((obj, path, error))

        _walk(model, visit)
    return failures
