"""Where the active backend's own classes join the bases of kcore's layers and variables.

A backend may name a class through the contract's `layer_base` (torch names one deriving from
`torch.nn.Module`, so every kcore layer is a torch module whose variables are its parameters) and
`variable_base` (TensorFlow names one that lets `tf.GradientTape` and `tf.convert_to_tensor` take a
kcore Variable). kcore never imports the framework: activating the backend swaps the bases of
`BackendLayer` and `BackendVariable`, which every layer and variable inherit from, and every
class below them follows.
"""

from __future__ import annotations


class _LayerRoot:
    """The bases `BackendLayer` starts with: a plain class, so that they can be swapped for any
    other plain-Python class (Python refuses to swap `object` for one)."""


class _VariableRoot:
    """The bases `BackendVariable` starts with (see `_LayerRoot`)."""


class BackendLayer(_LayerRoot):
    """The active backend's layer base (see the module docstring); empty on most backends."""


class BackendVariable(_VariableRoot):
    """The active backend's variable base (see the module docstring); empty on most backends."""


def install(layer_base, variable_base) -> None:
    """Makes `layer_base` and `variable_base` (classes, or None for none) the bases of every kcore
    layer and variable."""
    for cls, base, root in (
        (BackendLayer, layer_base, _LayerRoot),
        (BackendVariable, variable_base, _VariableRoot),
    ):
        wanted = (base,) if base is not None else (root,)
        if cls.__bases__ != wanted:
            cls.__bases__ = wanted
