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

h5py is imported on first use, so importing kcore does not load it.
"""

from __future__ import annotations

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
