"""Every public submodule of kcore can be the first thing a program touches (`import kcore.X`,
or `kcore.X` right after `import kcore`): no import cycle between them."""

import pytest
from conftest import run_python

import kcore

# Every submodule `kcore.X` resolves (kcore's own list, so a new one is covered too).
SUBMODULES = sorted(kcore._SUBMODULES)


@pytest.mark.parametrize("name", SUBMODULES)
def test_a_submodule_imports_first(name):
    result = run_python(
        f"import kcore\nkcore.{name}\nimport kcore.{name}\nprint('ok')",
        env={"KCORE_BACKEND": "numpy"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
