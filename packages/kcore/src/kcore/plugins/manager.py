"""Discovers kcore plugins through entry points and keeps what they register.

Plugins load once, on first need (the first backend activation, `get_object`, `python -m kcore
plugins`...), never at `import kcore`. A plugin that fails to import, to validate against the
hookspecs or to register cleanly is skipped with a `KcorePluginWarning` that names its distribution.

Environment:

- ``KCORE_LOAD_PLUGINS``: comma-separated distribution (or entry-point) names allowed to load; an
  empty value loads none. kcore's own built-ins always load.
- ``KCORE_TRACE_PLUGINS=1``: traces every hook call on stderr.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import pluggy

from kcore.plugins import hookspecs

GROUP = "kcore"
BUILTIN_DISTRIBUTION = "kcore"
KINDS = {
    "backend": "kcore_register_backends",
    "object": "kcore_register_objects",
    "application": "kcore_register_applications",
    "tuner": "kcore_register_tuners",
}


class KcorePluginWarning(UserWarning):
    """A plugin was skipped or one of its registrations was ignored."""


@dataclass
class Registration:
    """One thing a plugin registered: a backend, a serializable object, an application or a tuner."""

    kind: str
    name: str
    target: Any
    plugin: str
    distribution: str
    metadata: dict = field(default_factory=dict)

    def load(self) -> Any:
        """Imports and returns the target (a module for backends, else the attribute named)."""
        return resolve(self.target)


@dataclass
class PluginInfo:
    """A loaded plugin: its entry point, distribution and registrations."""

    name: str
    distribution: str
    version: str
    module: str
    registrations: list[Registration] = field(default_factory=list)


def resolve(target: Any) -> Any:
    """Resolves an import string ``"pkg.module"`` or ``"pkg.module:attr.sub"``; other values pass through."""
    if not isinstance(target, str):
        return target
    module_name, _, attribute = target.partition(":")
    value = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        value = getattr(value, part)
    return value


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _Registry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.loaded = False
        self.plugins: list[PluginInfo] = []
        self.entries: dict[str, dict[str, Registration]] = {kind: {} for kind in KINDS}
        self.manager: pluggy.PluginManager | None = None

    def ensure_loaded(self) -> None:
        if self.loaded:
            return
        with self.lock:
            if not self.loaded:
                self._load()
                self.loaded = True

    def _load(self) -> None:
        manager = pluggy.PluginManager(GROUP)
        manager.add_hookspecs(hookspecs)
        if os.environ.get("KCORE_TRACE_PLUGINS", "") not in ("", "0"):
            manager.trace.root.setwriter(sys.stderr.write)
            manager.enable_tracing()
        self.manager = manager
        allowed = os.environ.get("KCORE_LOAD_PLUGINS")
        allowed = (
            None if allowed is None else {_normalize(n) for n in allowed.split(",") if n.strip()}
        )
        seen_builtin = False
        for entry_point in _entry_points():
            distribution = entry_point.dist.name if entry_point.dist else "unknown"
            version = entry_point.dist.version if entry_point.dist else "unknown"
            builtin = _normalize(distribution) == BUILTIN_DISTRIBUTION
            seen_builtin = seen_builtin or builtin
            if not builtin and allowed is not None:
                if not {_normalize(distribution), _normalize(entry_point.name)} & allowed:
                    continue
            self._add(entry_point.name, distribution, version, entry_point.value, entry_point.load)
        if not seen_builtin:
            # A source checkout without installed metadata: register the built-ins directly.
            from kcore._version import __version__

            self._add(
                BUILTIN_DISTRIBUTION,
                BUILTIN_DISTRIBUTION,
                __version__,
                "kcore._plugin",
                lambda: importlib.import_module("kcore._plugin"),
            )

    def _add(self, name, distribution, version, module_name, load) -> None:
        label = f"plugin {name!r} from distribution {distribution} {version}"
        try:
            module = load()
        except Exception as error:  # a broken plugin must never break kcore
            _warn(f"Skipped {label}: importing {module_name} failed: {error!r}")
            return
        manager = self.manager
        try:
            manager.register(module, name=name)
            manager.check_pending()
        except Exception as error:
            if manager.is_registered(module):
                manager.unregister(module)
            _warn(f"Skipped {label}: it does not match kcore's hookspecs: {error}")
            return
        info = PluginInfo(name, distribution, version, module_name)
        others = [p for p in manager.get_plugins() if p is not module]
        try:
            for kind, hook_name in KINDS.items():
                caller = manager.subset_hook_caller(hook_name, remove_plugins=others)
                caller(register=self._register_callback(kind, info))
        except Exception as error:
            manager.unregister(module)
            _warn(f"Skipped {label}: its {hook_name} hook failed: {error!r}")
            return
        for registration in info.registrations:
            existing = self.entries[registration.kind].get(registration.name)
            if existing is not None:
                _warn(
                    f"{label} registers {registration.kind} {registration.name!r}, already registered "
                    f"by distribution {existing.distribution}; keeping the first one."
                )
                continue
            self.entries[registration.kind][registration.name] = registration
        self.plugins.append(info)

    @staticmethod
    def _register_callback(kind: str, info: PluginInfo):
        def register(name: str, target: Any, **metadata: Any) -> None:
            if not isinstance(name, str) or not name:
                raise ValueError(f"register() needs a non-empty string name, got {name!r}")
            if kind == "backend" and not isinstance(target, str):
                raise ValueError(
                    f"backend {name!r} must be registered with an import string of its module "
                    f"(so nothing heavy is imported at discovery), got {target!r}"
                )
            if isinstance(target, str) and not re.fullmatch(r"[\w.]+(:[\w.]+)?", target):
                raise ValueError(
                    f"{kind} {name!r}: {target!r} is not an import string 'pkg.mod:attr'"
                )
            info.registrations.append(
                Registration(kind, name, target, info.name, info.distribution, metadata)
            )

        return register


def _entry_points():
    return sorted(
        importlib.metadata.entry_points(group=GROUP),
        key=lambda ep: (
            ep.dist is None or _normalize(ep.dist.name) != BUILTIN_DISTRIBUTION,
            ep.name,
        ),
    )


def _warn(message: str) -> None:
    warnings.warn(f"kcore: {message}", KcorePluginWarning, stacklevel=3)


_registry = _Registry()


def plugins() -> list[PluginInfo]:
    """Every loaded plugin, built-ins first."""
    _registry.ensure_loaded()
    return list(_registry.plugins)


def registered(kind: str) -> dict[str, Registration]:
    """What the plugins registered of one kind: ``"backend"``, ``"object"``, ``"application"`` or ``"tuner"``."""
    if kind not in KINDS:
        raise ValueError(f"Unknown registration kind {kind!r}; expected one of {tuple(KINDS)}.")
    _registry.ensure_loaded()
    return dict(_registry.entries[kind])


def get_object(registered_name: str) -> Any:
    """The class a plugin registered under ``registered_name`` (as in ``"package>ClassName"``)."""
    entry = registered("object").get(registered_name)
    if entry is None:
        raise KeyError(
            f"No plugin registered an object named {registered_name!r}. Install the plugin that "
            "provides it, or pass the class in `custom_objects`."
        )
    return entry.load()


def reset() -> None:
    """Forgets every plugin, so the next need loads them again (for tests and long-lived hosts)."""
    global _registry
    _registry = _Registry()
