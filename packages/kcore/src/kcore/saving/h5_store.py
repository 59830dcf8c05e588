"""HDF5 variable stores: the layout of Keras 3's `.weights.h5` files (and of the
``model.weights.h5`` entry of a `.keras` archive).

Every object that owns variables gets a group ``<path>/vars`` (``vars`` at the root, for the model
itself) holding one dataset per variable, keyed ``"0"``, ``"1"``, ...; the group's attribute
``name`` is the object's name, as recent Keras 3 writes it::

    vars                      (the model's own variables, usually none)
    layers/dense/vars/0       (kernel)
    layers/dense/vars/1       (bias)
    optimizer/vars/0          (iterations)

`H5IOStore.make(path)` returns the entry an object writes its variables into, `H5IOStore.get(path)`
the entry it reads them back from (empty when the file has none). bfloat16 arrays are stored as
2-byte opaque data with the attribute ``dtype = "bfloat16"``, as Keras does.

A file opened for reading is refused when it holds links to other files or datasets stored
outside it (HDF5 external links and external storage): loading weights never reads another file.

`ShardedH5IOStore` spreads the same layout over several `.weights.h5` files and a
`.weights.json` index, as Keras 3 does for ``save_weights(..., max_shard_size=...)``.

h5py is imported on first use, so importing kcore does not load it.
"""

from __future__ import annotations

import json
import math
import os
import warnings

import numpy as np

_BFLOAT16 = "bfloat16"


def _h5py():
    try:
        import h5py
    except ImportError as error:  # pragma: no cover - h5py is a kcore dependency
        raise ImportError(
            "Reading or writing `.weights.h5` and `.keras` files needs the `h5py` package: "
            "`pip install h5py`."
        ) from error
    return h5py


class H5IOStore:
    """A `.weights.h5` file opened to write (``mode="w"``) or read (``mode="r"``) variables.

    Args:
        path_or_io: a file path, or a binary file object (e.g. `io.BytesIO`).
        mode: ``"w"`` (create, replacing any file) or ``"r"``.

    Example:

    >>> import io
    >>> import numpy as np
    >>> buffer = io.BytesIO()
    >>> store = H5IOStore(buffer, mode="w")
    >>> store.make("layers/dense", metadata={"name": "dense"})["0"] = np.ones((2,), "float32")
    >>> store.close()
    >>> store = H5IOStore(buffer, mode="r")
    >>> entry = store.get("layers/dense")
    >>> list(entry.keys()), entry["0"].tolist()
    (['0'], [1.0, 1.0])
    >>> store.close()
    """

    def __init__(self, path_or_io, mode="r"):
        if mode not in ("r", "w"):
            raise ValueError(f"`mode` must be 'r' or 'w'. Received: mode={mode!r}")
        self.mode = mode
        self.h5_file = _h5py().File(path_or_io, mode=mode)
        if mode == "r":
            try:
                _reject_external_references(self.h5_file)
            except Exception:
                self.h5_file.close()
                raise

    def make(self, path: str, metadata: dict | None = None) -> H5Entry:
        """Creates the group ``<path>/vars`` and returns it as an entry to write into."""
        if self.mode != "w":
            raise ValueError("`make` needs a store opened with mode='w'.")
        name = f"{path}/vars" if path else "vars"
        group = self.h5_file.create_group(name)
        for key, value in (metadata or {}).items():
            group.attrs[key] = value
        return H5Entry(group, path, writable=True)

    def get(self, path: str) -> H5Entry:
        """The entry ``<path>/vars`` to read from (empty if the file has no variables there)."""
        name = f"{path}/vars" if path else "vars"
        group = self.h5_file.get(name)
        if group is None and path and "_layer_checkpoint_dependencies" in self.h5_file:
            # Files written by Keras 2.13 name the layer list differently.
            group = self.h5_file.get(
                f"{path.replace('layers', '_layer_checkpoint_dependencies')}/vars"
            )
        return H5Entry(group if group is not None else {}, path, writable=False)

    def close(self) -> None:
        self.h5_file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class H5Entry:
    """The variables of one object: a mapping from ``"0"``, ``"1"``, ... to arrays.

    Reading a key returns a numpy array; writing one stores a numpy array, a `kcore.Variable` or a
    backend tensor. ``path`` is the object's path in the file (``""`` for the model itself).
    """

    def __init__(self, group, path: str, writable: bool):
        self.group = group
        self.path = path
        self.writable = writable

    def __setitem__(self, key: str, value) -> None:
        if not self.writable:
            raise ValueError(f"The weights entry {self.path!r} was opened for reading only.")
        array = _to_numpy(value)
        if array.dtype.name == _BFLOAT16:
            dataset = self.group.create_dataset(key, data=array)
            dataset.attrs["dtype"] = _BFLOAT16
        else:
            self.group[key] = array

    def __getitem__(self, key: str) -> np.ndarray:
        dataset = self.group[key]
        if dataset.attrs.get("dtype") == _BFLOAT16:
            import ml_dtypes

            return np.array(dataset, dtype=ml_dtypes.bfloat16)
        return np.asarray(dataset[()])

    def __contains__(self, key) -> bool:
        return key in self.group

    def __len__(self) -> int:
        return len(self.group)

    def __iter__(self):
        return iter(self.keys())

    def keys(self) -> list:
        return sorted(self.group.keys(), key=_index_order)

    def values(self) -> list:
        return [self[key] for key in self.keys()]

    def items(self) -> list:
        return [(key, self[key]) for key in self.keys()]

    def shapes(self) -> dict:
        """``{key: shape}`` for every entry, without reading the data."""
        return {key: tuple(self.group[key].shape) for key in self.keys()}


def _index_order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _to_numpy(value) -> np.ndarray:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return np.asarray(value.numpy())
    from kcore import ops

    return np.asarray(ops.convert_to_numpy(value))


def _reject_external_references(h5_file) -> None:
    """Raises if the file links to other files or stores data outside itself."""
    h5py = _h5py()

    def check(group, prefix):
        for name in group:
            link = group.get(name, getlink=True)
            where = f"{prefix}/{name}"
            if isinstance(link, h5py.ExternalLink):
                raise ValueError(
                    f"The weights file {h5_file.filename!r} links {where!r} to another file "
                    f"({link.filename!r}). kcore refuses to load weights that point outside the "
                    "file. Re-save the weights from the original model."
                )
            if isinstance(link, h5py.SoftLink):
                continue
            item = group[name]
            if isinstance(item, h5py.Group):
                check(item, where)
            elif isinstance(item, h5py.Dataset) and item.external:
                raise ValueError(
                    f"The weights file {h5_file.filename!r} stores {where!r} in external files "
                    f"({[entry[0] for entry in item.external]}). kcore refuses to load weights "
                    "that point outside the file. Re-save the weights from the original model."
                )

    check(h5_file, "")


# --- sharded weights -------------------------------------------------------------------------

_GIGABYTE = 1024**3


class ShardedH5IOStore:
    """Weights spread over several `.weights.h5` files (shards) named by a `.weights.json` index,
    as Keras 3 writes them with ``save_weights(filepath, max_shard_size=...)``.

    For ``model.weights.json`` the files are, all in one folder::

        model.weights.json          {"metadata": {"total_size": ...}, "weight_map": {...}}
        model_00000.weights.h5      the first shard (always written, empty for a model
        model_00001.weights.h5      without variables), then as many as needed

    Each shard has the layout of a `.weights.h5` file (see `H5IOStore`). ``weight_map`` maps every
    group that holds variables (``"/layers/dense/vars"``; ``"/vars"`` for the model's own) to the
    shards holding them: a list of shard names, or one name for a group of a single variable (as
    Keras writes it); ``total_size`` is the variables' size in bytes.

    Variables are written in order. A variable goes into the current shard unless its data would
    take the shard over `max_shard_size`; then a new shard is started. A variable's size is its
    number of elements times its dtype's size (a bool counts one bit), as Keras counts it; each
    file also holds a few KB of HDF5 bookkeeping. A variable larger than `max_shard_size` on its
    own is an error, as in Keras.

    Writing is atomic per file: each shard is written to a temporary file in the target folder,
    and `close()` puts every shard in place (fsync, rename) and then the index, so a new index
    appears only once all its shards are complete. `abort()` (or leaving a ``with`` block on an
    exception) removes the temporary files and leaves existing files as they were. Shards of an
    earlier, larger save that the new index does not name are left in place, as Keras leaves
    them. The index has sorted keys and a fixed indent and the shards hold no timestamps: the
    same model gives the same bytes.

    Reading refuses an index whose shard names are not plain file names in its own folder (a
    folder part, ``..``, an absolute path) and an index naming a shard that is missing. Shards
    are opened when a variable in them is first read.

    Args:
        path: the index, a path ending in `.json` (any other suffix is replaced by `.json`,
            with a warning, as Keras does).
        max_shard_size: when writing, the most data per shard, in GB (1 GB = 1024**3 bytes):
            a positive int or float.
        mode: ``"w"`` (create, replacing existing files) or ``"r"``.

    Raises:
        ValueError: for a bad `mode` or `max_shard_size`, or an index that is not valid or
            names unsafe shard files.
        FileNotFoundError: when reading, for a missing index or shard.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> index = os.path.join(tempfile.mkdtemp(), "tiny.weights.json")
    >>> with ShardedH5IOStore(index, max_shard_size=16 / 1024**3, mode="w") as store:
    ...     entry = store.make("layers/dense", metadata={"name": "dense"})
    ...     entry["0"] = np.ones((2, 2), "float32")
    ...     entry["1"] = np.zeros((2,), "float32")
    >>> sorted(name for name in os.listdir(os.path.dirname(index)))
    ['tiny.weights.json', 'tiny_00000.weights.h5', 'tiny_00001.weights.h5']
    >>> with ShardedH5IOStore(index, mode="r") as store:
    ...     store.get("layers/dense").shapes()
    {'0': (2, 2), '1': (2,)}
    """

    def __init__(self, path, max_shard_size=None, mode="r"):
        if mode not in ("r", "w"):
            raise ValueError(f"`mode` must be 'r' or 'w'. Received: mode={mode!r}")
        path = os.fspath(path)
        if not path.endswith(".json"):
            renamed = os.path.splitext(path)[0] + ".json"
            warnings.warn(
                f"{'Saving' if mode == 'w' else 'Loading'} sharded weights needs a `.json` "
                f"index: using {renamed!r} instead of {path!r}.",
                stacklevel=2,
            )
            path = renamed
        self.mode = mode
        self.path = path
        self.folder = os.path.dirname(os.path.abspath(path))
        self.base_name = os.path.splitext(os.path.basename(path))[0].replace(".weights", "")
        self._closed = False
        if mode == "w":
            self.max_shard_bytes = _shard_bytes(max_shard_size)
            self._metadata: dict = {}
            self._pending: list = []  # (shard name, its atomic_path context), in order
            self._file = None
            self._groups: dict = {}
            self._shard_size = 0.0
            self._total_size = 0.0
            self._weight_map: dict = {}  # group name: ([shard names], number of variables)
            try:
                self._new_shard()
            except BaseException as error:
                self._abort(error)
                raise
        else:
            self._weight_map = _read_index(path)
            self._files: dict = {}
            for name in sorted({name for names in self._weight_map.values() for name in names}):
                if not os.path.isfile(os.path.join(self.folder, name)):
                    raise FileNotFoundError(
                        f"The sharded weights index {path!r} names the shard {name!r}, which is "
                        f"missing (expected at {os.path.join(self.folder, name)!r}). Copy every "
                        "shard file listed in the index next to it."
                    )

    # writing

    def make(self, path: str, metadata: dict | None = None) -> _ShardedEntry:
        """Creates the group ``<path>/vars`` in the current shard and returns an entry to write
        the object's variables into (they may go on into later shards)."""
        if self.mode != "w":
            raise ValueError("`make` needs a store opened with mode='w'.")
        self._metadata[path] = dict(metadata or {})
        self._group(path)
        return _ShardedEntry(self, path)

    def _new_shard(self) -> None:
        from kcore.saving.saving_lib import atomic_path

        if self._file is not None:
            self._file.close()
            self._file = None
        name = f"{self.base_name}_{len(self._pending):05}.weights.h5"
        context = atomic_path(os.path.join(self.folder, name))
        temporary = context.__enter__()
        self._pending.append((name, context))
        self._file = _h5py().File(temporary, mode="w")
        self._groups = {}
        self._shard_size = 0.0

    def _group(self, path: str):
        group = self._groups.get(path)
        if group is None:
            group = self._file.create_group(f"{path}/vars" if path else "vars")
            for key, value in self._metadata.get(path, {}).items():
                group.attrs[key] = value
            self._groups[path] = group
        return group

    def _write(self, path: str, key: str, value) -> None:
        array = _to_numpy(value)
        bits = 1 if array.dtype == np.bool_ else array.dtype.itemsize * 8
        size = math.prod(array.shape) * bits / 8
        if size > self.max_shard_bytes:
            from kcore.utils.summary_utils import readable_memory_size

            raise ValueError(
                f"The variable {key!r} of {path or '/'!r} (shape {array.shape}, {array.dtype}) "
                f"takes {readable_memory_size(size)}, which exceeds the maximum shard size "
                f"{readable_memory_size(self.max_shard_bytes)}. Increase `max_shard_size` to at "
                f"least {size / _GIGABYTE:.6g} (GB) to accommodate it."
            )
        if self._shard_size + size > self.max_shard_bytes:
            self._new_shard()
        self._shard_size += size
        self._total_size += size
        group = self._group(path)
        H5Entry(group, path, writable=True)[key] = array
        shard = self._pending[-1][0]
        names, count = self._weight_map.get(group.name, ([], 0))
        if shard not in names:
            names.append(shard)
        self._weight_map[group.name] = (names, count + 1)

    def abort(self) -> None:
        """Stops writing: removes the temporary shard files; existing files are left as they were."""
        self._abort(RuntimeError("Writing the sharded weights was aborted."))

    def _abort(self, error: BaseException) -> None:
        if self._closed:
            return
        self._closed = True
        if self._file is not None:
            try:
                self._file.close()
            finally:
                self._file = None
        for _, context in self._pending:
            context.__exit__(type(error), error, error.__traceback__)
        self._pending = []

    def _commit(self) -> None:
        from kcore.saving.saving_lib import atomic_path

        self._file.close()
        self._file = None
        while self._pending:
            _, context = self._pending[0]
            context.__exit__(None, None, None)
            self._pending.pop(0)
        # As Keras writes it: the shard's name for a group of one variable, else a list.
        weight_map = {
            group: names[0] if count == 1 else names
            for group, (names, count) in self._weight_map.items()
        }
        index = {"metadata": {"total_size": self._total_size}, "weight_map": weight_map}
        text = json.dumps(index, indent=4, sort_keys=True) + "\n"
        with atomic_path(self.path) as temporary:
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(text)

    # reading

    def get(self, path: str) -> H5Entry:
        """The entry ``<path>/vars`` to read from, across the shards the index names for it
        (empty if the index has no variables there)."""
        group_name = f"{path}/vars" if path else "vars"
        groups = []
        for name in self._weight_map.get(f"/{group_name}", []):
            group = self._open(name).get(group_name)
            if group is None:
                raise ValueError(
                    f"The sharded weights index {self.path!r} says that the shard {name!r} "
                    f"holds {'/' + group_name!r}, but the shard has no such group: the index "
                    "and the shards were not saved together."
                )
            groups.append(group)
        return H5Entry(_ShardGroups(groups, self.path), path, writable=False)

    def _open(self, name: str):
        h5_file = self._files.get(name)
        if h5_file is None:
            filename = os.path.join(self.folder, name)
            try:
                h5_file = _h5py().File(filename, mode="r")
            except OSError as error:
                raise ValueError(
                    f"The shard {filename!r} (named by the index {self.path!r}) is not a "
                    f"readable HDF5 file: {error}"
                ) from error
            try:
                _reject_external_references(h5_file)
            except Exception:
                h5_file.close()
                raise
            self._files[name] = h5_file
        return h5_file

    def close(self) -> None:
        """Writing: puts the shards and then the index in place. Reading: closes the shards."""
        if self.mode == "r":
            for h5_file in self._files.values():
                h5_file.close()
            self._files = {}
            return
        if self._closed:
            return
        try:
            self._commit()
        except BaseException as error:
            self._abort(error)
            raise
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc is not None and self.mode == "w":
            self._abort(exc)
        else:
            self.close()


class _ShardedEntry:
    """What `ShardedH5IOStore.make` returns: writing a key stores the array in the current
    shard, starting a new shard first when the array would not fit."""

    def __init__(self, store: ShardedH5IOStore, path: str):
        self.store = store
        self.path = path
        self.writable = True

    def __setitem__(self, key: str, value) -> None:
        self.store._write(self.path, key, value)


class _ShardGroups:
    """The groups of one object in several shards, read as one group."""

    def __init__(self, groups: list, index: str):
        self.groups = groups
        self.index = index

    def keys(self) -> list:
        return [key for group in self.groups for key in group.keys()]

    def __getitem__(self, key):
        for group in self.groups:
            if key in group:
                return group[key]
        raise KeyError(f"Key {key!r} is in none of the shards listed for it in {self.index!r}.")

    def __contains__(self, key) -> bool:
        return any(key in group for group in self.groups)

    def __len__(self) -> int:
        return sum(len(group) for group in self.groups)

    def __iter__(self):
        return iter(self.keys())


def _shard_bytes(max_shard_size) -> float:
    if (
        isinstance(max_shard_size, bool)
        or not isinstance(max_shard_size, (int, float, np.integer, np.floating))
        or not math.isfinite(max_shard_size)
        or max_shard_size <= 0
    ):
        raise ValueError(
            "`max_shard_size` must be a positive number of GB (an int or a float, e.g. 0.5 for "
            f"shards of at most 512 MB). Received: max_shard_size={max_shard_size!r}"
        )
    return float(max_shard_size) * _GIGABYTE


def _unsafe_shard_name(name) -> bool:
    return (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or os.path.isabs(name)
        or bool(os.path.splitdrive(name)[0])
        or os.path.basename(name) != name
    )


def _read_index(path: str) -> dict:
    """``{group name: [shard names]}`` from a `.weights.json` index, after checking it."""
    try:
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"No sharded weights index at filepath={path}.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(
            f"The sharded weights index {path!r} is not valid JSON ({error}). It should be the "
            "`.weights.json` file written by `save_weights(..., max_shard_size=...)`."
        ) from None
    weight_map = index.get("weight_map") if isinstance(index, dict) else None
    if not isinstance(weight_map, dict):
        raise ValueError(
            f"The file {path!r} is not a sharded weights index: it has no `weight_map` object. "
            "It should be the `.weights.json` file written by `save_weights(..., "
            "max_shard_size=...)`."
        )
    checked = {}
    for group, names in weight_map.items():
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names:
            raise ValueError(
                f"The sharded weights index {path!r} maps {group!r} to {names!r}; expected a "
                "shard file name or a list of them."
            )
        for name in names:
            if _unsafe_shard_name(name):
                raise ValueError(
                    f"Refusing to read the sharded weights index {path!r}: it names the shard "
                    f"{name!r} for {group!r}, which is not a plain file name in the index's "
                    "folder (a folder part, `..` or an absolute path). Indexes written by kcore "
                    "or Keras never do this; the file may be malicious."
                )
        checked[group] = list(names)
    return checked
