"""The plugin system, through real installed plugin distributions (see conftest.plugin_site)."""

import json

from conftest import run_python


def test_plugins_command_lists_installed_plugins_and_warns_about_broken_ones(plugin_site):
    result = run_python("", site=plugin_site, args=["-m", "kcore", "plugins"])
    assert result.returncode == 0, result.stderr
    assert "toy-plugin 0.0.1" in result.stdout
    assert "backend      toy" in result.stdout
    assert "object       toy>Scale" in result.stdout
    assert "backend      numpy" in result.stdout
    assert "broken-plugin" in result.stderr and "this plugin is broken on purpose" in result.stderr
    assert "mismatched-plugin" in result.stderr and "hookspecs" in result.stderr
    assert "broken-plugin" not in result.stdout


def test_registered_object_resolves_by_registered_name(plugin_site):
    code = "import kcore; cls = kcore.plugins.get_object('toy>Scale'); print(cls().factor)"
    result = run_python(code, site=plugin_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2.0"


def test_unknown_registered_object_names_the_fix(plugin_site):
    code = "import kcore\ntry:\n    kcore.plugins.get_object('nope>Nope')\nexcept KeyError as e:\n    print(e)"
    result = run_python(code, site=plugin_site)
    assert "custom_objects" in result.stdout


def test_load_plugins_allow_list(plugin_site):
    listed = run_python(
        "",
        site=plugin_site,
        env={"KCORE_LOAD_PLUGINS": "toy-plugin"},
        args=["-m", "kcore", "plugins"],
    )
    assert "toy-plugin" in listed.stdout
    assert "broken-plugin" not in listed.stderr
    none = run_python(
        "", site=plugin_site, env={"KCORE_LOAD_PLUGINS": ""}, args=["-m", "kcore", "plugins"]
    )
    assert "toy-plugin" not in none.stdout
    assert "backend      numpy" in none.stdout  # built-ins always load


def test_trace_plugins_traces_hook_calls(plugin_site):
    result = run_python(
        "",
        site=plugin_site,
        env={"KCORE_TRACE_PLUGINS": "1", "KCORE_LOAD_PLUGINS": "toy-plugin"},
        args=["-m", "kcore", "plugins"],
    )
    assert "kcore_register_backends" in result.stderr


def test_plugins_load_on_first_need_not_at_import(plugin_site):
    code = (
        "import sys, kcore, kcore.ops\n"
        "print('toy_backend' in sys.modules, 'broken_plugin' in sys.modules)\n"
        "kcore.backend.installed_backends()\n"
        "print('toy_backend._plugin' in sys.modules, 'toy_backend.backend' in sys.modules)\n"
    )
    result = run_python(code, site=plugin_site)
    assert result.stdout.split() == ["False", "False", "True", "False"], result.stderr


def test_toy_backend_is_selected_by_env_and_settings_file(plugin_site, tmp_path):
    code = "import kcore; print(kcore.backend.backend(), kcore.ops.add([1.0], 2.0).tolist())"
    by_env = run_python(code, site=plugin_site, env={"KCORE_BACKEND": "toy"})
    assert by_env.stdout.split()[0] == "toy", by_env.stderr
    (tmp_path / "kcore.json").write_text(json.dumps({"backend": "toy", "floatx": "float32"}))
    by_file = run_python(code, site=plugin_site, env={"KCORE_HOME": str(tmp_path)})
    assert by_file.stdout.split()[0] == "toy", by_file.stderr


def test_toy_backend_passes_the_conformance_checks_it_claims(plugin_site):
    result = run_python(
        "",
        site=plugin_site,
        env={"KCORE_LOAD_PLUGINS": "toy-plugin"},
        args=["-m", "kcore", "conformance", "toy", "-q", "-p", "no:cacheprovider"],
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
