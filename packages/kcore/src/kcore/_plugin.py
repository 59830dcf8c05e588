"""kcore's built-in plugin: it registers the numpy reference backend through the public hooks."""

from kcore.plugins.hookspecs import hookimpl


@hookimpl
def kcore_register_backends(register):
    register(
        "numpy",
        "kcore.backend.numpy",
        description="numpy reference backend (inference only)",
        extra=None,
    )
