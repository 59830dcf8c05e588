"""kbackend-jax as a plugin: listed, light to discover, and a backend that trains."""

import os
import subprocess
import sys

import numpy as np

import kcore


def _run(code: str) -> str:
    env = {**os.environ, "KCORE_BACKEND": "jax"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_the_plugin_is_listed():
    output = subprocess.run(
        [sys.executable, "-m", "kcore", "plugins"], capture_output=True, text=True, check=True
    ).stdout
    assert "kbackend-jax" in output and "backend      jax" in output


def test_discovery_imports_no_jax():
    code = (
        "import sys, kcore\n"
        "assert 'jax' in kcore.backend.installed_backends()\n"
        "print('jax' in sys.modules)"
    )
    assert _run(code) == "False"


def test_activation_reports_training_and_jit():
    code = (
        "import kcore; c = kcore.backend.capabilities(); print(c.supports_training, c.supports_jit)"
    )
    assert _run(code) == "True True"


def test_value_and_grad_through_a_layer():
    previous = kcore.backend.backend()
    kcore.backend.activate("jax")
    try:
        dense = kcore.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
        x = np.array([[1.0, 2.0]], "float32")
        dense(x)

        def loss(values):
            out, _ = dense.stateless_call(values, [], x)
            return kcore.ops.sum(out)

        value, grads = kcore.backend.bound.value_and_grad(loss)([v.value for v in dense.weights])
        assert float(value) == 3.0
        np.testing.assert_allclose(np.asarray(grads[0]), [[1.0], [2.0]])
        np.testing.assert_allclose(np.asarray(grads[1]), [1.0])
    finally:
        kcore.backend.activate(previous)
