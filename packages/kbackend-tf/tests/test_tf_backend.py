"""kbackend-tf as a plugin: listed, light to discover, and a backend that trains."""

import os
import subprocess
import sys


def _run(code: str, backend="tensorflow") -> str:
    env = {**os.environ, "KCORE_BACKEND": backend}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_the_plugin_is_listed():
    output = subprocess.run(
        [sys.executable, "-m", "kcore", "plugins"], capture_output=True, text=True, check=True
    ).stdout
    assert "kbackend-tf" in output and "backend      tensorflow" in output


def test_discovery_imports_no_tensorflow():
    code = (
        "import sys, kcore\n"
        "assert 'tensorflow' in kcore.backend.installed_backends()\n"
        "print('tensorflow' in sys.modules)"
    )
    assert _run(code) == "False"


def test_capabilities():
    code = (
        "import kcore; c = kcore.backend.capabilities()\n"
        "print(c.supports_training, c.supports_jit, c.mutable_variables, c.auto_jit_compile)"
    )
    assert _run(code) == "True True True False"  # no XLA by default on CPU, as in Keras 3
