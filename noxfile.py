"""Developer sessions: `nox -s lint core build tests keras_compat interchange` is what CI runs (see
README)."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "core", "build", "tests", "keras_compat", "interchange"]

ROOT = Path(__file__).parent
PYTHON = "3.11"
BACKENDS = ["numpy", "jax", "torch", "tensorflow"]
# The distribution that provides each backend (beside kcore itself).
BACKEND_PACKAGES = {
    "numpy": [],
    "jax": ["packages/kbackend-jax"],
    "torch": ["packages/kbackend-torch"],
    "tensorflow": ["packages/kbackend-tf"],
}
# Always this torch: the machines hold its CPU wheel, and an unpinned torch pulls several GB of
# CUDA packages.
TORCH = "torch==2.13.0"
# What the tests use beside kcore: the optional data sources and TensorBoard's own reader.
TEST_REQUIREMENTS = [
    "pytest",
    "hatchling",
    "pandas",
    "scikit-learn",
    "grain",
    "tensorboardX",
    "tensorboard",
]
# What `python -m kcore plugins` must list once each distribution is installed.
EXPECTED_PLUGINS = {
    "kcore": ["backend      numpy"],
    "kbackend-jax": ["backend      jax"],
    "kbackend-torch": ["backend      torch"],
    "kbackend-tf": ["backend      tensorflow"],
}
# Installed without their framework in the build session: discovering a plugin imports nothing.
WITHOUT_FRAMEWORK = ("kbackend_torch", "kbackend_tf")


def _packages() -> list[Path]:
    return sorted(p.parent for p in ROOT.glob("packages/*/pyproject.toml"))


@nox.session(python=PYTHON)
@nox.parametrize("backend", BACKENDS)
def tests(session, backend):
    """Every kcore test, including the conformance suite, and the docstring examples, on one backend."""
    editable = [arg for path in BACKEND_PACKAGES[backend] for arg in ("-e", path)]
    # torch beside TensorFlow too: DataLoader input and both frameworks in one process.
    framework = [TORCH] if backend in ("torch", "tensorflow") else []
    session.install(*framework, *TEST_REQUIREMENTS, "-e", "packages/kcore", *editable)
    tests = ["packages/kcore/tests", *(f"{path}/tests" for path in BACKEND_PACKAGES[backend])]
    session.run(
        "pytest",
        *tests,
        f"--kcore-backend={backend}",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"KCORE_BACKEND": backend},
    )
    session.run(
        "pytest",
        "--doctest-modules",
        "packages/kcore/src/kcore",
        "--ignore=packages/kcore/src/kcore/testing/conformance.py",
        "-p",
        "no:cacheprovider",
        env={"KCORE_BACKEND": backend},
    )


# The Keras release the comparison sessions check kcore against.
KERAS = "keras==3.15.1"
KERAS_TESTS = "packages/kcore/tests/keras_compat"


def _against_keras(session, backend, tests):
    """Installs kcore with `backend` beside the pip `keras` package and runs `tests`."""
    editable = [arg for path in BACKEND_PACKAGES[backend] for arg in ("-e", path)]
    # Keras's string preprocessing layers need TensorFlow: those cases run in the tensorflow
    # session and are skipped in the others.
    framework = [TORCH] if backend == "torch" else []
    session.install(*framework, KERAS, "pytest", "-e", "packages/kcore", *editable)
    session.run(
        "pytest",
        *tests,
        f"--kcore-backend={backend}",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"KCORE_BACKEND": backend, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


@nox.session(python=PYTHON)
@nox.parametrize("backend", ["jax", "torch", "tensorflow"])
def keras_compat(session, backend):
    """kcore against the pip `keras` package on the same backend: every layer's outputs for the
    same weights (packages/kcore/tests/keras_compat/test_layers_match_keras.py)."""
    _against_keras(session, backend, [f"{KERAS_TESTS}/test_layers_match_keras.py"])


@nox.session(python=PYTHON)
@nox.parametrize("backend", ["jax", "torch", "tensorflow"])
def interchange(session, backend):
    """Files both ways between Keras 3 and kcore on the same backend: `.keras`, `.weights.h5` and
    legacy `.h5` files of a model around every layer, and of trained, multi-input/output, nested
    and custom-layer models, saved by one and loaded by the other with the same predictions."""
    _against_keras(
        session,
        backend,
        [
            f"{KERAS_TESTS}/test_saving_interchange.py",
            f"{KERAS_TESTS}/test_model_interchange.py",
        ],
    )


@nox.session(python=PYTHON, reuse_venv=False)
def core(session):
    """kcore alone (non-editable install): proves no framework is needed or imported."""
    session.install("packages/kcore")
    session.run("python", "-c", CORE_CHECK, env={"KCORE_BACKEND": ""})


CORE_CHECK = """
import importlib.util, sys
import kcore
x = kcore.ops.matmul(kcore.ops.ones((2, 3)), kcore.ops.ones((3, 4)))
y = kcore.ops.nn.softmax(x)
assert kcore.backend.backend() == "numpy", kcore.backend.backend()
loaded = [m for m in ("jax", "torch", "tensorflow") if m in sys.modules]
assert not loaded, f"kcore imported {loaded}"
installed = [m for m in ("jax", "torch", "tensorflow") if importlib.util.find_spec(m)]
assert not installed, f"the core venv holds {installed}"
print("kcore alone: ok,", len(kcore.ops.__all__), "ops, backend", kcore.backend.backend())
"""


@nox.session(python=PYTHON)
def lint(session):
    """ruff: lint and formatting."""
    session.install("ruff~=0.17.0")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON, reuse_venv=False)
def build(session):
    """Builds every package's wheel with hatch, installs them into this fresh venv, checks plugins."""
    session.install("hatch")
    with tempfile.TemporaryDirectory() as dist:
        for package in _packages():
            with session.chdir(package):
                session.run("hatch", "build", "-t", "wheel", dist)
        wheels = glob.glob(os.path.join(dist, "*.whl"))
        light = [w for w in wheels if os.path.basename(w).startswith(WITHOUT_FRAMEWORK)]
        session.install(*(w for w in wheels if w not in light))
        session.install("--no-deps", *light)
    listing = session.run("python", "-m", "kcore", "plugins", silent=True)
    for distribution, lines in EXPECTED_PLUGINS.items():
        for line in lines:
            if line not in listing:
                session.error(f"`python -m kcore plugins` does not list {line!r} of {distribution}")
    session.run("kcore", "info")


# With KCORE_BENCH_GPU=1 the bench sessions install the CUDA builds of JAX and TensorFlow (pip's
# torch wheel for Linux already has CUDA; the CPU-only machines hold a CPU wheel of the same pin).
GPU_FRAMEWORKS = {"jax": ["jax[cuda12]"], "torch": [], "tensorflow": ["tensorflow[and-cuda]"]}


@nox.session(python=PYTHON)
@nox.parametrize("backend", ["jax", "torch", "tensorflow"])
def bench(session, backend):
    """kcore against Keras 3 and a hand-written loop on `backend` (benchmarks/bench.py): fit
    throughput, first epoch, one-sample latency, peak memory and import time of five workloads.
    Writes benchmarks/results/bench_<backend>.json, results/bench.md and the README's table.
    Arguments after `--` go to bench.py (`--repeats 1`, `--workloads mlp,cnn`, `--cpu -1`)."""
    framework = [TORCH] if backend == "torch" else []
    if os.environ.get("KCORE_BENCH_GPU"):
        framework += GPU_FRAMEWORKS[backend]
    packages = ["packages/kcore", *BACKEND_PACKAGES[backend]]
    # Installed as a user gets them (wheels, compiled bytecode), not editable: import time
    # counts. Reinstalled each run so that a reused environment measures the current code.
    session.install(*framework, KERAS, *packages)
    session.install("--force-reinstall", "--no-deps", *packages)
    session.run("python", "benchmarks/bench.py", "--backend", backend, *session.posargs)


@nox.session(python=PYTHON)
@nox.parametrize("backend", ["jax", "torch", "tensorflow"])
def demo(session, backend):
    """The README's main job: the digits MLP trained with fit, on each training backend."""
    framework = [TORCH] if backend == "torch" else []
    editable = [arg for path in BACKEND_PACKAGES[backend] for arg in ("-e", path)]
    session.install(*framework, "-e", "packages/kcore", *editable, "scikit-learn")
    session.run("python", "examples/digits.py", env={"KCORE_BACKEND": backend})
