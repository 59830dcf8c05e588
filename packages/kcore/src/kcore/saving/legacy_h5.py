"""Legacy Keras 2 / tf.keras HDF5 files (`.h5`/`.hdf5`), read and written as Keras 3 does.

Layout of a whole-model file (``model.save("x.h5")``)::

    attributes  keras_version, backend, model_config (JSON), training_config (JSON, if compiled)
    model_weights/                  attributes layer_names, backend, keras_version
        <layer name>/               attribute weight_names; one dataset per name
            <weight name>           Keras 3: the variable's path ("seq/dense/kernel"),
                                    Keras 2: its TensorFlow name ("dense/kernel:0")
        top_level_model_weights/    the model's own variables (usually none)
    optimizer_weights/              attribute weight_names; the optimizer's variables

``model_config`` is ``{"class_name": ..., "config": ...}`` with the model's layers in the old
layout: ``{"class_name": "Dense", "config": {...}}`` without ``module`` (and ``name`` and
``inbound_nodes`` in a Functional model). A layer's weights are listed trainable first, then
non-trainable (``layer.trainable_weights + layer.non_trainable_weights``). Attributes longer than
HDF5's 64 KB header limit are split into ``<name>0``, ``<name>1``... A weights-only file (Keras 2's
``save_weights("x.h5")``) has the ``model_weights`` layout at its root.

The configs are converted in `kcore.saving.legacy_h5_config`. What loads: files written by Keras 3 and by Keras 2 / tf.keras 2.x, whose configs are converted
as Keras 3 converts them (``batch_input_shape``, ``axis`` saved as a one-item list, ``Model``
and ``Functional`` class names, inbound nodes as ``[[["layer", 0, 0, {}]]]``, initializers
without ``module``, lambdas saved as a list), plus what Keras 3 itself refuses but means nothing
today: ``time_major=False`` in recurrent layers, ``ragged=False`` in input layers, OptimizerV2's
``decay``. Built-in layers are found by class name in `kcore.layers`; any other class must be
in ``custom_objects`` or registered: no module named in a file is imported.

What is refused: lambdas unless ``safe_mode=False``; Keras 2's ``CuDNNLSTM``/``CuDNNGRU`` and
their weight layout; HDF5 links (soft or external) and datasets stored outside the file.
Writing a weights-only `.h5` file is refused as Keras 3 refuses it (use ``.weights.h5``).

Every write is atomic (`kcore.saving.saving_lib.atomic_path`) and deterministic: no timestamps
are stored, so saving the same model twice gives the same bytes.
"""

from __future__ import annotations

import json
import logging
import os
import warnings

import numpy as np

from kcore.saving import legacy_h5_config, saving_lib

HDF5_OBJECT_HEADER_LIMIT = 64512

_log = logging.getLogger("kcore")

_RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional")


def _h5py():
    try:
        import h5py
    except ImportError as error:  # pragma: no cover - h5py is a kcore dependency
        raise ImportError(
            "Reading or writing `.h5` files needs the `h5py` package: `pip install h5py`."
        ) from error
    return h5py


# --- saving ----------------------------------------------------------------------------------


def save_model_to_hdf5(model, filepath, include_optimizer=True) -> None:
    """Writes `model` to a legacy HDF5 file, as Keras 3's ``model.save("x.h5")`` does.

    Args:
        model: the model (a Sequential or Functional model, or a subclass with a config).
        filepath: `str` or `pathlib.Path`; its folder is created when missing.
        include_optimizer: whether to save the compile arguments (``training_config``) and the
            optimizer's variables.
    """
    h5py = _h5py()
    metadata = _model_metadata(model, include_optimizer)
    folder = os.path.dirname(os.fspath(filepath))
    if folder:
        os.makedirs(folder, exist_ok=True)
    with saving_lib.atomic_path(filepath) as temporary:
        with h5py.File(temporary, "w", track_order=False) as f:
            for key, value in metadata.items():
                if isinstance(value, dict):
                    value = json.dumps(value, default=_json_default).encode("utf8")
                f.attrs[key] = value
            _save_weights_to_group(f.create_group("model_weights"), model)
            optimizer = getattr(model, "optimizer", None)
            if include_optimizer and optimizer is not None:
                _save_optimizer_weights(f, optimizer)


def _versions():
    import kcore

    return kcore.__version__, kcore.backend.backend()


def _model_metadata(model, include_optimizer) -> dict:
    version, backend = _versions()
    metadata = {
        "keras_version": version,
        "backend": backend,
        "model_config": {"class_name": type(model).__name__, "config": _legacy_config(model)},
    }
    optimizer = getattr(model, "optimizer", None)
    arguments = getattr(model, "_compile_arguments", None)
    if include_optimizer and optimizer is not None and model.compiled and arguments:
        from kcore.saving.object_registration import get_registered_name

        training = {
            k: legacy_h5_config.legacy_object(v) for k, v in arguments.items() if k != "optimizer"
        }
        training["optimizer_config"] = {
            "class_name": get_registered_name(type(optimizer)),
            "config": optimizer.get_config(),
        }
        metadata["training_config"] = training
    return metadata


def _legacy_config(model) -> dict:
    from kcore.saving.serialization import serialize_keras_object

    return legacy_h5_config.legacy_model_config(serialize_keras_object(model)["config"])


def _json_default(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if isinstance(obj, bytes):
        return obj.decode("utf8")
    if hasattr(obj, "name") and type(obj).__name__ in ("DType", "dtype"):
        return obj.name
    raise TypeError(
        f"Cannot write {obj!r} of type {type(obj).__name__} into the JSON model config."
    )


def _legacy_weights(layer) -> list:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _own_weights(model) -> list:
    """The model's own variables (not its layers'), trainable first."""
    own = model._own_state_variables() if hasattr(model, "_own_state_variables") else []
    weights = {id(v) for v in model.weights}
    own = [v for v in own if id(v) in weights]
    return [v for v in own if v.trainable] + [v for v in own if not v.trainable]


def _save_weights_to_group(group, model) -> None:
    version, backend = _versions()
    layers = list(model.layers)  # Keras 3's order, which in-order loading follows
    _write_strings(group, "layer_names", [layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = backend.encode("utf8")
    group.attrs["keras_version"] = version.encode("utf8")
    # Sorted, as Keras does, so that no group name is created before a prefix of it.
    for layer in sorted(layers, key=lambda layer: layer.name):
        _save_variables(group.create_group(layer.name), _legacy_weights(layer))
    _save_variables(group.create_group("top_level_model_weights"), _own_weights(model))


def _save_variables(group, variables) -> None:
    names = [str(variable.path).encode("utf8") for variable in variables]
    _write_strings(group, "weight_names", names)
    for name, variable in zip(names, variables):
        value = np.asarray(variable.numpy())
        dataset = group.create_dataset(
            name.decode("utf8"), value.shape, dtype=value.dtype, track_times=False
        )
        dataset[()] = value


def _save_optimizer_weights(f, optimizer) -> None:
    variables = list(optimizer.variables)
    if variables:
        _save_variables(f.create_group("optimizer_weights"), variables)


def _write_strings(group, name, values: list) -> None:
    """Writes a list of byte strings as an attribute, split in chunks past HDF5's header limit."""
    too_long = [value for value in values if len(value) > HDF5_OBJECT_HEADER_LIMIT]
    if too_long:
        raise RuntimeError(
            f"These names cannot be saved in an HDF5 attribute: they are longer than "
            f"{HDF5_OBJECT_HEADER_LIMIT} bytes: {too_long}"
        )
    array = np.asarray(values)
    chunks = 1
    parts = np.array_split(array, chunks)
    while any(part.nbytes > HDF5_OBJECT_HEADER_LIMIT for part in parts):
        chunks += 1
        parts = np.array_split(array, chunks)
    if chunks > 1:
        for index, part in enumerate(parts):
            group.attrs[f"{name}{index}"] = part
    else:
        group.attrs[name] = values


# --- reading ---------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf8")
    return str(value)


def _read_strings(group, name) -> list:
    """An attribute written by `_write_strings` (or by Keras), chunked or not, as `str`s."""
    if name in group.attrs:
        return [_text(value) for value in group.attrs[name]]
    values, index = [], 0
    while f"{name}{index}" in group.attrs:
        values += [_text(value) for value in group.attrs[f"{name}{index}"]]
        index += 1
    return values


def _child(parent, name: str, kind: str):
    """The group or dataset ``name`` under `parent`, refusing links and external storage."""
    h5py = _h5py()
    current = parent
    for part in name.split("/"):
        if not part:
            raise ValueError(f"Invalid path in the HDF5 file: {name!r}.")
        if part not in current:
            raise ValueError(
                f"The HDF5 file {parent.file.filename!r} has no {kind} {name!r} under "
                f"{parent.name!r}: it is incomplete or not a Keras file."
            )
        link = current.get(part, getlink=True)
        if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
            raise ValueError(
                f"The HDF5 file {parent.file.filename!r} holds a {type(link).__name__} at "
                f"{name!r}. kcore refuses links in model files: re-save the model."
            )
        current = current[part]
    expected = h5py.Group if kind == "group" else h5py.Dataset
    if not isinstance(current, expected):
        raise ValueError(f"Invalid HDF5 file: {name!r} should be a {kind}.")
    if kind == "dataset" and current.external:
        raise ValueError(
            f"The HDF5 file {parent.file.filename!r} stores {name!r} in other files "
            f"({current.external}). kcore refuses to read data from outside the file."
        )
    return current


def _read_variables(group) -> tuple[list, list]:
    names = _read_strings(group, "weight_names")
    return names, [np.asarray(_child(group, name, "dataset")[()]) for name in names]


# --- loading weights -------------------------------------------------------------------------


def load_weights_from_hdf5(model, filepath, by_name=False, skip_mismatch=False) -> None:
    """Loads the weights of a legacy `.h5` file (whole model or weights only) into `model`.

    In order (the default), the file's layers that have weights are matched with the model's
    layers that have weights, one by one, as Keras does; with ``by_name=True``, each of the file's
    layers goes to the model's layers of the same name, and the model's other layers are left
    as they are. Each layer's weights are matched in Keras's legacy order (trainable, then
    non-trainable).

    Args:
        model: a built model.
        filepath: `str` or `pathlib.Path` of the `.h5`/`.hdf5` file.
        by_name: whether to match layers by name instead of by order.
        skip_mismatch: whether to skip, with a warning each, the layers whose weights do not
            match the file's (count or shapes) instead of raising.

    Raises:
        ValueError: when the layers or their weights do not match (the model is then left
            unchanged), or the file holds no legacy weights.
    """
    h5py = _h5py()
    with h5py.File(os.fspath(filepath), "r") as f:
        group = f
        if not _read_strings(f, "layer_names") and "model_weights" in f:
            group = _child(f, "model_weights", "group")
        if not _read_strings(group, "layer_names"):
            raise ValueError(
                f"The file {os.fspath(filepath)!r} holds no legacy Keras weights (no "
                "`layer_names` attribute). For a `.weights.h5` file saved by Keras 3 or kcore, "
                "use a filename ending in `.weights.h5`."
            )
        if by_name:
            assignments = _match_by_name(group, model, skip_mismatch)
        else:
            assignments = _match_in_order(group, model, skip_mismatch)
    _assign(assignments)


def _weights_group(f):
    return _child(f, "model_weights", "group")


def _match_in_order(group, model, skip_mismatch) -> list:
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    names = [
        name
        for name in _read_strings(group, "layer_names")
        if _read_strings(_child(group, name, "group"), "weight_names")
    ]
    if len(names) != len(layers):
        raise ValueError(
            "Layer count mismatch when loading weights from file. The model has "
            f"{len(layers)} layers with weights ({[layer.name for layer in layers]}), the file "
            f"{len(names)} ({names}). Load by name with `by_name=True` if the layers differ."
        )
    assignments = []
    for index, (name, layer) in enumerate(zip(names, layers)):
        assignments += _match(
            _legacy_weights(layer),
            *_read_variables(_child(group, name, "group")),
            where=f"layer #{index} (named {layer.name!r} in the model, {name!r} in the file)",
            layer=layer,
            skip_mismatch=skip_mismatch,
        )
    return assignments + _match_top_level(group, model, skip_mismatch)


def _match_by_name(group, model, skip_mismatch) -> list:
    index: dict = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    assignments = []
    for position, name in enumerate(_read_strings(group, "layer_names")):
        if name not in index:
            continue
        names, values = _read_variables(_child(group, name, "group"))
        for layer in index[name]:
            assignments += _match(
                _legacy_weights(layer),
                names,
                values,
                where=f"layer #{position} (named {name!r})",
                layer=layer,
                skip_mismatch=skip_mismatch,
            )
    return assignments + _match_top_level(group, model, skip_mismatch)


def _match_top_level(group, model, skip_mismatch) -> list:
    if "top_level_model_weights" not in group:
        return []
    names, values = _read_variables(_child(group, "top_level_model_weights", "group"))
    return _match(
        _own_weights(model),
        names,
        values,
        where=f"the top-level weights of model {model.name!r}",
        layer=model,
        skip_mismatch=skip_mismatch,
    )


def _match(variables, names, values, where, layer, skip_mismatch) -> list:
    """``[(variable, value)]`` when the file's weights fit `variables`; otherwise raises, or
    (with `skip_mismatch`) warns and returns nothing."""
    expected = [tuple(variable.shape) for variable in variables]
    found = [tuple(value.shape) for value in values]
    if expected == found:
        return list(zip(variables, values))
    message = (
        f"Cannot load the weights of {where}: the model expects {len(variables)} weight(s) "
        f"{[f'{v.path} {s}' for v, s in zip(variables, expected)]}, the file has "
        f"{len(values)} weight(s) {[f'{n} {s}' for n, s in zip(names, found)]}."
        f"{_recurrent_hint(layer)}"
    )
    if skip_mismatch:
        warnings.warn(message + " This layer was skipped (`skip_mismatch=True`).", stacklevel=5)
        return []
    raise ValueError(message + " Pass `skip_mismatch=True` to skip the layers that differ.")


def _recurrent_hint(layer) -> str:
    if type(layer).__name__ not in _RECURRENT:
        return ""
    return (
        " If the file comes from Keras 2's CuDNNLSTM/CuDNNGRU (or from a GRU with another "
        "`reset_after`), its weights use another layout, which kcore does not convert."
    )


def _assign(assignments) -> None:
    for variable, value in assignments:
        variable.assign(value)


# --- loading a model -------------------------------------------------------------------------


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds the model saved in a legacy `.h5` file (Keras 3's or Keras 2's): config,
    weights, and, with `compile`, its compile arguments and optimizer state.

    Args:
        filepath: `str` or `pathlib.Path` of the `.h5`/`.hdf5` file.
        custom_objects: a dict mapping names to the custom classes or functions the model uses.
        compile: whether to compile the model as it was compiled when saved (a model saved
            uncompiled is returned uncompiled).
        safe_mode: whether to refuse `lambda`s, whose loading would run code from the file.

    Returns:
        The model.

    Raises:
        ValueError: for a file without a model config (weights only), a lambda in safe mode,
            weights that do not fit the model.
        TypeError: for a class that is neither built in nor in `custom_objects`.
    """
    h5py = _h5py()
    with h5py.File(os.fspath(filepath), "r") as f:
        raw = f.attrs.get("model_config")
        if raw is None:
            raise ValueError(
                f"No model config found in the file at {os.fspath(filepath)!r}: it holds weights "
                "only. Build the model and call `model.load_weights(filepath)`."
            )
        config = json.loads(_text(raw))
        version = _text(f.attrs.get("keras_version", "1"))
        model = _model_from_config(config, custom_objects, safe_mode, version)
        _assign(_match_in_order(_weights_group(f), model, skip_mismatch=False))
        if compile:
            _compile(model, f, custom_objects)
    return model


def _model_from_config(config, custom_objects, safe_mode, version):
    from kcore.saving.scopes import ObjectSharingScope
    from kcore.saving.serialization import deserialize_keras_object

    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(
            "The model config of this file is not a Keras configuration: expected a dict with a "
            f"'config' key. Received: {str(config)[:200]}"
        )
    upgraded = legacy_h5_config.Upgrader(custom_objects, version).entry(config)
    with ObjectSharingScope():
        return deserialize_keras_object(
            upgraded, custom_objects=custom_objects, safe_mode=safe_mode
        )


# --- compiling -------------------------------------------------------------------------------


def _compile(model, f, custom_objects) -> None:
    raw = f.attrs.get("training_config")
    if raw is None:
        _log.warning(
            "No training configuration found in the save file, so the model was *not* "
            "compiled. Compile it manually."
        )
        return
    model.compile(**legacy_h5_config.compile_arguments(json.loads(_text(raw)), custom_objects))
    if "optimizer_weights" in f:
        _load_optimizer_weights(model, _child(f, "optimizer_weights", "group"))


def _load_optimizer_weights(model, group) -> None:
    optimizer = model.optimizer
    names, values = _read_variables(group)
    try:
        if not getattr(optimizer, "built", True):
            optimizer.build(model.trainable_variables)
    except Exception as error:
        warnings.warn(
            f"Could not create the variables of optimizer {optimizer.name!r} ({error}), so the "
            "saved optimizer state cannot be restored: the model starts with a freshly "
            "initialized optimizer.",
            stacklevel=4,
        )
        return
    variables = list(optimizer.variables)
    expected = [tuple(variable.shape) for variable in variables]
    if expected != [tuple(value.shape) for value in values]:
        warnings.warn(
            f"Could not restore the saved optimizer state: optimizer {optimizer.name!r} has "
            f"{len(variables)} variables, the file {len(values)} of other shapes or order "
            f"({names[:3]}...). The model starts with a freshly initialized optimizer.",
            stacklevel=4,
        )
        return
    _assign(zip(variables, values))
