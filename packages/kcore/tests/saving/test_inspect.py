"""``python -m kcore inspect FILE``: what a saved file holds, read without loading it."""

import json
import os
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers
from kcore.__main__ import main

DATA = os.path.join(os.path.dirname(__file__), "data")


def _run(capsys, path):
    code = main(["inspect", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _model():
    return kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4, activation="relu", name="hidden"), layers.Dense(2)],
        name="tiny",
    )


def _rows(out):
    """The table rows of the output, split into cells."""
    return [line.split() for line in out.splitlines() if line.startswith("  ")]


def test_keras_archive_written_by_keras(capsys):
    code, out, err = _run(capsys, os.path.join(DATA, "keras315_sequential.keras"))
    assert code == 0 and err == ""
    assert "keras_version: 3.15.1" in out
    assert "date_saved: 2026-11-21@21:31:54" in out
    assert "Model: Sequential 'sequential'" in out
    assert "Compile config: yes (optimizer: Adam, loss: mse)" in out
    assert "Optimizer state: yes (10 variables)" in out
    rows = _rows(out)
    assert ["dense", "Dense", "(None,", "3)", "16"] in rows
    assert ["dropout", "Dropout", "-", "0"] in rows
    assert ["dense_1", "Dense", "(None,", "4)", "10"] in rows
    assert "Total: 26 params in 4 layers" in out
    assert ["layers/dense/vars/0", "(3,", "4)", "float32", "dense"] in rows
    assert ["optimizer/vars/9", "(2,)", "float32", "adam"] in rows
    assert out.rstrip().endswith("Total: 14 arrays, 80 values, 320.00 B")


def test_keras_archive_written_by_kcore_without_compile(capsys, tmp_path):
    path = tmp_path / "tiny.keras"
    _model().save(path)
    code, out, _ = _run(capsys, path)
    assert code == 0
    assert f"keras_version: {kcore.__version__}" in out
    assert "Model: Sequential 'tiny'" in out
    assert "Compile config: no" in out
    assert "Optimizer state: no" in out
    assert ["hidden", "Dense", "(None,", "3)", "16"] in _rows(out)
    assert "Total: 4 arrays, 26 values, 104.00 B" in out


def test_functional_archive_lists_every_layer(capsys):
    code, out, _ = _run(capsys, os.path.join(DATA, "keras315_functional.keras"))
    assert code == 0
    assert "Model: Functional 'two_inputs'" in out
    names = [row[0] for row in _rows(out)[1:7]]
    assert names == ["tokens", "embedding", "flatten", "features", "concatenate", "dense_2"]
    # Keras saves the layer named dense_2 under its class's name: the params follow the name.
    assert ["dense_2", "Dense", "(None,", "8)", "18"] in _rows(out)
    assert ["layers/dense/vars/0", "(8,", "2)", "float32", "dense_2"] in _rows(out)


def test_weights_file(capsys, tmp_path):
    path = tmp_path / "tiny.weights.h5"
    _model().save_weights(path)
    code, out, _ = _run(capsys, path)
    assert code == 0
    assert out.splitlines()[0] == f"{path}: weights file (.weights.h5)"
    assert ["layers/dense/vars/1", "(4,)", "float32", "hidden"] in _rows(out)
    assert "Total: 4 arrays, 26 values, 104.00 B" in out


def test_sharded_index_names_the_shard_of_each_entry(capsys):
    code, out, _ = _run(capsys, os.path.join(DATA, "keras315_sharded.weights.json"))
    assert code == 0
    assert "Shards (4): keras315_sharded_00000.weights.h5, " in out
    rows = _rows(out)
    assert rows[0][-1] == "shard"
    assert rows[1] == [
        "layers/dense/vars/0",
        "(3,",
        "4)",
        "float32",
        "dense",
        "keras315_sharded_00000.weights.h5",
    ]
    assert rows[-1][0] == "optimizer/vars/9"
    assert rows[-1][-1] == "keras315_sharded_00003.weights.h5"
    assert "Total: 14 arrays, 80 values, 320.00 B" in out


def _legacy_h5(path, with_model=True):
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "old",
            "layers": [
                {"class_name": "Dense", "config": {"name": "d1", "batch_input_shape": [None, 3]}},
                {"class_name": "Dense", "config": {"name": "d2"}},
            ],
        },
    }
    with h5py.File(path, "w") as f:
        root = f
        if with_model:
            f.attrs["keras_version"] = "2.15.0"
            f.attrs["backend"] = "tensorflow"
            f.attrs["model_config"] = json.dumps(config)
            root = f.create_group("model_weights")
        root.attrs["layer_names"] = [b"d1", b"d2"]
        for name, shapes in (("d1", [(3, 4), (4,)]), ("d2", [(4, 2), (2,)])):
            group = root.create_group(name)
            for shape, weight in zip(shapes, ("kernel:0", "bias:0")):
                group[f"{name}/{weight}"] = np.zeros(shape, "float32")


def test_legacy_h5_with_a_model_config(capsys, tmp_path):
    path = tmp_path / "old.h5"
    _legacy_h5(path)
    code, out, _ = _run(capsys, path)
    assert code == 0
    assert "legacy Keras HDF5 file" in out
    assert "keras_version: 2.15.0" in out
    assert "Model: Sequential 'old'" in out
    assert ["d1", "Dense", "(None,", "3)", "16"] in _rows(out)
    assert ["d2", "Dense", "-", "10"] in _rows(out)
    assert ["model_weights/d1/d1/kernel:0", "(3,", "4)", "float32", "d1"] in _rows(out)


def test_legacy_h5_weights_only(capsys, tmp_path):
    path = tmp_path / "old_weights.h5"
    _legacy_h5(path, with_model=False)
    code, out, _ = _run(capsys, path)
    assert code == 0
    assert "Model: none (a weights-only file)" in out
    assert ["d2/d2/bias:0", "(2,)", "float32", "d2"] in _rows(out)
    assert "Total: 4 arrays, 26 values, 104.00 B" in out


def test_inspecting_never_imports_or_runs_what_the_file_names(capsys, tmp_path, monkeypatch):
    path = tmp_path / "custom.keras"
    _model().save(path)
    config_text = json.dumps(
        {
            "module": "kcore_inspect_canary_module",
            "class_name": "Canary",
            "registered_name": "canary>Canary",
            "config": {
                "name": "canary",
                "layers": [
                    {
                        "module": "kcore_inspect_canary_module",
                        "class_name": "Lambda",
                        "config": {"name": "boom", "function": "__import__('os').exit(3)"},
                    }
                ],
            },
        }
    )
    rebuilt = tmp_path / "canary.keras"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for name in source.namelist():
            data = config_text.encode() if name == "config.json" else source.read(name)
            target.writestr(name, data)
    code, out, _ = _run(capsys, rebuilt)
    assert code == 0
    assert "Model: Canary 'canary' (registered as 'canary>Canary')" in out
    assert ["boom", "Lambda", "-", "-"] in _rows(out)
    assert "kcore_inspect_canary_module" not in sys.modules


def test_unsafe_archive_members_are_refused(capsys, tmp_path):
    path = tmp_path / "evil.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("model.weights.h5", b"")
        archive.writestr("../outside.txt", "x")
    code, out, err = _run(capsys, path)
    assert code == 2 and out == ""
    assert "evil.keras" in err and "'../outside.txt'" in err
    assert len(err.strip().splitlines()) == 1


def test_unsafe_sharded_index_is_refused(capsys, tmp_path):
    path = tmp_path / "evil.weights.json"
    path.write_text(json.dumps({"weight_map": {"/vars": "../../secret.weights.h5"}}))
    code, _, err = _run(capsys, path)
    assert code == 2
    assert "not a plain file name" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("notes.txt", b"hello", "not a kind of file kcore inspect knows"),
        ("broken.keras", b"PK\x03\x04 truncated", "a .keras archive is a zip file"),
        ("broken.h5", b"\x00" * 64, "not an HDF5 file"),
        ("broken.weights.json", b"{oops", "not valid JSON"),
        ("missing.keras", None, "no such file"),
    ],
)
def test_unknown_or_corrupt_files_exit_2_with_one_line(capsys, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = _run(capsys, path)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0] and expected in lines[0]
    assert ".keras archives, .weights.h5 files, sharded .weights.json indexes" in lines[0]


def test_archive_without_weights_is_refused(capsys, tmp_path):
    path = tmp_path / "partial.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")
    code, _, err = _run(capsys, path)
    assert code == 2 and "'model.weights.h5'" in err


def test_python_dash_m_kcore_inspect(tmp_path):
    path = tmp_path / "tiny.weights.h5"
    _model().save_weights(path)
    environment = dict(os.environ, KCORE_BACKEND="numpy")
    done = subprocess.run(
        [sys.executable, "-m", "kcore", "inspect", str(path)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "layers/hidden/vars/0" not in done.stdout  # saved under the class's name
    assert "layers/dense/vars/0" in done.stdout and "hidden" in done.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "kcore", "inspect", str(tmp_path / "nothing.keras")],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert failed.returncode == 2 and "no such file" in failed.stderr
