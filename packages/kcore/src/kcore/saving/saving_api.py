"""`save_model`, `load_model`, `save_weights`, `load_weights`: Keras 3's saving functions.

Files are Keras 3's: a `.keras` archive (config, weights, metadata) for a whole model, a
`.weights.h5` file for its weights alone; each moves both ways between kcore and Keras 3. Every
write is atomic (see `kcore.saving.saving_lib`).

The legacy Keras 2 HDF5 format (`.h5`/`.hdf5`, see `kcore.saving.legacy_h5`) is read and written
as Keras 3 does: `save_model` writes it with a warning that the format is legacy; `load_model`
reads files written by Keras 3 and by Keras 2 / tf.keras 2.x (their old configs are converted,
built-in layers are found by class name, custom ones must be in ``custom_objects`` or
registered); `load_weights` reads such a file's weights in layer order or, with
``by_name=True``, by layer name. Refused: `save_weights` to a `.h5` path (Keras 3 wants
`.weights.h5`), lambdas without ``safe_mode=False``, Keras 2's CuDNNLSTM/CuDNNGRU and HDF5 links.

Example:

>>> import os, tempfile
>>> import numpy as np
>>> import kcore
>>> model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2)])
>>> folder = tempfile.mkdtemp()
>>> kcore.saving.save_model(model, os.path.join(folder, "model.keras"))
>>> loaded = kcore.saving.load_model(os.path.join(folder, "model.keras"))
>>> x = np.ones((1, 3), "float32")
>>> bool(np.allclose(kcore.ops.convert_to_numpy(model(x)), kcore.ops.convert_to_numpy(loaded(x))))
True
"""

from __future__ import annotations

import os
import warnings
import zipfile

from kcore.saving import legacy_h5, saving_lib

_LEGACY_H5 = (".h5", ".hdf5")


def _refuse_overwrite(filepath, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"The file {os.fspath(filepath)!r} already exists and `overwrite=False`. Pass "
            "`overwrite=True` to replace it, or choose another path."
        )


def save_model(model, filepath, overwrite=True, zipped=True, **kwargs) -> None:
    """Saves a model as a `.keras` archive: its config, its weights and its optimizer's state.

    Args:
        model: the model to save.
        filepath: `str` or `pathlib.Path` ending in `.keras` (or `.h5`/`.hdf5` for the legacy
            HDF5 format, with a warning; see `kcore.saving.legacy_h5`).
        overwrite: whether to replace an existing file; if False and the file exists, a
            `FileExistsError` is raised (Keras asks interactively instead).
        zipped: must be True (kcore writes zipped archives only).
        **kwargs: ``include_optimizer``: whether a legacy `.h5` file holds the compile arguments
            and the optimizer's state (ignored for `.keras` files, as in Keras).

    Raises:
        ValueError: for a path that does not end in `.keras`.
        FileExistsError: for an existing file with `overwrite=False`.
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    if kwargs.pop("save_format", None) is not None:
        raise ValueError(
            "The `save_format` argument is deprecated in Keras 3. Please remove this argument "
            f"and pass a file path with a `.keras` extension. Received: filepath={filepath}"
        )
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if not zipped:
        raise NotImplementedError(
            "kcore saves zipped `.keras` archives only: pass `zipped=True` (the default)."
        )
    text = os.fspath(filepath)
    if text.endswith(".weights.h5"):
        raise ValueError(
            "Invalid filepath extension for saving: a `.weights.h5` file holds weights only. Save "
            "the whole model with a `.keras` extension, or its weights with "
            f"`save_weights(model, filepath)`. Received: filepath={filepath}."
        )
    if text.endswith(_LEGACY_H5):
        warnings.warn(
            f"Saving {text!r} in the legacy HDF5 format of Keras 2. kcore and Keras 3 still read "
            "and write it, but it keeps less than a `.keras` archive (no assets such as lookup "
            "vocabularies; Keras 3 cannot always recompile it): prefer `model.save('model.keras')`.",
            stacklevel=2,
        )
        _refuse_overwrite(filepath, overwrite)
        legacy_h5.save_model_to_hdf5(model, filepath, include_optimizer=include_optimizer)
        return
    if not text.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add a `.keras` extension for the "
            f"native Keras format. Received: filepath={filepath}."
        )
    _refuse_overwrite(filepath, overwrite)
    saving_lib.save_model(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `save_model` (or Keras 3's `model.save`).

    Args:
        filepath: `str` or `pathlib.Path` of a `.keras` file, or of a legacy `.h5`/`.hdf5` file
            (written by Keras 3, Keras 2 or tf.keras 2.x).
        custom_objects: a dict mapping names to the custom classes or functions the model uses.
        compile: whether to compile the loaded model as it was compiled when saved.
        safe_mode: whether to refuse `lambda`s, whose loading would run code from the file.

    Returns:
        The model, with its weights (and its optimizer's state when it was saved compiled).
    """
    text = os.fspath(filepath)
    if text.endswith(".keras") and os.path.isfile(text) and zipfile.is_zipfile(text):
        return saving_lib.load_model(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if text.endswith(_LEGACY_H5):
        return legacy_h5.load_model_from_hdf5(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if text.endswith(".keras"):
        raise ValueError(
            f"File not found: filepath={filepath}. Please ensure the file is an accessible "
            "`.keras` zip file."
        )
    raise ValueError(
        f"File format not supported: filepath={filepath}. kcore loads `.keras` files (saved "
        "with `model.save()` or `kcore.saving.save_model()`)."
    )


def save_weights(model, filepath, overwrite=True, max_shard_size=None) -> None:
    """Saves the weights of `model` (and its optimizer's state) to a `.weights.h5` file, or to
    sharded files with `max_shard_size`.

    With `max_shard_size`, ``model.weights.json`` is an index (``metadata`` and ``weight_map``)
    of the shards ``model_00000.weights.h5``, ``model_00001.weights.h5``... written next to it,
    each holding at most `max_shard_size` GB of variables, as Keras 3 writes them (see
    `kcore.saving.h5_store.ShardedH5IOStore`). `load_weights` reads them back from the index.

    Args:
        model: a built model.
        filepath: `str` or `pathlib.Path` ending in `.weights.h5` (`.weights.json` with
            `max_shard_size`; a `.weights.h5` path then becomes `.weights.json`, with a warning).
        overwrite: whether to replace an existing file; if False and the file exists, a
            `FileExistsError` is raised.
        max_shard_size: None for a single file, or the most data per shard in GB (int or float,
            1 GB = 1024**3 bytes).

    Raises:
        ValueError: for a wrong extension, a `max_shard_size` that is not a positive number, or
            a variable larger than `max_shard_size` on its own.
    """
    text = os.fspath(filepath)
    if max_shard_size is None and not text.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={text}")
    if max_shard_size is not None and not text.endswith(("weights.h5", "weights.json")):
        raise ValueError(
            "The filename must end in `.weights.json` when `max_shard_size` is specified. "
            f"Received: filepath={text}"
        )
    if not model.built:
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    written = text  # the file that would be replaced: the index, for sharded weights
    if max_shard_size is not None and not text.endswith(".json"):
        written = os.path.splitext(text)[0] + ".json"
    _refuse_overwrite(written, overwrite)
    saving_lib.save_weights_only(model, filepath, max_shard_size=max_shard_size)


def load_weights(model, filepath, skip_mismatch=False, **kwargs) -> None:
    """Loads weights saved with `save_weights` (or `save_model`) into `model`.

    Args:
        model: a built model with the architecture the weights were saved from.
        filepath: `str` or `pathlib.Path` of a `.weights.h5` or `.keras` file, or the
            `.weights.json` index of sharded weights, or a legacy `.h5`/`.hdf5` file.
        skip_mismatch: whether to skip, with a warning, the layers whose variables do not match
            the file (count or shapes) instead of raising.
        **kwargs: ``by_name`` (legacy `.h5` files only): whether to match the file's layers with
            the model's by name instead of by order.

    Raises:
        ValueError: when a layer's variables do not match the file (and `skip_mismatch` is
            False); the model is then left unchanged.
    """
    text = os.fspath(filepath)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    legacy = text.endswith(_LEGACY_H5) and not text.endswith(".weights.h5")
    if by_name is not None and not legacy:
        raise ValueError(
            f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}"
        )
    if objects_to_skip is not None and legacy:
        raise ValueError(
            f"`objects_to_skip` only supports loading '.weights.h5' files. Received: {filepath}"
        )
    if objects_to_skip is not None:
        raise NotImplementedError("`objects_to_skip` is not supported yet.")
    if not model.built:
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building the "
            "model first by calling it on some data or by using `build()`."
        )
    if text.endswith((".weights.h5", ".weights.json", ".keras")):
        if not os.path.isfile(text):
            raise FileNotFoundError(f"No weights file at filepath={filepath}.")
        saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
        return
    if legacy:
        if not os.path.isfile(text):
            raise FileNotFoundError(f"No weights file at filepath={filepath}.")
        legacy_h5.load_weights_from_hdf5(
            model, filepath, by_name=bool(by_name), skip_mismatch=skip_mismatch
        )
        return
    raise ValueError(
        f"File format not supported: filepath={filepath}. kcore loads `.weights.h5`, "
        "`.weights.json` (sharded weights) and `.keras` files."
    )
