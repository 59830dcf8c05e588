"""kcore: the Keras 3 API on any backend, through plugins.

Write `import kcore as keras` and use it as Keras 3. Submodules load on first use, so importing
kcore is quick, loads no plugin and imports no deep-learning framework.

Example:

>>> import kcore as keras
>>> keras.ops.convert_to_numpy(keras.ops.sum(keras.ops.ones((2, 3)))).item()
6.0
"""

from __future__ import annotations

import importlib

from kcore._version import __version__
from kcore.plugins.hookspecs import hookimpl

_SUBMODULES = (
    "activations",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "dtype_policies",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "optimizers",
    "plugins",
    "random",
    "regularizers",
    "saving",
    "testing",
    "trainers",
    "utils",
)
_ATTRIBUTES = {
    "KerasTensor": "kcore.backend.keras_tensor",
    "Variable": "kcore.backend.variables",
    "StatelessScope": "kcore.backend.scopes",
    "name_scope": "kcore.backend.scopes",
    "Layer": "kcore.layers",
    "Input": "kcore.layers",
    "InputSpec": "kcore.layers",
    "Model": "kcore.models",
    "Sequential": "kcore.models",
    "Functional": "kcore.models",
    "DTypePolicy": "kcore.dtype_policies",
}

__all__ = [*_ATTRIBUTES, "__version__", "hookimpl", *_SUBMODULES]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"kcore.{name}")
    if name in _ATTRIBUTES:
        return getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    raise AttributeError(f"module 'kcore' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
