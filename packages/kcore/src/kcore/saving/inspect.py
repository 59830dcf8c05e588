"""What a saved file holds, read without loading it: ``python -m kcore inspect FILE``.

`inspect_file` describes

- a `.keras` archive: its metadata (``keras_version``, ``date_saved``), the model's class and
  name, its layers (name, class, the input shape recorded in its build config, the number of
  values it stores), whether it has a compile config and optimizer state, and its weight tree;
- a `.weights.h5` file: its weight tree;
- a sharded `.weights.json` index (``save_weights(..., max_shard_size=...)``): the weight tree
  over all its shards, with the shard of each entry;
- a legacy Keras 2 `.h5`/`.hdf5` file: a summary of its ``model_config`` when it has one, and
  its weight tree.

A weight tree lists every HDF5 dataset (group path, key, shape, dtype, and the name of the
object that owns it) with totals. Only JSON and HDF5 metadata are read: no weight data, no model
is built, no module named in the file is imported and no code from it runs. HDF5 links to
other files are listed, not followed. An archive is checked as loading checks it
(`kcore.saving.saving_lib.check_archive`: no member outside the archive's folder, no zip bomb),
and a sharded index must name plain file names next to it.

Example:

>>> import os, tempfile
>>> import kcore
>>> model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2, name="out")])
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.weights.h5")
>>> model.save_weights(path)
>>> print(inspect_file(path).split("\\n", 1)[1])
Weights (HDF5):
  path                 shape   dtype    object
  layers/dense/vars/0  (3, 2)  float32  out
  layers/dense/vars/1  (2,)    float32  out
Total: 2 arrays, 8 values, 32.00 B
"""

from __future__ import annotations

import io
import json
import math
import os
import zipfile

from kcore.saving import h5_store, saving_lib

KINDS = (
    "kcore inspect reads .keras archives, .weights.h5 files, sharded .weights.json indexes and "
    "legacy Keras 2 .h5 files"
)
_SUFFIX_HINTS = {
    ".keras": "a .keras archive is a zip file, and this is not one",
    ".h5": "it is not an HDF5 file",
    ".hdf5": "it is not an HDF5 file",
}


class InspectError(ValueError):
    """A file `inspect_file` cannot read: missing, of an unknown kind, or corrupt. The message
    is one line naming the file."""


def inspect_file(filepath) -> str:
    """Describes the saved file at `filepath` (see the module docstring), reading metadata only.

    Args:
        filepath: `str` or `pathlib.Path` of a `.keras`, `.weights.h5`, `.weights.json` or
            legacy `.h5` file.

    Returns:
        The description, as lines of text.

    Raises:
        InspectError: for a missing, unknown or corrupt file (or an unsafe archive or index).
    """
    path = os.fspath(filepath)
    if not os.path.isfile(path):
        raise InspectError(f"cannot read {path!r}: no such file ({KINDS}).")
    if zipfile.is_zipfile(path):
        kind, describe = ".keras archive", _describe_archive
    elif _is_hdf5(path):
        kind, describe = "HDF5 weights file", _describe_hdf5
    elif path.endswith(".json"):
        kind, describe = "sharded .weights.json index", _describe_index
    else:
        hint = next(
            (text for suffix, text in _SUFFIX_HINTS.items() if path.endswith(suffix)),
            "it is not a kind of file kcore inspect knows",
        )
        raise InspectError(f"cannot read {path!r}: {hint} ({KINDS}).")
    try:
        lines = describe(path)
    except InspectError:
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InspectError(f"cannot read {path!r} as a {kind}: {reason} ({KINDS}).") from error
    return "\n".join(lines)


# --- kinds of files --------------------------------------------------------------------------


def _describe_archive(path: str) -> list:
    with zipfile.ZipFile(path, "r") as archive:
        saving_lib.check_archive(archive)
        names = archive.namelist()
        missing = [
            name
            for name in (saving_lib.CONFIG_FILENAME, saving_lib.VARS_FILENAME)
            if name not in names
        ]
        if missing:
            raise InspectError(
                f"cannot read {path!r} as a .keras archive: it has no {missing[0]!r} (it has "
                f"{names}) ({KINDS})."
            )
        config = _json(archive.read(saving_lib.CONFIG_FILENAME), saving_lib.CONFIG_FILENAME)
        metadata = {}
        if saving_lib.METADATA_FILENAME in names:
            metadata = _json(
                archive.read(saving_lib.METADATA_FILENAME), saving_lib.METADATA_FILENAME
            )
        weights = io.BytesIO(archive.read(saving_lib.VARS_FILENAME))
        assets = [name for name in names if name.startswith(f"{saving_lib.ASSETS_DIRNAME}/")]
    if not isinstance(config, dict):
        raise ValueError(f"{saving_lib.CONFIG_FILENAME} holds {type(config).__name__}, not a dict")
    h5py = h5_store._h5py()
    with h5py.File(weights, "r") as h5_file:
        entries = _entries(h5_file)
        heads = _layer_heads(h5_file)
    lines = [f"{path}: Keras archive (.keras)"]
    if isinstance(metadata, dict):
        for key in ("keras_version", "date_saved"):
            lines.append(f"{key}: {metadata.get(key, '-')}")
    lines.append(f"Model: {_class_and_name(config)}")
    lines.append(f"Compile config: {_compile_summary(config.get('compile_config'))}")
    lines.append(f"Optimizer state: {_optimizer_summary(entries, 'optimizer/')}")
    if assets:
        lines.append(f"Assets: {len(assets)} files")
    layer_configs = _layer_configs(config)
    if layer_configs is not None:
        totals = _totals_by_head(entries, "layers/")
        params = {name: totals.get(head, 0) for name, head in heads.items()}
        lines += ["", f"Layers ({len(layer_configs)}):"]
        lines += _layers_table(layer_configs, params, shape_key="input_shape")
    lines += ["", f"Weights ({saving_lib.VARS_FILENAME}):"]
    lines += _weights_table(entries)
    return lines


def _describe_hdf5(path: str) -> list:
    h5py = h5_store._h5py()
    with h5py.File(path, "r") as h5_file:
        attrs = {key: _text(value) for key, value in h5_file.attrs.items()}
        legacy = "model_config" in attrs or "layer_names" in attrs or "model_weights" in h5_file
        entries = _entries(h5_file)
    if legacy:  # Keras 2 groups a layer's weights under its name: the first part of the path
        for entry in entries:
            parts = entry["path"].split("/")
            top = parts[0] in ("model_weights", "optimizer_weights") and len(parts) > 2
            entry["owner"] = entry["owner"] or parts[1 if top else 0]
    if not legacy:
        return [f"{path}: weights file (.weights.h5)", "Weights (HDF5):", *_weights_table(entries)]
    lines = [f"{path}: legacy Keras HDF5 file (.h5)"]
    for key in ("keras_version", "backend"):
        if key in attrs:
            lines.append(f"{key}: {attrs[key]}")
    config = _json(attrs["model_config"], "model_config") if "model_config" in attrs else None
    if isinstance(config, dict):
        lines.append(f"Model: {_class_and_name(config)}")
        training = attrs.get("training_config")
        lines.append(f"Compile config (training_config): {'yes' if training else 'no'}")
        lines.append(f"Optimizer state: {_optimizer_summary(entries, 'optimizer_weights/')}")
        layer_configs = _layer_configs(config)
        if layer_configs is not None:
            params = _totals_by_head(entries, "model_weights/")
            lines += ["", f"Layers ({len(layer_configs)}):"]
            lines += _layers_table(layer_configs, params, shape_key="batch_input_shape")
    else:
        lines.append("Model: none (a weights-only file)")
    lines += ["", "Weights (HDF5):", *_weights_table(entries)]
    return lines


def _describe_index(path: str) -> list:
    weight_map = h5_store._read_index(path)
    folder = os.path.dirname(os.path.abspath(path))
    shards = sorted({name for names in weight_map.values() for name in names})
    h5py = h5_store._h5py()
    entries = []
    for shard in shards:
        filename = os.path.join(folder, shard)
        if not os.path.isfile(filename):
            raise InspectError(
                f"cannot read {path!r} as a sharded .weights.json index: it names the shard "
                f"{shard!r}, which is missing ({KINDS})."
            )
        with h5py.File(filename, "r") as h5_file:
            entries += [dict(entry, shard=shard) for entry in _entries(h5_file)]
    entries.sort(key=lambda entry: (_path_order(entry["path"]), entry["shard"]))
    lines = [
        f"{path}: sharded weights index (.weights.json)",
        f"Shards ({len(shards)}): {', '.join(shards) if shards else '-'}",
        "",
        "Weights (HDF5):",
    ]
    lines += _weights_table(entries, with_shard=True)
    return lines


# --- HDF5 ------------------------------------------------------------------------------------


def _is_hdf5(path: str) -> bool:
    try:
        return bool(h5_store._h5py().is_hdf5(path))
    except (OSError, ValueError):
        return False


def _entries(h5_file) -> list:
    """Every dataset and link under `h5_file`, as dicts (path, shape, dtype, owner, note),
    from metadata alone; links to other files are reported, not followed."""
    h5py = h5_store._h5py()
    found = []

    def walk(group, prefix, owner):
        if "name" in group.attrs:
            owner = _text(group.attrs["name"])
        for name in sorted(group, key=_key_order):
            where = f"{prefix}{name}"
            link = group.get(name, getlink=True)
            if isinstance(link, h5py.ExternalLink):
                note = f"external link to {link.filename}:{link.path} (not followed)"
                found.append(_entry(where, None, "-", owner, note))
                continue
            if isinstance(link, h5py.SoftLink):
                found.append(_entry(where, None, "-", owner, f"soft link to {link.path}"))
                continue
            item = group[name]
            if isinstance(item, h5py.Group):
                walk(item, f"{where}/", owner)
            elif isinstance(item, h5py.Dataset):
                dtype = _text(item.attrs.get("dtype", "")) or str(item.dtype)
                note = "data stored in external files" if item.external else ""
                entry = _entry(where, tuple(item.shape), dtype, owner, note)
                entry["bytes"] = math.prod(item.shape) * item.dtype.itemsize
                found.append(entry)

    walk(h5_file, "", "")
    return found


def _entry(path, shape, dtype, owner, note) -> dict:
    return {"path": path, "shape": shape, "dtype": dtype, "owner": owner, "note": note, "bytes": 0}


def _key_order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _path_order(path: str):
    return [_key_order(part) for part in path.split("/")]


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _layer_heads(h5_file) -> dict:
    """``{layer name: group under layers/}``, from the ``name`` attribute that Keras 3 and kcore
    write on each object's ``vars`` group (layers are saved under their class's name, not their
    own)."""
    h5py = h5_store._h5py()

    def hard_group(group, name):
        if isinstance(group.get(name, getlink=True), h5py.HardLink):
            item = group[name]
            return item if isinstance(item, h5py.Group) else None
        return None

    layers = hard_group(h5_file, "layers")
    heads = {}
    for head in sorted(layers or (), key=_key_order):
        group = hard_group(layers, head)
        variables = hard_group(group, "vars") if group is not None else None
        if variables is not None and "name" in variables.attrs:
            heads.setdefault(_text(variables.attrs["name"]), head)
    return heads


def _totals_by_head(entries, top: str) -> dict:
    """``{group right under top: number of values stored under it}``."""
    totals: dict = {}
    for entry in entries:
        if entry["shape"] is not None and entry["path"].startswith(top):
            head = entry["path"][len(top) :].split("/", 1)[0]
            totals[head] = totals.get(head, 0) + math.prod(entry["shape"])
    return totals


# --- configs ---------------------------------------------------------------------------------


def _json(data, what: str):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{what} is not valid JSON ({error})") from None


def _class_and_name(config: dict) -> str:
    inner = config.get("config") if isinstance(config.get("config"), dict) else {}
    text = f"{config.get('class_name', '?')} {inner.get('name', '?')!r}"
    module = config.get("module")
    registered = config.get("registered_name")
    if registered and registered != config.get("class_name"):
        text += f" (registered as {registered!r})"
    elif module and module not in ("keras", "keras.models"):
        text += f" (module {module!r})"
    return text


def _compile_summary(compile_config) -> str:
    if not isinstance(compile_config, dict) or not compile_config:
        return "no"
    parts = []
    for key in ("optimizer", "loss", "metrics"):
        value = compile_config.get(key)
        if value:
            parts.append(f"{key}: {_object_label(value)}")
    return "yes" + (f" ({', '.join(parts)})" if parts else "")


def _object_label(value) -> str:
    if isinstance(value, dict) and "class_name" in value:
        return str(value["class_name"])
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_object_label(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_object_label(v)}" for k, v in value.items()) + "}"
    return str(value)


def _optimizer_summary(entries, prefix: str) -> str:
    count = sum(1 for e in entries if e["shape"] is not None and e["path"].startswith(prefix))
    return f"yes ({count} variables)" if count else "no"


def _layer_configs(config: dict):
    inner = config.get("config")
    if isinstance(inner, dict) and isinstance(inner.get("layers"), list):
        return [layer for layer in inner["layers"] if isinstance(layer, dict)]
    if isinstance(inner, list):  # very old Sequential configs: a bare list of layers
        return [layer for layer in inner if isinstance(layer, dict)]
    return None


def _layer_shape(layer: dict, shape_key: str) -> str:
    build = layer.get("build_config")
    inner = layer.get("config") if isinstance(layer.get("config"), dict) else {}
    for value in (
        build.get("input_shape") if isinstance(build, dict) else None,
        inner.get(shape_key),
        inner.get("batch_shape"),
    ):
        if value is not None:
            return _shape(value)
    return "-"


def _shape(value) -> str:
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return "[" + ", ".join(_shape(v) for v in value) + "]"
    if isinstance(value, (list, tuple)):
        return str(tuple(value))
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shape(v)}" for k, v in value.items()) + "}"
    return str(value)


def _layers_table(layer_configs, params: dict, shape_key: str) -> list:
    rows = []
    for layer in layer_configs:
        inner = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = str(inner.get("name", "?"))
        rows.append(
            [
                name,
                str(layer.get("class_name", "?")),
                _layer_shape(layer, shape_key),
                f"{params[name]:,}" if name in params else "-",
            ]
        )
    total = sum(params.get(row[0], 0) for row in rows)
    return _table(["name", "class", "input shape", "params"], rows) + [
        f"Total: {total:,} params in {len(rows)} layers"
    ]


# --- tables ----------------------------------------------------------------------------------


def _weights_table(entries, with_shard: bool = False) -> list:
    from kcore.utils.summary_utils import readable_memory_size

    header = ["path", "shape", "dtype", "object"] + (["shard"] if with_shard else [])
    rows = []
    for entry in entries:
        shape = "-" if entry["shape"] is None else str(entry["shape"])
        row = [entry["path"], shape, entry["dtype"], entry["owner"] or "-"]
        if with_shard:
            row.append(entry["shard"])
        if entry["note"]:
            row[-1] += f"  ({entry['note']})"
        rows.append(row)
    arrays = [entry for entry in entries if entry["shape"] is not None]
    values = sum(math.prod(entry["shape"]) for entry in arrays)
    size = sum(entry["bytes"] for entry in arrays)
    if not rows:
        return ["  (no variables)", "Total: 0 arrays, 0 values, 0.00 B"]
    return _table(header, rows) + [
        f"Total: {len(arrays):,} arrays, {values:,} values, {readable_memory_size(size)}"
    ]


def _table(header, rows) -> list:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        return "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()

    return [line(header)] + [line(row) for row in rows]
