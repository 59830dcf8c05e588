"""The kcore plugin system (pluggy, entry-point group ``kcore``); hooks in `kcore.plugins.hookspecs`."""

from kcore.plugins.hookspecs import hookimpl, hookspec
from kcore.plugins.manager import (
    KcorePluginWarning,
    PluginInfo,
    Registration,
    get_object,
    plugins,
    registered,
    reset,
    resolve,
)

__all__ = [
    "KcorePluginWarning",
    "PluginInfo",
    "Registration",
    "get_object",
    "hookimpl",
    "hookspec",
    "plugins",
    "registered",
    "reset",
    "resolve",
]
