"""Choosing the backend, and what importing kcore does and does not do."""

import json

from conftest import run_python


def test_missing_first_party_backend_names_the_pip_extra():
    code = "import kcore\ntry:\n    kcore.backend.backend()\nexcept ImportError as e:\n    print(e)"
    # Only kcore's own plugin loads: as if kbackend-torch were not installed.
    result = run_python(code, env={"KCORE_BACKEND": "torch", "KCORE_LOAD_PLUGINS": "kcore"})
    assert 'pip install "kcore[torch]"' in result.stdout, result.stderr


def test_unknown_backend_lists_the_installed_ones():
    code = "import kcore\ntry:\n    kcore.ops.ones((2,))\nexcept ImportError as e:\n    print(e)"
    result = run_python(code, env={"KCORE_BACKEND": "nonesuch"})
    assert "Unknown backend 'nonesuch'" in result.stdout
    assert "Installed backends: " in result.stdout and "numpy" in result.stdout


def test_default_backend_is_numpy_when_no_framework_backend_is_installed():
    # Only kcore's own plugin loads: as if no backend distribution were installed.
    code = "import kcore; print(kcore.backend.backend())"
    result = run_python(code, env={"KCORE_LOAD_PLUGINS": "kcore"})
    assert result.stdout.strip() == "numpy", result.stderr


def test_settings_file_sets_config(tmp_path):
    (tmp_path / "kcore.json").write_text(
        json.dumps({"floatx": "float16", "epsilon": 1e-5, "image_data_format": "channels_first"})
    )
    code = (
        "import kcore\n"
        "print(kcore.config.floatx(), kcore.config.epsilon(), kcore.config.image_data_format())\n"
        "x = kcore.ops.add(kcore.ops.zeros((2,), 'int32'), 1.5)\n"
        "print(kcore.backend.standardize_dtype(x.dtype))"
    )
    result = run_python(code, env={"KCORE_HOME": str(tmp_path)})
    assert result.stdout.split() == ["float16", "1e-05", "channels_first", "float16"], result.stderr


def test_invalid_settings_file_is_a_clear_error(tmp_path):
    (tmp_path / "kcore.json").write_text("{not json")
    result = run_python("import kcore.config", env={"KCORE_HOME": str(tmp_path)})
    assert result.returncode != 0
    assert "kcore.json is not valid JSON" in result.stderr


def test_import_writes_nothing_and_imports_no_framework(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    code = (
        "import sys, kcore\n"
        "kcore.ops.matmul(kcore.ops.ones((2, 3)), kcore.ops.ones((3, 2)))\n"
        "kcore.backend.installed_backends()\n"
        "print(sorted(m for m in ('jax', 'torch', 'tensorflow') if m in sys.modules))"
    )
    # Discovering every installed backend plugin imports none of their frameworks.
    result = run_python(code, env={"HOME": str(home), "KCORE_BACKEND": "numpy"})
    assert result.stdout.strip() == "[]", result.stderr
    assert list(home.iterdir()) == []


def test_import_kcore_loads_no_plugin_and_no_backend():
    code = (
        "import sys, kcore\n"
        "print([m for m in ('kcore.backend.numpy', 'kcore.ops', 'kcore._plugin') if m in sys.modules])"
    )
    assert run_python(code).stdout.strip() == "[]"
