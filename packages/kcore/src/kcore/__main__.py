"""The `kcore` command line: `python -m kcore plugins | info | conformance BACKEND | inspect FILE`.

- ``plugins``: every installed plugin and what it registered.
- ``info``: versions, the active backend and the installed ones.
- ``conformance BACKEND [PYTEST ARGS]``: runs the backend conformance suite (needs pytest).
- ``inspect FILE``: what a saved file holds, read without loading it (see
  `kcore.saving.inspect`): for a `.keras` archive its metadata, model class and name, layers,
  compile config, optimizer state and weight tree; for a `.weights.h5` file or a sharded
  `.weights.json` index the weight tree (with each entry's shard); for a legacy Keras 2 `.h5` file
  its model config and weight tree. Only JSON and HDF5 metadata are read: no model is built and
  no code from the file runs. A file it cannot read gives exit code 2 and a one-line message.
  For example, ``python -m kcore inspect model.weights.h5`` prints::

      model.weights.h5: weights file (.weights.h5)
      Weights (HDF5):
        path                   shape   dtype    object
        layers/dense/vars/0    (3, 4)  float32  dense
        layers/dense/vars/1    (4,)    float32  dense
      Total: 2 arrays, 16 values, 64.00 B
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import sys


def _plugins(args) -> int:
    from kcore import plugins

    infos = plugins.plugins()
    for info in infos:
        print(f"{info.distribution} {info.version}  (plugin {info.name!r}, module {info.module})")
        if not info.registrations:
            print("    registers nothing")
        for registration in info.registrations:
            detail = registration.metadata.get("description") or registration.target
            if not isinstance(detail, str):
                detail = f"{getattr(detail, '__module__', '?')}.{getattr(detail, '__qualname__', detail)}"
            print(f"    {registration.kind:<12} {registration.name:<24} {detail}")
    return 0


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _info(args) -> int:
    import kcore
    from kcore import backend, config

    print(f"kcore {kcore.__version__}")
    print(f"python {platform.python_version()} ({sys.executable})")
    for distribution in ("numpy", "ml_dtypes", "optree", "pluggy"):
        print(f"{distribution} {_version(distribution)}")
    installed = backend.installed_backends()
    selected = backend.select_backend_name()
    print(f"installed backends: {', '.join(installed)}")
    try:
        active = backend.backend()
        capabilities = backend.capabilities()
        print(f"active backend: {active} ({capabilities.description or 'no description'})")
        print(
            f"  supports_training={capabilities.supports_training} "
            f"supports_jit={capabilities.supports_jit}"
        )
    except (ImportError, TypeError) as error:
        print(f"active backend: {selected} (cannot be activated: {error})")
        return 1
    print(
        f"floatx: {config.floatx()}  epsilon: {config.epsilon()}  "
        f"image_data_format: {config.image_data_format()}"
    )
    print(f"settings folder: {config.kcore_home()}")
    return 0


def _conformance(args) -> int:
    import pytest

    options = ["-p", "kcore.testing.plugin", f"--kcore-backend={args.backend}"]
    return pytest.main([*options, *args.pytest_args, "--pyargs", "kcore.testing.conformance"])


def _inspect(args) -> int:
    from kcore.saving import inspect

    try:
        text = inspect.inspect_file(args.file)
    except inspect.InspectError as error:
        print(f"kcore inspect: {error}", file=sys.stderr)
        return 2
    print(text)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="kcore", description="kcore: Keras 3 on any backend.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("plugins", help="list every plugin and what it registered").set_defaults(
        run=_plugins
    )
    commands.add_parser(
        "info", help="versions, the active backend and the installed ones"
    ).set_defaults(run=_info)
    conformance = commands.add_parser(
        "conformance", help="run the backend conformance suite (needs pytest)"
    )
    conformance.add_argument("backend", help="name of the backend to check")
    conformance.add_argument("pytest_args", nargs=argparse.REMAINDER, help="extra pytest arguments")
    conformance.set_defaults(run=_conformance)
    inspect = commands.add_parser(
        "inspect",
        help="what a .keras, .weights.h5, .weights.json or legacy .h5 file holds, read without "
        "loading it",
    )
    inspect.add_argument("file", help="the file to describe")
    inspect.set_defaults(run=_inspect)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
