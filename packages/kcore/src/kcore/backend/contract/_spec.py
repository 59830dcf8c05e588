"""How the backend contract is written down: one stub function per contract function.

A stub's signature and docstring *are* the contract: the backend function takes the same arguments
and has the semantics the docstring states. A ``required`` stub has no body. An ``optional`` stub's
body is its composed fallback, written with `kcore.ops`, used when a backend does not provide the
function. `kcore.ops` exposes every contract function under the same name.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the backend contract."""

    name: str
    group: str
    stub: Callable
    optional: bool
    # Computes the symbolic result from KerasTensor inputs, for ops whose result cannot be found
    # by running the op on placeholder values (results that depend on values, or non-tensor results).
    output_spec: Callable | None = None
    # The op accepts KerasTensors (False: it needs concrete values, such as convert_to_numpy).
    symbolic: bool = True
    # The op takes a user `seed` (int, SeedGenerator or None) that kcore turns into the (2,) uint32
    # seed tensor the backend function receives.
    seeded: bool = False
    # Exported as `kcore.ops.<name>` (False: a backend primitive kcore uses internally).
    public: bool = True
    # Not an op but a hook of the backend's integration (variables' storage, layer bases, fused
    # optimizer updates): checked by the conformance suite's training tests, not by cases.
    hook: bool = False

    @property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.stub)

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.stub) or ""


@dataclass
class Group:
    """The contract functions of one group (core, numpy, nn, math, linalg, random, image, rnn)."""

    name: str
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    # Public op names that are another name for a contract function (``abs`` -> ``absolute``).
    aliases: dict[str, str] = field(default_factory=dict)

    def alias(self, name: str, target: str) -> None:
        """Makes `kcore.ops.<name>` another name for the contract function `target`."""
        self.aliases[name] = target

    def _add(self, fn, optional, **options):
        def add(fn):
            if fn.__name__ in self.functions:
                raise ValueError(
                    f"contract function {fn.__name__!r} is defined twice in {self.name}"
                )
            self.functions[fn.__name__] = FunctionSpec(
                fn.__name__, self.name, fn, optional, **options
            )
            return fn

        return add(fn) if fn is not None else add

    def required(self, fn=None, *, output_spec=None, symbolic=True, seeded=False, public=True):
        """Marks a function every backend must provide."""
        return self._add(
            fn, False, output_spec=output_spec, symbolic=symbolic, seeded=seeded, public=public
        )

    def optional(self, fn=None, *, output_spec=None, symbolic=True, seeded=False, public=True):
        """Marks a function a backend may provide; the stub's body is the fallback."""
        return self._add(
            fn, True, output_spec=output_spec, symbolic=symbolic, seeded=seeded, public=public
        )

    def hook(self, fn):
        """Marks an optional, non-public integration hook (see `FunctionSpec.hook`); the stub's
        body is the default."""
        return self._add(fn, True, symbolic=False, public=False, hook=True)


class _LazyOps:
    """`kcore.ops`, imported on first use, for the fallback bodies of optional stubs."""

    def __getattr__(self, name):
        import kcore.ops

        return getattr(kcore.ops, name)


ops = _LazyOps()
