"""Dtype names and Keras 3's type promotion rules (`result_type`).

kcore names dtypes by string everywhere (``"float32"``). Promotion follows Keras 3, which follows
JAX: a lattice where Python ``int``/``float`` scalars are *weak* and take the other operand's type,
and 64-bit results narrow to 32 bits unless the active backend keeps 64-bit results.

Example:

>>> from kcore.backend.dtypes import result_type
>>> result_type("int32", "float16")
'float16'
>>> result_type("int8", "uint8")
'int16'
>>> result_type("bfloat16", int)
'bfloat16'
"""

from __future__ import annotations

import functools

from kcore import config

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
WEAK_TYPES = ("int", "float", "complex")
ALLOWED_DTYPES = frozenset(
    BOOL_TYPES + INT_TYPES + FLOAT_TYPES + COMPLEX_TYPES + FLOAT8_TYPES + ("string",)
)

# Set by the active backend (see `Capabilities`): how Python ints convert, and whether 64-bit
# results are kept (TensorFlow's habit) or narrowed to 32 bits (JAX's, and Keras 3's default).
_policy = {"default_int": "int32", "keep_64bit": False}

_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def set_promotion_policy(default_int: str, keep_64bit: bool) -> None:
    """Called by backend activation; users never need it."""
    _policy["default_int"] = default_int
    _policy["keep_64bit"] = keep_64bit
    _lattice_result_type.cache_clear()


def standardize_dtype(dtype) -> str:
    """Returns the kcore name of a dtype given as a string, Python type, numpy or framework dtype.

    ``None`` means `kcore.config.floatx()`.
    """
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, str):
        name = dtype
    elif dtype is bool:
        return "bool"
    elif dtype is int:
        return _policy["default_int"]
    elif dtype is float:
        return "float32"
    elif dtype is complex:
        return "complex64"
    elif dtype is str:
        return "string"
    elif isinstance(dtype, type):
        name = dtype.__name__  # numpy scalar types, ml_dtypes types
    else:
        name = getattr(dtype, "name", None)
        if not isinstance(name, str):
            name = str(dtype)
    if name not in ALLOWED_DTYPES:
        name = _ALIASES.get(name.rsplit(".", 1)[-1], name.rsplit(".", 1)[-1])
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {sorted(ALLOWED_DTYPES)}.")
    return name


_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bool_": "bool",
    "str": "string",
    "object": "string",
    "cfloat": "complex64",
}


def is_float_dtype(dtype) -> bool:
    name = standardize_dtype(dtype)
    return name in FLOAT_TYPES or name in FLOAT8_TYPES


def is_int_dtype(dtype) -> bool:
    return standardize_dtype(dtype) in INT_TYPES


def is_complex_dtype(dtype) -> bool:
    return standardize_dtype(dtype) in COMPLEX_TYPES


def _lattice() -> dict[str, tuple[str, ...]]:
    """Each type mapped to the types just above it (the JAX promotion lattice)."""
    return {
        "bool": ("int",),
        "int": ("uint8", "int8", "complex"),
        "uint8": ("int16", "uint16"),
        "uint16": ("int32", "uint32"),
        "uint32": ("int64", "uint64"),
        "uint64": ("float",),
        "int8": ("int16",),
        "int16": ("int32",),
        "int32": ("int64",),
        "int64": ("float",),
        "float": ("bfloat16", "float16"),
        "bfloat16": ("float32",),
        "float16": ("float32",),
        "float32": ("float64", "complex64"),
        "float64": ("complex128",),
        "complex": ("complex64",),
        "complex64": ("complex128",),
        "complex128": (),
    }


def _upper_bounds() -> dict[str, frozenset[str]]:
    lattice = _lattice()
    bounds: dict[str, frozenset[str]] = {}

    def visit(node: str) -> frozenset[str]:
        if node not in bounds:
            above = {node}
            for parent in lattice[node]:
                above |= visit(parent)
            bounds[node] = frozenset(above)
        return bounds[node]

    for node in lattice:
        visit(node)
    return bounds


_UPPER = _upper_bounds()


def _least_upper_bound(nodes: frozenset[str]) -> str:
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    least = (common & nodes) or {c for c in common if common <= _UPPER[c]}
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(sorted(nodes))} have no implicit promotion path. "
            "Cast the inputs explicitly to the dtype you want."
        )
    return next(iter(least))


def _weak(dtype: str) -> str:
    if dtype == "bool":
        return dtype
    for kind in ("complex", "float", "int"):
        if kind in dtype or (kind == "float" and dtype == "bfloat16"):
            return kind
    return dtype


def _resolve_weak(dtype: str) -> str:
    # Keras 3 resolves a weak float to float{precision of floatx}, which turns a bfloat16 floatx
    # into float16; kcore resolves it to floatx itself.
    resolved = {"int": _policy["default_int"], "float": config.floatx(), "complex": "complex64"}
    return resolved.get(dtype, dtype)


@functools.lru_cache(maxsize=1024)
def _lattice_result_type(entries: tuple[tuple[str, bool], ...], floatx: str) -> str:
    names = [name for name, _ in entries]
    weak = [is_weak for _, is_weak in entries]
    if len(entries) == 1 or (len(set(names)) == 1 and not all(weak)):
        out, out_weak = names[0], weak[0] and len(entries) == 1
    elif all(weak):
        out, out_weak = _least_upper_bound(frozenset(names)), True
    else:
        out = _least_upper_bound(frozenset(_weak(n) if w else n for n, w in entries))
        out_weak = out in WEAK_TYPES
    if out_weak and out != "bool":
        out = _resolve_weak(_weak(out))
    elif out in WEAK_TYPES:
        out = _resolve_weak(out)
    if not _policy["keep_64bit"]:
        out = _NARROW.get(out, out)
    return out


def result_type(*dtypes) -> str:
    """The dtype of an operation on inputs of these dtypes, by Keras 3's promotion rules.

    Each argument is a dtype (string, numpy or framework dtype) or a Python type (`int`, `float`,
    `bool`: weak types); ``None`` stands for floatx. With no argument, returns floatx.
    """
    if not dtypes:
        return config.floatx()
    entries = []
    for dtype in dtypes:
        weak = dtype is int or dtype is float or dtype is complex
        name = standardize_dtype(dtype)
        if name in FLOAT8_TYPES:
            raise ValueError(
                f"There is no implicit conversion from float8 dtypes to others; cast explicitly. "
                f"Received: {dtypes}"
            )
        entries.append((name, weak))
    return _lattice_result_type(tuple(entries), config.floatx())
