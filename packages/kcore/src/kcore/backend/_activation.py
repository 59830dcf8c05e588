"""Selecting, validating and activating a backend, and binding its functions for `kcore.ops`.

Selection order: ``KCORE_BACKEND``, then ``backend`` in `$KCORE_HOME/kcore.json`, then the first
installed of jax, torch, tensorflow, numpy. Activation happens on first need (the first op call or
`backend()`), so `import kcore` loads no plugin and imports no framework.
"""

from __future__ import annotations

import threading

from kcore import config
from kcore.backend import backend_bases, dtypes

PREFERENCE = ("jax", "torch", "tensorflow", "numpy")
# The pip extra of kcore that installs each first-party backend.
EXTRAS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}


class BackendNotFoundError(ImportError):
    """The requested backend is not installed (or unknown)."""


class BackendContractError(TypeError):
    """A backend module does not fulfil the backend contract."""


BackendNotFoundError.__module__ = BackendContractError.__module__ = "kcore.backend"


class _Bound:
    """The active backend's contract functions as attributes: an op call is one attribute lookup.

    Before activation, the first attribute access activates the selected backend.
    """

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if _state["name"] is None:
            activate()
            return getattr(self, name)
        raise AttributeError(f"The backend contract has no function named {name!r}.")


bound = _Bound()
_state: dict = {"name": None, "module": None, "capabilities": None, "registration": None}
_lock = threading.RLock()


def _installed():
    from kcore import plugins

    return plugins.registered("backend")


def installed_backends() -> list[str]:
    """Names of every backend a plugin registered."""
    return sorted(_installed())


def select_backend_name() -> str:
    """The backend to activate, by the selection order (does not activate it)."""
    name = config.configured_backend()
    if name:
        return name
    installed = _installed()
    for candidate in PREFERENCE:
        if candidate in installed:
            return candidate
    return "numpy"


def _not_found(name: str, installed) -> BackendNotFoundError:
    listed = ", ".join(sorted(installed)) or "none"
    if name in EXTRAS:
        return BackendNotFoundError(
            f'Backend {name!r} is not installed. Install it with: pip install "kcore[{EXTRAS[name]}]" '
            f"(installed backends: {listed})."
        )
    return BackendNotFoundError(
        f"Unknown backend {name!r}. Installed backends: {listed}. Set KCORE_BACKEND to one of "
        "them, or install the plugin that provides it."
    )


def activate(name: str | None = None):
    """Activates backend `name` (default: the selected one) and returns its module."""
    from kcore.backend.contract import FUNCTIONS, Capabilities, missing_functions

    with _lock:
        name = name or select_backend_name()
        if _state["name"] == name:
            return _state["module"]
        installed = _installed()
        registration = installed.get(name)
        if registration is None:
            raise _not_found(name, installed)
        origin = f"backend {name!r} (distribution {registration.distribution})"
        try:
            module = registration.load()
        except ImportError as error:
            hint = f' Reinstall it: pip install "kcore[{EXTRAS[name]}]".' if name in EXTRAS else ""
            raise BackendNotFoundError(f"{origin} failed to import: {error}.{hint}") from error
        capabilities = getattr(module, "capabilities", None)
        if not isinstance(capabilities, Capabilities):
            raise BackendContractError(
                f"{origin}: its module {module.__name__} must define `capabilities = "
                f"kcore.backend.contract.Capabilities(...)`, got {capabilities!r}."
            )
        missing = missing_functions(module)
        if missing:
            raise BackendContractError(
                f"{origin} lacks {len(missing)} required contract functions: {', '.join(missing)}."
            )
        for spec in FUNCTIONS.values():
            impl = getattr(module, spec.name, None)
            setattr(bound, spec.name, impl if callable(impl) else spec.stub)
        dtypes.set_promotion_policy(capabilities.default_int, capabilities.keep_64bit)
        backend_bases.install(bound.layer_base(), bound.variable_base())
        _state.update(
            name=name, module=module, capabilities=capabilities, registration=registration
        )
        return module


def backend() -> str:
    """The name of the active backend, such as ``"jax"`` (activating the selected one if needed)."""
    if _state["name"] is None:
        activate()
    return _state["name"]


def capabilities():
    """The active backend's `Capabilities`."""
    if _state["name"] is None:
        activate()
    return _state["capabilities"]


def backend_module():
    """The active backend's module."""
    if _state["name"] is None:
        activate()
    return _state["module"]
