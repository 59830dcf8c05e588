"""`.keras` archives: round trips of every kind of model, layout, determinism, filenames."""

import json
import os
import zipfile

import numpy as np
import pytest

import kcore
from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _x(shape=(2, 3)):
    return np.random.default_rng(0).normal(size=shape).astype("float32")


@kcore.saving.register_keras_serializable(package="kcore_saving_tests")
class TwoDense(kcore.Model):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(4, activation="relu")
        self.out = layers.Dense(units)

    def call(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@kcore.saving.register_keras_serializable(package="kcore_saving_tests")
class Compiled(kcore.Sequential):
    """Records what loading does with the saved compile config."""

    def get_compile_config(self):
        return {"note": "compiled"}

    def compile_from_config(self, config):
        self.replayed = config


def _functional():
    inputs = kcore.Input((3,), name="features")
    hidden = layers.Dense(4, activation="relu")(inputs)
    outputs = layers.Concatenate()([layers.Dense(2)(hidden), layers.Dense(1)(inputs)])
    return kcore.Model(inputs, outputs, name="functional")


def _sequential():
    return kcore.Sequential([kcore.Input((3,)), layers.Dense(4), layers.Dense(2)], name="stack")


def _subclassed():
    model = TwoDense(units=3)
    model(_x())
    return model


@pytest.mark.parametrize("make", [_sequential, _functional, _subclassed])
def test_round_trip_gives_the_same_predictions(tmp_path, make):
    model = make()
    filepath = tmp_path / "model.keras"
    kcore.saving.save_model(model, filepath)
    loaded = kcore.saving.load_model(filepath)
    assert type(loaded) is type(model)
    assert [w.shape for w in loaded.weights] == [w.shape for w in model.weights]
    np.testing.assert_allclose(_np(loaded(_x())), _np(model(_x())), rtol=1e-6)


def test_archive_layout_matches_keras(tmp_path):
    model = _sequential()
    filepath = tmp_path / "model.keras"
    kcore.saving.save_model(model, filepath)
    with zipfile.ZipFile(filepath) as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert sorted(metadata) == ["date_saved", "keras_version"]
    assert config == json.loads(json.dumps(kcore.saving.serialize_keras_object(model)))
    assert config["class_name"] == "Sequential"
    assert config["build_config"] == {"input_shape": [None, 3]}


def test_two_saves_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    model = _functional()
    first, second = tmp_path / "a.keras", tmp_path / "b.keras"
    kcore.saving.save_model(model, first)
    kcore.saving.save_model(model, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert json.loads(archive.read("metadata.json"))["date_saved"] == "2023-11-14@22:13:20"


def _shared_initializer_model():
    # One initializer object used by two layers: Keras marks both configs with a
    # `shared_object_id` (a memory address in Keras, so two saves differ; numbered in order in
    # kcore).
    shared = kcore.initializers.Constant(0.5)
    inputs = kcore.Input((3,), name="x")
    first = layers.Dense(2, kernel_initializer=shared, name="first")(inputs)
    second = layers.Dense(2, kernel_initializer=shared, name="second")(first)
    return kcore.Model(inputs, second, name="shared")


def test_separately_built_models_save_to_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "a.keras", tmp_path / "b.keras"
    _shared_initializer_model().save(first)
    _shared_initializer_model().save(second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        config = archive.read("config.json").decode()
    assert '"shared_object_id": ' in config
    x = _x()
    np.testing.assert_allclose(
        _np(kcore.saving.load_model(first)(x)), _np(_shared_initializer_model()(x)), rtol=1e-6
    )


def test_saved_files_get_the_usual_permissions(tmp_path):
    # Written through a private temporary file, but not left private.
    umask = os.umask(0o022)
    os.umask(umask)
    path = tmp_path / "model.keras"
    _sequential().save(path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)
    _sequential().save(path)  # replacing a file keeps its mode
    assert path.stat().st_mode & 0o777 == 0o640


def test_compile_config_is_replayed_only_when_compile_is_true(tmp_path):
    model = Compiled([kcore.Input((3,)), layers.Dense(2)])
    filepath = tmp_path / "compiled.keras"
    kcore.saving.save_model(model, filepath)
    with zipfile.ZipFile(filepath) as archive:
        assert json.loads(archive.read("config.json"))["compile_config"] == {"note": "compiled"}
    assert kcore.saving.load_model(filepath).replayed == {"note": "compiled"}
    assert not hasattr(kcore.saving.load_model(filepath, compile=False), "replayed")


def test_load_weights_reads_a_keras_archive(tmp_path):
    model = _sequential()
    filepath = tmp_path / "model.keras"
    kcore.saving.save_model(model, filepath)
    other = _sequential()
    kcore.saving.load_weights(other, filepath)
    np.testing.assert_allclose(_np(other(_x())), _np(model(_x())), rtol=1e-6)


def test_custom_objects_resolve_unregistered_classes(tmp_path):
    class Doubler(layers.Layer):
        def call(self, x):
            return x * 2

    model = kcore.Sequential([kcore.Input((3,)), layers.Dense(2), Doubler()])
    filepath = tmp_path / "custom.keras"
    kcore.saving.save_model(model, filepath)
    loaded = kcore.saving.load_model(filepath, custom_objects={"Doubler": Doubler})
    np.testing.assert_allclose(_np(loaded(_x())), _np(model(_x())), rtol=1e-6)


def test_a_failing_save_leaves_the_existing_archive_intact(tmp_path):
    class Unsaveable(layers.Layer):
        def __init__(self, table, **kwargs):
            super().__init__(**kwargs)
            self.table = table

        def call(self, x):
            return x

    filepath = tmp_path / "model.keras"
    kcore.saving.save_model(_sequential(), filepath)
    original = filepath.read_bytes()
    broken = kcore.Sequential([kcore.Input((3,)), Unsaveable(table=object())])
    with pytest.raises(NotImplementedError):
        kcore.saving.save_model(broken, filepath)
    assert filepath.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]


def test_filenames_and_overwrite(tmp_path):
    model = _sequential()
    with pytest.raises(ValueError, match=r"`\.keras` extension"):
        kcore.saving.save_model(model, tmp_path / "model.weights.h5")
    with pytest.warns(UserWarning, match="legacy"):
        kcore.saving.save_model(model, tmp_path / "model.h5")
    with pytest.raises(ValueError, match="File not found"):
        kcore.saving.load_model(tmp_path / "missing.keras")
    with pytest.raises(ValueError, match="File format not supported"):
        kcore.saving.load_model(tmp_path / "model.pb")
    filepath = tmp_path / "model.keras"
    kcore.saving.save_model(model, filepath)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        kcore.saving.save_model(model, filepath, overwrite=False)
    kcore.saving.save_model(model, filepath, overwrite=True)
