"""Sharded weights: ``save_weights(filepath, max_shard_size=...)`` writes a `.weights.json` index
and `.weights.h5` shards as Keras 3.15 does, and `load_weights` reads them back (Keras's too).

``data/keras315_sharded.weights.json`` and its shards were made with Keras 3.15.1 (jax backend)
by ``data/make_keras315_sharded.py``: ``Sequential([Input((3,)), Dense(4, "relu"), Dense(2)])``
compiled with ``"adam"`` and ``"mse"``, fitted for one step, saved with ``max_shard_size=1e-7``.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers, ops

DATA = os.path.join(os.path.dirname(__file__), "data")
KERAS_INDEX = os.path.join(DATA, "keras315_sharded.weights.json")
GB = 1024**3


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _x():
    return (np.arange(12, dtype="float32").reshape(4, 3) - 5) / 4


def _model(seed=0):
    kcore.utils.set_random_seed(seed)
    return kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(2)]
    )


def _with_adam(model, fill=None):
    optimizers = pytest.importorskip("kcore.optimizers")
    model.optimizer = optimizers.Adam()
    model.optimizer.build(model.trainable_variables)
    if fill is not None:
        for index, variable in enumerate(model.optimizer.variables):
            variable.assign(np.full(variable.shape, fill + index, variable.dtype))
    return model


def _files(folder):
    return sorted(path.name for path in folder.iterdir())


def _data_bytes(shard):
    """The bytes of the variables in one shard, counted as Keras counts them."""
    total = 0

    def note(name, obj):
        nonlocal total
        if isinstance(obj, h5py.Dataset):
            bits = 1 if obj.dtype == bool else obj.dtype.itemsize * 8
            total += obj.size * bits / 8

    with h5py.File(shard, "r") as f:
        f.visititems(note)
    return total


def test_round_trip_over_several_shards_each_within_the_limit(tmp_path):
    model = _with_adam(_model(), fill=3)
    limit = 64  # bytes: the first Dense's kernel and bias (48 + 16) fill a shard
    index = tmp_path / "model.weights.json"
    model.save_weights(index, max_shard_size=limit / GB)

    shards = [name for name in _files(tmp_path) if name != "model.weights.json"]
    assert shards == [f"model_{i:05}.weights.h5" for i in range(len(shards))]
    assert len(shards) == 6
    for shard in shards:
        assert _data_bytes(tmp_path / shard) <= limit
    saved = json.loads(index.read_text())
    assert set(saved) == {"metadata", "weight_map"}
    assert saved["metadata"]["total_size"] == sum(_data_bytes(tmp_path / s) for s in shards)
    assert saved["weight_map"]["/layers/dense/vars"] == ["model_00000.weights.h5"]
    assert len(saved["weight_map"]["/optimizer/vars"]) > 1  # split over shards

    restored = _with_adam(_model(seed=1))
    restored.load_weights(index)
    np.testing.assert_array_equal(_np(restored.predict(_x(), verbose=0)), _np(model(_x())))
    for before, after in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(_np(after), _np(before))


def test_optimizer_state_is_built_before_loading_shards(tmp_path):
    model = _with_adam(_model(), fill=5)
    index = tmp_path / "model.weights.json"
    kcore.saving.save_weights(model, index, max_shard_size=100 / GB)
    optimizers = pytest.importorskip("kcore.optimizers")
    restored = _model(seed=1)
    restored.optimizer = optimizers.Adam()  # not built: loading builds it first
    kcore.saving.load_weights(restored, index)
    assert len(restored.optimizer.variables) == len(model.optimizer.variables)
    for before, after in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(_np(after), _np(before))


def test_same_model_gives_the_same_bytes(tmp_path):
    model = _with_adam(_model(), fill=1)
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        model.save_weights(folder / "model.weights.json", max_shard_size=80 / GB)
    assert _files(first) == _files(second)
    for name in _files(first):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    model.save_weights(first / "model.weights.json", max_shard_size=80 / GB)  # overwrite
    for name in _files(second):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_variable_larger_than_a_shard_is_refused_and_nothing_is_written(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match=r"'0' of 'layers/dense' .* exceeds the maximum shard"):
        model.save_weights(tmp_path / "model.weights.json", max_shard_size=40 / GB)
    assert _files(tmp_path) == []


def test_index_naming_shards_outside_its_folder_is_refused(tmp_path):
    model = _model()
    index = tmp_path / "model.weights.json"
    model.save_weights(index, max_shard_size=1.0)
    saved = json.loads(index.read_text())
    before = model.get_weights()
    for unsafe in ("../model_00000.weights.h5", "/etc/passwd", "sub/x.weights.h5", "..", "a\\b"):
        saved["weight_map"]["/layers/dense/vars"] = [unsafe]
        index.write_text(json.dumps(saved))
        with pytest.raises(ValueError, match="not a plain file name"):
            model.load_weights(index)
    for weight, expected in zip(model.get_weights(), before):
        np.testing.assert_array_equal(weight, expected)


def test_missing_shard_is_named(tmp_path):
    model = _model()
    index = tmp_path / "model.weights.json"
    model.save_weights(index, max_shard_size=64 / GB)
    (tmp_path / "model_00001.weights.h5").unlink()
    with pytest.raises(FileNotFoundError, match=r"model_00001\.weights\.h5.*missing"):
        model.load_weights(index)


def test_index_that_is_not_an_index_is_refused(tmp_path):
    model = _model()
    index = tmp_path / "model.weights.json"
    index.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        model.load_weights(index)
    index.write_text(json.dumps({"metadata": {}}))
    with pytest.raises(ValueError, match="no `weight_map`"):
        model.load_weights(index)
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "missing.weights.json")


def test_bad_arguments(tmp_path):
    model = _model()
    for bad in (0, -1, float("nan"), "1", True):
        with pytest.raises(ValueError, match="`max_shard_size` must be a positive number"):
            model.save_weights(tmp_path / "model.weights.json", max_shard_size=bad)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.json` when `max_shard_size`"):
        model.save_weights(tmp_path / "model.keras", max_shard_size=1)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "model.weights.json")
    assert _files(tmp_path) == []
    with pytest.warns(UserWarning, match=r"model\.weights\.json"):
        model.save_weights(tmp_path / "model.weights.h5", max_shard_size=1)
    assert _files(tmp_path) == ["model.weights.json", "model_00000.weights.h5"]
    with pytest.raises(FileExistsError):
        model.save_weights(tmp_path / "model.weights.json", max_shard_size=1, overwrite=False)


def test_loads_sharded_weights_written_by_keras():
    with open(KERAS_INDEX) as f:
        # Keras split the optimizer's variables over three shards.
        assert len(json.load(f)["weight_map"]["/optimizer/vars"]) == 3
    model = _with_adam(_model(seed=1))
    model.load_weights(KERAS_INDEX)
    expected = [
        [0.3800017237663269, 0.10035385936498642],
        [0.16230544447898865, -0.12414881587028503],
    ]
    np.testing.assert_allclose(_np(model(_x()[:2])), expected, rtol=1e-5, atol=1e-6)
    sums = [
        1.0,
        0.0010000000474974513,
        0.06809027488998254,
        8.979709151672038e-05,
        -0.0034081186167895794,
        8.417191677430325e-05,
        -0.022126338561065495,
        1.0049098843722959e-05,
        -0.08536716550588608,
        0.00038686640618834645,
    ]
    np.testing.assert_allclose(
        [float(_np(v).astype("float64").sum()) for v in model.optimizer.variables],
        sums,
        rtol=1e-5,
        atol=1e-9,
    )


def test_writes_the_index_keras_writes(tmp_path):
    model = _with_adam(_model(seed=1))
    model.load_weights(KERAS_INDEX)
    index = tmp_path / "keras315_sharded.weights.json"
    model.save_weights(index, max_shard_size=1e-7)
    ours = json.loads(index.read_text())
    with open(KERAS_INDEX) as f:
        theirs = json.load(f)
    assert ours["weight_map"].keys() == theirs["weight_map"].keys()
    if ours["metadata"] == theirs["metadata"]:
        # Same variable sizes as Keras on jax (whose iteration counter is int32, where some
        # backends keep an int64): then the same shards, named the same way.
        assert ours == theirs


@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs the keras package")
def test_keras_loads_sharded_weights_written_by_kcore(tmp_path):
    backend = kcore.backend.backend()
    if backend not in ("jax", "torch", "tensorflow"):
        pytest.skip("Keras runs on kcore's backend here, one of jax, torch and tensorflow")
    model = _model()
    model.save_weights(tmp_path / "model.weights.json", max_shard_size=64 / GB)
    script = textwrap.dedent(
        """
        import sys
        import numpy as np
        import keras

        model = keras.Sequential(
            [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)]
        )
        model.load_weights(sys.argv[1])
        x = (np.arange(12, dtype="float32").reshape(4, 3) - 5) / 4
        np.save(sys.argv[2], keras.ops.convert_to_numpy(model(x)))
        """
    )
    environment = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "model.weights.json"), str(tmp_path / "y")],
        check=True,
        env=environment,
        timeout=300,
    )
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), _np(model(_x())), rtol=1e-6)


def test_a_model_without_optimizer_loads_the_layers_of_a_keras_index(tmp_path):
    for name in os.listdir(DATA):
        if name.startswith("keras315_sharded") and not name.endswith(".py"):
            shutil.copy(os.path.join(DATA, name), tmp_path / name)
    model = _model(seed=1)  # no optimizer: the file's optimizer state is not needed
    model.load_weights(tmp_path / "keras315_sharded.weights.json")
    reference = _with_adam(_model(seed=2))
    reference.load_weights(KERAS_INDEX)
    np.testing.assert_array_equal(_np(model(_x())), _np(reference(_x())))
