"""Global configuration, as `keras.config` holds it.

Values come from `$KCORE_HOME/kcore.json` (default `~/.kcore/kcore.json`) when that file exists,
else from Keras 3's defaults. Reading the file is the only disk access: kcore never writes it.

Example:

>>> import kcore
>>> kcore.config.floatx()
'float32'
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_IMAGE_DATA_FORMATS = ("channels_last", "channels_first")
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")


def kcore_home() -> Path:
    """The folder kcore reads its settings from: `$KCORE_HOME`, else `~/.kcore`."""
    return Path(os.environ.get("KCORE_HOME") or Path.home() / ".kcore")


def _read_settings() -> dict:
    path = kcore_home() / "kcore.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    try:
        settings = json.loads(text)
    except ValueError as error:
        raise ValueError(
            f"The kcore settings file {path} is not valid JSON ({error}). "
            "Fix or delete it; kcore then uses its defaults."
        ) from None
    if not isinstance(settings, dict):
        raise ValueError(
            f"The kcore settings file {path} must hold a JSON object, got {settings!r}."
        )
    return settings


_SETTINGS = _read_settings()
_state = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}


def floatx() -> str:
    """The default float dtype, `"float32"` unless set otherwise."""
    return _state["floatx"]


def set_floatx(value: str) -> None:
    """Sets the default float dtype: one of bfloat16, float16, float32, float64."""
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown floatx type: {value!r}. Expected one of {_FLOAT_TYPES}.")
    _state["floatx"] = value


def epsilon() -> float:
    """The fuzz factor used in numeric expressions, `1e-07` unless set otherwise."""
    return _state["epsilon"]


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions."""
    _state["epsilon"] = float(value)


def image_data_format() -> str:
    """`"channels_last"` (the default) or `"channels_first"`."""
    return _state["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Sets the image data format: `"channels_last"` or `"channels_first"`."""
    data_format = str(data_format).lower()
    if data_format not in _IMAGE_DATA_FORMATS:
        raise ValueError(
            f"Unknown data_format: {data_format!r}. Expected one of {_IMAGE_DATA_FORMATS}."
        )
    _state["image_data_format"] = data_format


def standardize_data_format(data_format: str | None) -> str:
    """Resolves `None` to the configured format and checks the value."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in _IMAGE_DATA_FORMATS:
        raise ValueError(
            f"Unknown data_format: {data_format!r}. Expected one of {_IMAGE_DATA_FORMATS}."
        )
    return data_format


def backend() -> str:
    """The name of the active backend (activating it if needed)."""
    from kcore.backend import backend as _backend

    return _backend()


def configured_backend() -> str | None:
    """The backend named by `KCORE_BACKEND` or the settings file, if any."""
    return os.environ.get("KCORE_BACKEND") or _SETTINGS.get("backend") or None


for _key, _setter in (
    ("floatx", set_floatx),
    ("epsilon", set_epsilon),
    ("image_data_format", set_image_data_format),
):
    if _key in _SETTINGS:
        _setter(_SETTINGS[_key])
