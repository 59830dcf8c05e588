"""`.weights.h5` files: Keras 3's layout, round trips, mismatches, atomic writes, filenames."""

import os

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _x(shape=(2, 3)):
    return np.random.default_rng(0).normal(size=shape).astype("float32")


def _objects(filepath):
    """{path: shape (datasets) or None (groups)} of every object in an HDF5 file."""
    found = {}

    def note(name, obj):
        found[name] = obj.shape if isinstance(obj, h5py.Dataset) else None

    with h5py.File(filepath, "r") as f:
        f.visititems(note)
    return found


def _paths(filepath):
    return sorted(name for name in _objects(filepath) if name.endswith("vars"))


def _datasets(filepath):
    return {name: shape for name, shape in _objects(filepath).items() if shape is not None}


def _sequential():
    return kcore.Sequential(
        [
            kcore.Input((3,)),
            layers.Dense(4, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(2),
        ]
    )


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = layers.Dense(3)
        self.scale = self.add_weight(shape=(3,), initializer="ones", name="scale")

    def call(self, x):
        return self.inner(x) * self.scale


class Subclassed(kcore.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(3, activation="relu")
        self.blocks = [Block(), Block()]
        self.zeta = layers.Dense(2)

    def call(self, x):
        x = self.hidden(x)
        for block in self.blocks:
            x = block(x)
        return self.zeta(x)


def test_sequential_round_trip_and_keras_paths(tmp_path):
    model = _sequential()
    filepath = tmp_path / "model.weights.h5"
    kcore.saving.save_weights(model, filepath)
    assert _paths(filepath) == [
        "layers/dense/vars",
        "layers/dense_1/vars",
        "layers/dropout/vars",
        "vars",
    ]
    assert _datasets(filepath) == {
        "layers/dense/vars/0": (3, 4),
        "layers/dense/vars/1": (4,),
        "layers/dense_1/vars/0": (4, 2),
        "layers/dense_1/vars/1": (2,),
    }
    with h5py.File(filepath, "r") as f:
        assert f["vars"].attrs["name"] == model.name
        assert f["layers/dense/vars"].attrs["name"] == model.layers[0].name

    restored = _sequential()
    assert not np.allclose(_np(restored(_x())), _np(model(_x())))
    kcore.saving.load_weights(restored, filepath)
    np.testing.assert_allclose(_np(restored(_x())), _np(model(_x())), rtol=1e-6)


def test_functional_paths_count_layers_by_class_and_include_input_layers(tmp_path):
    inputs = kcore.Input((3,), name="features")
    inner = kcore.Sequential([layers.Dense(4), layers.Dense(4)], name="inner")
    shared = layers.Dense(3, name="shared")
    x = shared(inputs)
    outputs = layers.Dense(1, name="head")(inner(shared(x)))
    model = kcore.Model(inputs, outputs)
    filepath = tmp_path / "functional.weights.h5"
    kcore.saving.save_weights(model, filepath)
    assert _paths(filepath) == [
        "layers/dense/vars",
        "layers/dense_1/vars",
        "layers/input_layer/vars",
        "layers/sequential/layers/dense/vars",
        "layers/sequential/layers/dense_1/vars",
        "layers/sequential/vars",
        "vars",
    ]
    inputs_2 = kcore.Input((3,))
    inner_2 = kcore.Sequential([layers.Dense(4), layers.Dense(4)])
    shared_2 = layers.Dense(3)
    outputs_2 = layers.Dense(1)(inner_2(shared_2(shared_2(inputs_2))))
    restored = kcore.Model(inputs_2, outputs_2)
    kcore.saving.load_weights(restored, filepath)
    np.testing.assert_allclose(_np(restored(_x())), _np(model(_x())), rtol=1e-6)


def test_subclassed_paths_follow_attribute_names_in_keras_order(tmp_path):
    model = Subclassed()
    model(_x())
    filepath = tmp_path / "subclassed.weights.h5"
    kcore.saving.save_weights(model, filepath)
    # Public attributes in sorted order; the model's `layers` list comes before `zeta`, so Keras
    # reaches that layer through it, numbered after `hidden` (a Dense met first in the list).
    assert _paths(filepath) == [
        "blocks/block/inner/vars",
        "blocks/block/vars",
        "blocks/block_1/inner/vars",
        "blocks/block_1/vars",
        "hidden/vars",
        "layers/dense_1/vars",
        "vars",
    ]
    assert _datasets(filepath)["blocks/block/vars/0"] == (3,)
    restored = Subclassed()
    restored(_x())
    kcore.saving.load_weights(restored, filepath)
    np.testing.assert_allclose(_np(restored(_x())), _np(model(_x())), rtol=1e-6)


def test_own_variables_are_stored_trainable_first():
    class Mixed(layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)
            self.kernel = self.add_weight(shape=(2,), initializer="ones")

        def call(self, x):
            return x * self.kernel

    layer = Mixed()
    layer.build((None, 2))
    store = {}
    layer.save_own_variables(store)
    assert [np.shape(store[key]) for key in store] == [(2,), ()]
    store["0"] = np.array([3.0, 4.0], "float32")
    layer.load_own_variables(store)
    assert layer.kernel.numpy().tolist() == [3.0, 4.0]


def test_two_saves_of_a_model_are_byte_identical(tmp_path):
    model = _sequential()
    first, second = tmp_path / "a.weights.h5", tmp_path / "b.weights.h5"
    kcore.saving.save_weights(model, first)
    kcore.saving.save_weights(model, second)
    assert first.read_bytes() == second.read_bytes()


def test_shape_mismatch_names_the_layer_path_and_leaves_the_model_unchanged(tmp_path):
    source = kcore.Sequential([kcore.Input((3,)), layers.Dense(4), layers.Dense(5)])
    filepath = tmp_path / "source.weights.h5"
    kcore.saving.save_weights(source, filepath)
    target = kcore.Sequential([kcore.Input((3,)), layers.Dense(4), layers.Dense(2)])
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(ValueError, match="layers/dense_1") as info:
        kcore.saving.load_weights(target, filepath)
    message = str(info.value)
    assert "(4, 2)" in message and "(4, 5)" in message
    for kept, now in zip(before, target.get_weights()):
        np.testing.assert_array_equal(kept, now)


def test_count_mismatch_reports_expected_and_found_counts(tmp_path):
    source = kcore.Sequential([kcore.Input((3,)), layers.Dense(4)])
    filepath = tmp_path / "source.weights.h5"
    kcore.saving.save_weights(source, filepath)
    target = kcore.Sequential([kcore.Input((3,)), layers.Dense(4, use_bias=False)])
    with pytest.raises(ValueError, match="expected 1 variables, but the weights file has 2"):
        kcore.saving.load_weights(target, filepath)


def test_skip_mismatch_warns_and_loads_the_layers_that_match(tmp_path):
    source = kcore.Sequential([kcore.Input((3,)), layers.Dense(4), layers.Dense(5)])
    filepath = tmp_path / "source.weights.h5"
    kcore.saving.save_weights(source, filepath)
    target = kcore.Sequential([kcore.Input((3,)), layers.Dense(4), layers.Dense(2)])
    kept = target.layers[1].get_weights()
    with pytest.warns(UserWarning, match="could not be loaded"):
        kcore.saving.load_weights(target, filepath, skip_mismatch=True)
    np.testing.assert_array_equal(
        target.layers[0].get_weights()[0], source.layers[0].get_weights()[0]
    )
    np.testing.assert_array_equal(target.layers[1].get_weights()[0], kept[0])


def test_a_failing_save_leaves_the_existing_file_intact(tmp_path):
    class Broken(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(1,))

        def call(self, x):
            return x

        def save_own_variables(self, store):
            store["0"] = self.w.numpy()
            raise RuntimeError("disk full")

    filepath = tmp_path / "model.weights.h5"
    kcore.saving.save_weights(_sequential(), filepath)
    original = filepath.read_bytes()
    broken = kcore.Sequential([kcore.Input((3,)), layers.Dense(2), Broken()])
    with pytest.raises(RuntimeError, match="disk full"):
        kcore.saving.save_weights(broken, filepath)
    assert filepath.read_bytes() == original
    assert os.listdir(tmp_path) == ["model.weights.h5"]


def test_filenames_and_overwrite(tmp_path):
    model = _sequential()
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        kcore.saving.save_weights(model, tmp_path / "model.h5")
    with pytest.raises(ValueError, match="File format not supported"):
        kcore.saving.load_weights(model, tmp_path / "model.npz")
    with pytest.raises(FileNotFoundError, match="No weights file"):
        kcore.saving.load_weights(model, tmp_path / "model.h5")
    filepath = tmp_path / "model.weights.h5"
    kcore.saving.save_weights(model, filepath)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        kcore.saving.save_weights(model, filepath, overwrite=False)
    with pytest.raises(ValueError, match="not yet been built"):
        kcore.saving.save_weights(kcore.Sequential([layers.Dense(2)]), tmp_path / "x.weights.h5")


def test_weights_that_point_outside_the_file_are_refused(tmp_path):
    model = _sequential()
    filepath = tmp_path / "model.weights.h5"
    kcore.saving.save_weights(model, filepath)
    with h5py.File(filepath, "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink("/etc/secret.h5", "data")
    with pytest.raises(ValueError, match="outside the file"):
        kcore.saving.load_weights(model, filepath)


def test_optimizer_state_is_saved_and_built_before_loading(tmp_path):
    optimizers = pytest.importorskip("kcore.optimizers")
    model = _sequential()
    model.optimizer = optimizers.Adam()
    model.optimizer.build(model.trainable_variables)
    for variable in model.optimizer.variables:
        variable.assign(np.full(variable.shape, 3, variable.dtype))
    filepath = tmp_path / "model.weights.h5"
    kcore.saving.save_weights(model, filepath)
    count = len(model.optimizer.variables)
    saved = {path for path in _datasets(filepath) if path.startswith("optimizer/")}
    assert saved == {f"optimizer/vars/{index}" for index in range(count)}

    restored = _sequential()
    restored.optimizer = optimizers.Adam()
    kcore.saving.load_weights(restored, filepath)
    assert len(restored.optimizer.variables) == count
    for variable in restored.optimizer.variables:
        np.testing.assert_array_equal(variable.numpy(), np.full(variable.shape, 3, variable.dtype))


DATA = os.path.join(os.path.dirname(__file__), "data")


def _known(shape, index):
    # The values the reference files hold: written by Keras 3.15 for weight `index`.
    return np.arange(int(np.prod(shape)), dtype="float32").reshape(shape) / 10 + index


def test_loads_a_sequential_weights_file_written_by_keras():
    model = kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4), layers.Dropout(0.2), layers.Dense(2)]
    )
    kcore.saving.load_weights(model, os.path.join(DATA, "keras_sequential.weights.h5"))
    for index, weight in enumerate(model.get_weights()):
        np.testing.assert_array_equal(weight, _known(weight.shape, index))


def test_loads_a_functional_weights_file_written_by_keras_and_writes_the_same_layout(tmp_path):
    inputs = kcore.Input((3,))
    inner = kcore.Sequential([layers.Dense(4), layers.Dense(4)])
    outputs = layers.Dense(1)(inner(layers.Dense(3)(inputs)))
    model = kcore.Model(inputs, outputs)
    reference = os.path.join(DATA, "keras_functional.weights.h5")
    kcore.saving.load_weights(model, reference)
    for index, weight in enumerate(model.get_weights()):
        np.testing.assert_array_equal(weight, _known(weight.shape, index))
    filepath = tmp_path / "again.weights.h5"
    kcore.saving.save_weights(model, filepath)
    assert _objects(filepath) == _objects(reference)
