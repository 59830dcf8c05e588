"""kbackend-torch as a plugin: listed, light to discover, and a backend that trains."""

import os
import subprocess
import sys


def _run(code: str, backend="torch") -> str:
    env = {**os.environ, "KCORE_BACKEND": backend}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_the_plugin_is_listed():
    output = subprocess.run(
        [sys.executable, "-m", "kcore", "plugins"], capture_output=True, text=True, check=True
    ).stdout
    assert "kbackend-torch" in output and "backend      torch" in output


def test_discovery_imports_no_torch():
    code = (
        "import sys, kcore\n"
        "assert 'torch' in kcore.backend.installed_backends()\n"
        "print('torch' in sys.modules)"
    )
    assert _run(code) == "False"


def test_capabilities():
    code = (
        "import kcore; c = kcore.backend.capabilities()\n"
        "print(c.supports_training, c.supports_jit, c.mutable_variables, c.auto_jit_compile)"
    )
    assert _run(code) == "True True True False"
