"""Every public submodule of kcore can be the first thing a program touches (`import kcore.X`,
or `kcore.X` right after `import kcore`): no import cycle between them."""

import pytest
from conftest import run_python

SUBMODULES = [
    "activations",
    "callbacks",
    "constraints",
    "dtype_policies",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "optimizers",
    "random",
    "regularizers",
    "saving",
    "utils",
]


@pytest.mark.parametrize("name", SUBMODULES)
def test_a_submodule_imports_first(name):
    result = run_python(
        f"import kcore\nkcore.{name}\nimport kcore.{name}\nprint('ok')",
        env={"KCORE_BACKEND": "numpy"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
