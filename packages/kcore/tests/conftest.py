import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import kcore

pytest_plugins = ["kcore.testing.plugin"]

SRC = Path(__file__).resolve().parents[1] / "src"

TOY_BACKEND = '''
"""A toy backend: the numpy reference's required functions, none of the optional ones (so every
composed fallback runs), float32/int32/bool only, and its own `add`."""

import numpy as np

from kcore.backend import contract
from kcore.backend.numpy import *  # noqa: F403
from kcore.backend.numpy._utils import promote

for _spec in contract.functions():
    if _spec.optional:
        globals().pop(_spec.name, None)


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.asarray(x1 + x2)


capabilities = contract.Capabilities(
    dtypes=("bool", "int32", "float32"), description="toy backend for kcore's tests"
)
'''

TOY_PLUGIN = """
import kcore


@kcore.hookimpl
def kcore_register_backends(register):
    register("toy", "toy_backend.backend", description="toy backend for kcore's tests")


@kcore.hookimpl
def kcore_register_objects(register):
    register("toy>Scale", "toy_backend.layers:Scale")
"""

TOY_LAYERS = '''
class Scale:
    """A stand-in serializable class registered by the toy plugin."""

    def __init__(self, factor=2.0):
        self.factor = factor
'''


def _write_distribution(root: Path, name: str, package: str, files: dict[str, str]) -> Path:
    folder = root / name
    (folder / package).mkdir(parents=True)
    for filename, text in files.items():
        (folder / package / filename).write_text(textwrap.dedent(text))
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [project]
            name = "{name}"
            version = "0.0.1"

            [project.entry-points.kcore]
            {package} = "{package}._plugin"

            [tool.hatch.build.targets.wheel]
            packages = ["{package}"]
            """
        )
    )
    return folder


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory):
    """A folder with three plugin distributions installed by pip: a working toy backend plugin, one
    whose module fails to import, and one whose hook does not match kcore's hookspecs."""
    root = tmp_path_factory.mktemp("plugins")
    sources = [
        _write_distribution(
            root,
            "toy-plugin",
            "toy_backend",
            {
                "__init__.py": "",
                "_plugin.py": TOY_PLUGIN,
                "backend.py": TOY_BACKEND,
                "layers.py": TOY_LAYERS,
            },
        ),
        _write_distribution(
            root,
            "broken-plugin",
            "broken_plugin",
            {
                "__init__.py": "",
                "_plugin.py": "raise ImportError('this plugin is broken on purpose')\n",
            },
        ),
        _write_distribution(
            root,
            "mismatched-plugin",
            "mismatched_plugin",
            {
                "__init__.py": "",
                "_plugin.py": (
                    "import kcore\n\n\n@kcore.hookimpl\n"
                    "def kcore_register_backends(register, unexpected):\n    pass\n"
                ),
            },
        ),
    ]
    site = root / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            *map(str, sources),
        ],
        check=True,
    )
    return site


def run_python(code: str, *, site: Path | None = None, env: dict | None = None, args=()):
    """Runs Python code in a fresh process with kcore (and the plugin site) importable."""
    paths = [str(SRC)] + ([str(site)] if site else [])
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KCORE_")}
    full_env["PYTHONPATH"] = os.pathsep.join(paths + [full_env.get("PYTHONPATH", "")])
    full_env.update(env or {})
    command = [sys.executable, *(["-c", code] if code else []), *args]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=600)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_training: the test trains (gradients, fit); skipped on inference-only backends",
    )


def pytest_collection_modifyitems(config, items):

    if kcore.backend.capabilities().supports_training:
        return
    skip = pytest.mark.skip(reason="the active backend is inference only (no autodiff)")
    for item in items:
        if "needs_training" in item.keywords:
            item.add_marker(skip)


# --- small models for the callback tests ----------------------------------------------------


def make_model(seed=0):
    """A small built Sequential model (2 inputs, 1 output) with deterministic weights."""
    model = kcore.Sequential([kcore.Input((2,)), kcore.layers.Dense(1)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


@pytest.fixture(name="make_model")
def make_model_fixture():
    """`make_model(seed)`: builds more small models in a test."""
    return make_model


@pytest.fixture
def model():
    return make_model()


@pytest.fixture
def sgd_model():
    """A small model with a real SGD optimizer attached, as `compile` would."""
    from kcore.optimizers import SGD

    model = make_model()
    model.optimizer = SGD(learning_rate=0.1)
    return model
