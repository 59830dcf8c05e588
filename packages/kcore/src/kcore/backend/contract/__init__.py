"""The backend contract: every function a kcore backend provides, and its capability flags.

A backend is a module (registered through the ``kcore_register_backends`` hook) that defines:

- one function per *required* contract function, with the stub's name and signature;
- any of the *optional* functions (missing ones fall back to the stub's composed body);
- ``capabilities``: a `Capabilities` instance.

The functions are grouped as in Keras 3's backends: core, numpy, nn, math, linalg, random, image, rnn.
Read a group module (`kcore.backend.contract.nn`, ...) for each function's signature and semantics,
or list them with `functions()`. `kcore.testing` checks a backend against this contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kcore.backend.contract import core, image, linalg, math, nn, numpy, random, rnn
from kcore.backend.contract._spec import FunctionSpec, Group

GROUPS: dict[str, Group] = {
    module.group.name: module.group
    for module in (core, numpy, nn, math, linalg, random, image, rnn)
}


def _collect() -> dict[str, FunctionSpec]:
    functions: dict[str, FunctionSpec] = {}
    for group in GROUPS.values():
        for name, spec in group.functions.items():
            if name in functions:
                raise ValueError(
                    f"contract function {name!r} is defined in both {functions[name].group} "
                    f"and {group.name}; each name must be unique"
                )
            functions[name] = spec
    return functions


FUNCTIONS: dict[str, FunctionSpec] = _collect()


def exported(namespace: dict) -> list[str]:
    """The contract functions a backend module defines, to be its ``__all__`` (`namespace` is the
    module's ``globals()``): the backend gathers its group modules with ``from module import *``,
    and no module lists its functions by hand. Functions it imports are not exported again (a
    private helper that shares a contract name must not replace the contract function)."""
    module = namespace.get("__name__")
    return [
        name
        for name in FUNCTIONS
        if callable(fn := namespace.get(name)) and getattr(fn, "__module__", None) == module
    ]


ALL_DTYPES = (
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; kcore and the conformance suite read these instead of backend names.

    Args:
        supports_training: has autodiff (gradients, training steps).
        supports_jit: can compile functions (`jit_compile=True`).
        dtypes: the dtypes its tensors support.
        default_int: the dtype a Python int converts to.
        keep_64bit: type promotion keeps int64/float64 results (as TensorFlow does) instead of
            narrowing them to 32 bits (as JAX and Keras 3 do by default).
        supports_sparse: has sparse tensors.
        description: one line shown by `python -m kcore info`.
        auto_jit_compile: what `jit_compile="auto"` resolves to (whole-program compilation by
            default; TensorFlow on CPU and torch say no, as in Keras 3).
        mutable_variables: variables keep their value in a mutable container (`variable_state`)
            that compiled functions update in place: kcore compiles the stateful steps as they
            are instead of turning them into pure functions of the state.
        device_loops: `scan` runs as one compiled loop on the device, so several training steps
            run in one compiled call (`steps_per_execution`, auto-grouping); without it kcore
            calls the step once per batch.
        graph_capture: `jit(fun, jit_compile=False)` captures the op graph of a pure function
            and replays it without running its Python (torch: `make_fx` on fake tensors); it
            raises `CaptureFailed` when `fun` cannot be captured (data-dependent Python). The
            trainer then hands it the pure form of a step that has run often enough to pay for
            the capture, and runs the step eagerly where capture fails.
    """

    supports_training: bool = False
    supports_jit: bool = False
    dtypes: tuple[str, ...] = ALL_DTYPES
    default_int: str = "int32"
    keep_64bit: bool = False
    supports_sparse: bool = False
    description: str = ""
    auto_jit_compile: bool = True
    mutable_variables: bool = False
    device_loops: bool = True
    graph_capture: bool = False
    extra: dict = field(default_factory=dict)


class CaptureFailed(Exception):
    """Raised by a `graph_capture` backend's `jit` when it cannot capture a function's graph (the
    function reads tensor values in Python, draws from a stateful generator, ...)."""


def functions(group: str | None = None) -> list[FunctionSpec]:
    """The contract functions, all or of one group."""
    if group is None:
        return list(FUNCTIONS.values())
    if group not in GROUPS:
        raise ValueError(f"Unknown contract group {group!r}; expected one of {tuple(GROUPS)}.")
    return list(GROUPS[group].functions.values())


def missing_functions(module) -> list[str]:
    """The required contract functions `module` does not define."""
    return [
        spec.name
        for spec in FUNCTIONS.values()
        if not spec.optional and not callable(getattr(module, spec.name, None))
    ]


__all__ = [
    "Capabilities",
    "CaptureFailed",
    "FUNCTIONS",
    "FunctionSpec",
    "GROUPS",
    "exported",
    "functions",
    "missing_functions",
]
