"""Hostile `.keras` files are refused with a clear error, and loading them runs no code and
writes nothing: a lambda in safe mode, member names that leave the archive (zip slip), zip
bombs, and configs naming a module outside kcore and its plugins."""

import io
import json
import os
import struct
import sys
import zipfile

import numpy as np
import pytest

import kcore
from kcore.saving import saving_lib


def _model():
    return kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(2)], name="plain")


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path, members, compress=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _saved(tmp_path):
    path = tmp_path / "good.keras"
    _model().save(path)
    return _members(path)


def test_lambda_layer_is_refused_in_safe_mode_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "ran"
    # The lambda would write `marker` if it were ever loaded and called.
    evil = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")
    model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Lambda(evil)])
    path = tmp_path / "lambda.keras"
    model.save(path)
    marker.unlink()  # building the model called the lambda
    with pytest.raises(ValueError, match="safe_mode=False") as error:
        kcore.saving.load_model(path)
    assert "arbitrary code" in str(error.value)
    assert not marker.exists()
    # The opt-out named in the message works, for a file the user trusts.
    loaded = kcore.saving.load_model(path, safe_mode=False)
    loaded(np.ones((1, 3), "float32"))
    assert marker.exists()


@pytest.mark.parametrize(
    "name",
    ["../escaped.txt", "assets/../../escaped.txt", "/tmp/escaped.txt", "C:/escaped.txt", "a\\b"],
)
def test_member_names_leaving_the_archive_are_refused(tmp_path, name):
    members = {**_saved(tmp_path), name: b"payload"}
    path = tmp_path / "slip.keras"
    _write_zip(path, members)
    for load in (kcore.saving.load_model, lambda p: _model().load_weights(p)):
        with pytest.raises(ValueError, match="zip slip"):
            load(path)
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not os.path.exists("/tmp/escaped.txt")


def test_a_member_stored_twice_is_refused(tmp_path):
    members = _saved(tmp_path)
    path = tmp_path / "twice.keras"
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
            archive.writestr("config.json", members["config.json"])
    with pytest.raises(ValueError, match="twice"):
        kcore.saving.load_model(path)


def test_a_highly_compressed_member_is_refused_as_a_zip_bomb(tmp_path, monkeypatch):
    # A small limit keeps the test light; the shape of the attack is the real one.
    monkeypatch.setattr(saving_lib, "BOMB_FLOOR_BYTES", 1 << 20)
    members = {**_saved(tmp_path), "assets/zeros.bin": bytes(8 << 20)}
    path = tmp_path / "bomb.keras"
    _write_zip(path, members, compress=zipfile.ZIP_DEFLATED)
    assert os.path.getsize(path) < 100_000
    with pytest.raises(ValueError, match="zip bomb"):
        kcore.saving.load_model(path)


def _overlapping_zip(members: dict, copies: int) -> bytes:
    """A zip whose central directory lists `copies` members that all point at the stored data
    of the first one (the "overlapping files" zip bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    end = data.rindex(b"PK\x05\x06")
    count, size, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    central = data[offset : offset + size]
    first_length = 46 + sum(struct.unpack("<HHH", central[28:34]))
    first = central[:first_length]
    extra = b"".join(
        first[:28]
        + struct.pack("<H", len(f"copy{i:04d}"))
        + first[30:46]
        + f"copy{i:04d}".encode()
        + first[46 + struct.unpack("<H", first[28:30])[0] :]
        for i in range(copies)
    )
    tail = data[end:]
    tail = (
        tail[:8]
        + struct.pack("<HHII", count + copies, count + copies, size + len(extra), offset)
        + tail[20:]
    )
    return data[:offset] + central + extra + tail


def test_members_sharing_their_stored_data_are_refused_as_a_zip_bomb(tmp_path):
    path = tmp_path / "overlap.keras"
    path.write_bytes(_overlapping_zip(_saved(tmp_path), copies=50))
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) == 53  # Python's zipfile reads it as 53 members
    with pytest.raises(ValueError, match="overlap"):
        kcore.saving.load_model(path)


def test_a_config_naming_a_module_outside_kcore_imports_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "imported"
    (tmp_path / "evil_module.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nclass Evil:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    members = _saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][1].update(module="evil_module", class_name="Evil")
    config["config"]["layers"][1]["registered_name"] = None
    members["config.json"] = json.dumps(config).encode()
    path = tmp_path / "module.keras"
    _write_zip(path, members)
    with pytest.raises(TypeError, match="never imports a module named in a file"):
        kcore.saving.load_model(path)
    assert not marker.exists()
    assert "evil_module" not in sys.modules
    # Module paths that look like kcore's still only resolve inside kcore.
    config["config"]["layers"][1].update(module="kcore.os", class_name="system")
    members["config.json"] = json.dumps(config).encode()
    _write_zip(path, members)
    with pytest.raises(TypeError, match="Could not locate class 'system'"):
        kcore.saving.load_model(path)


def test_the_good_archive_still_loads(tmp_path):
    path = tmp_path / "again.keras"
    _write_zip(path, _saved(tmp_path))
    assert kcore.saving.load_model(path).name == "plain"
