"""`save_model`, `load_model`, `save_weights`, `load_weights`: Keras 3's saving functions.

Files are Keras 3's: a `.keras` archive (config, weights, metadata) for a whole model, a
`.weights.h5` file for its weights alone; each moves both ways between kcore and Keras 3. Every
write is atomic (see `kcore.saving.saving_lib`).

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
import zipfile

from kcore.saving import saving_lib

_LEGACY_H5 = (".h5", ".hdf5")


def _legacy_h5_error(filepath, action: str) -> NotImplementedError:
    return NotImplementedError(
        f"{action} the legacy Keras 2 HDF5 format (`.h5`/`.hdf5`) is not supported yet. "
        f"Received: filepath={filepath}. Use the native format instead: a `.keras` file for a "
        "whole model, a `.weights.h5` file for weights alone."
    )


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
        filepath: `str` or `pathlib.Path` ending in `.keras`.
        overwrite: whether to replace an existing file; if False and the file exists, a
            `FileExistsError` is raised (Keras asks interactively instead).
        zipped: must be True (kcore writes zipped archives only).
        **kwargs: ``include_optimizer`` (ignored for `.keras` files, as in Keras).

    Raises:
        ValueError: for a path that does not end in `.keras`.
        FileExistsError: for an existing file with `overwrite=False`.
    """
    kwargs.pop("include_optimizer", None)
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
        raise _legacy_h5_error(filepath, "Saving to")
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
        filepath: `str` or `pathlib.Path` of a `.keras` file.
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
        raise _legacy_h5_error(filepath, "Loading")
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
    """Saves the weights of `model` (and its optimizer's state) to a `.weights.h5` file.

    Args:
        model: a built model.
        filepath: `str` or `pathlib.Path` ending in `.weights.h5`.
        overwrite: whether to replace an existing file; if False and the file exists, a
            `FileExistsError` is raised.
        max_shard_size: not supported yet (must be None).
    """
    text = os.fspath(filepath)
    if max_shard_size is not None:
        raise NotImplementedError(
            "Sharded weights files (`max_shard_size`) are not supported yet: leave "
            "`max_shard_size=None` to write a single `.weights.h5` file."
        )
    if not text.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={text}")
    if not model.built:
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    _refuse_overwrite(filepath, overwrite)
    saving_lib.save_weights_only(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, **kwargs) -> None:
    """Loads weights saved with `save_weights` (or `save_model`) into `model`.

    Args:
        model: a built model with the architecture the weights were saved from.
        filepath: `str` or `pathlib.Path` of a `.weights.h5` or `.keras` file.
        skip_mismatch: whether to skip, with a warning, the layers whose variables do not match
            the file (count or shapes) instead of raising.

    Raises:
        ValueError: when a layer's variables do not match the file (and `skip_mismatch` is
            False); the model is then left unchanged.
    """
    text = os.fspath(filepath)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if by_name is not None:
        raise ValueError(
            f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}"
        )
    if objects_to_skip is not None:
        raise NotImplementedError("`objects_to_skip` is not supported yet.")
    if not model.built:
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building the "
            "model first by calling it on some data or by using `build()`."
        )
    if text.endswith((".weights.h5", ".keras")):
        if not os.path.isfile(text):
            raise FileNotFoundError(f"No weights file at filepath={filepath}.")
        saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
        return
    if text.endswith(_LEGACY_H5):
        raise _legacy_h5_error(filepath, "Loading weights from")
    raise ValueError(
        f"File format not supported: filepath={filepath}. kcore loads `.weights.h5` and "
        "`.keras` files."
    )
