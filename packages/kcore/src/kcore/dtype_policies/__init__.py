"""Dtype policies: the dtype a layer computes in and the dtype it keeps its weights in.

``"float32"`` computes and stores in float32; ``"mixed_float16"`` and ``"mixed_bfloat16"`` compute in
16 bits and keep float32 weights, which layers read through an `AutocastScope`.

Example:

>>> policy = DTypePolicy("mixed_bfloat16")
>>> policy.compute_dtype, policy.variable_dtype
('bfloat16', 'float32')
"""

from __future__ import annotations

import threading

from kcore.backend.dtypes import standardize_dtype

_global = threading.local()


class DTypePolicy:
    """A layer's dtype policy.

    Args:
        name: ``"mixed_float16"``, ``"mixed_bfloat16"`` or a dtype name such as ``"float32"``
            (default: floatx).
    """

    _keras_module = "keras"

    def __init__(self, name=None):
        from kcore import config

        if name is None:
            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(
                f"A DTypePolicy's name must be a string such as 'float32' or 'mixed_float16', got "
                f"{name!r}."
            )
        if name in ("mixed_float16", "mixed_bfloat16"):
            self._compute_dtype = name.split("_", 1)[1]
            self._variable_dtype = "float32"
        else:
            try:
                dtype = standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot convert {name!r} to a dtype policy. Use 'mixed_float16', "
                    "'mixed_bfloat16' or a dtype name such as 'float32'."
                ) from None
            self._compute_dtype = self._variable_dtype = dtype
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations (and outputs)."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's weights."""
        return self._variable_dtype

    def convert_input(self, x, autocast, dtype):
        """`x` cast to `dtype` when it is a float tensor of another dtype and `autocast` is set."""
        from kcore import ops
        from kcore.backend.dtypes import is_float_dtype

        current = standardize_dtype(x.dtype)
        if autocast and is_float_dtype(current) and current != dtype:
            return ops.cast(x, dtype)
        return x

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    __hash__ = object.__hash__


FloatDTypePolicy = DTypePolicy


def set_dtype_policy(policy) -> None:
    """Sets the policy new layers use when created with `dtype=None`."""
    _global.policy = get(policy) if policy is not None else None


def dtype_policy() -> DTypePolicy:
    """The global dtype policy (floatx unless `set_dtype_policy` changed it)."""
    policy = getattr(_global, "policy", None)
    return policy if policy is not None else DTypePolicy()


def get(identifier) -> DTypePolicy:
    """A `DTypePolicy` from a policy, its name, a dtype, its serialized dict, or None (global)."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        if identifier.get("class_name") not in ("DTypePolicy", "FloatDTypePolicy", "Policy"):
            raise ValueError(f"Cannot interpret {identifier!r} as a dtype policy.")
        return DTypePolicy.from_config(identifier.get("config") or {})
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    if hasattr(identifier, "name") and isinstance(identifier.name, str):
        return DTypePolicy(identifier.name)  # a numpy dtype
    try:
        return DTypePolicy(standardize_dtype(identifier))
    except ValueError:
        raise ValueError(f"Cannot interpret {identifier!r} as a dtype policy.") from None


def serialize(policy: DTypePolicy) -> dict:
    """Keras 3's serialized form of a policy."""
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": policy.get_config(),
        "registered_name": None,
    }


deserialize = get

__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "deserialize",
    "dtype_policy",
    "get",
    "serialize",
    "set_dtype_policy",
]
