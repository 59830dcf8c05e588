"""The hooks a kcore plugin may implement.

A plugin is a module named by an entry point in the ``kcore`` group:

.. code-block:: toml

    [project.entry-points.kcore]
    mybackend = "mybackend._plugin"

Every hook receives a ``register`` callback; the plugin calls it once per thing it provides. kcore
owns the registries, so a plugin never imports a heavy framework at discovery: it hands over names
and lazy import strings (``"package.module:attribute"``) or factories, which kcore resolves on first use.

Example plugin module:

.. code-block:: python

    import kcore

    @kcore.hookimpl
    def kcore_register_backends(register):
        register("toy", "toy_backend.backend", description="a toy backend")

    @kcore.hookimpl
    def kcore_register_objects(register):
        register("toy>Scale", "toy_backend.layers:Scale")
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("kcore")
hookimpl = pluggy.HookimplMarker("kcore")


@hookspec
def kcore_register_backends(register):
    """Registers backends.

    Call ``register(name, module, *, description="", extra=None)`` for each backend:

    - ``name``: what users select, as in ``KCORE_BACKEND=name``.
    - ``module``: import string of the module implementing the backend contract
      (see ``kcore.backend.contract``); imported only when the backend is activated.
    - ``description``: one line shown by ``python -m kcore plugins``.
    - ``extra``: the pip extra of kcore that installs it (``"torch"`` for ``kcore[torch]``).
    """


@hookspec
def kcore_register_objects(register):
    """Registers serializable classes: layers, losses, metrics, optimizers, callbacks...

    Call ``register(registered_name, target)`` with ``registered_name`` as Keras writes it in saved
    configs (``"package>ClassName"``) and ``target`` the class or an import string
    ``"package.module:ClassName"``. ``kcore.plugins.get_object(registered_name)`` resolves it, so a
    saved model finds the class without ``custom_objects``.
    """


@hookspec
def kcore_register_applications(register):
    """Registers pretrained applications (model zoo entries).

    Call ``register(name, target)`` with ``target`` a factory or an import string of one,
    for example ``register("ResNet50", "kapps.resnet:ResNet50")``.
    """


@hookspec
def kcore_register_tuners(register):
    """Registers hyperparameter tuners.

    Call ``register(name, target)`` with ``target`` a tuner class or an import string of one,
    for example ``register("random", "ktuner.random:RandomSearch")``.
    """
