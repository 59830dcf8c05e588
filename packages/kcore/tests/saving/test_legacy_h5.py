"""Legacy Keras 2 HDF5 files (`.h5`): files written by Keras 3.15.1 and in tf.keras 2.x's layout
load in kcore with Keras's predictions; kcore's own `.h5` files round-trip, deterministically;
weights load in order or by name, with clear mismatch errors.

The files in ``data/`` come from ``make_keras315_h5.py`` (written by Keras 3.15.1, jax backend)
and ``make_keras2_h5.py`` (tf.keras 2.x's layout, checked and predicted by Keras 3.15.1); the
expected numbers below are what those scripts printed.
"""

import json
import os
import shutil

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers, ops

DATA = os.path.join(os.path.dirname(__file__), "data")
PROBE = (np.arange(8, dtype="float32").reshape(2, 4) - 4) / 3
TOKENS = np.array([[1, 2, 3, 4, 5, 6], [11, 0, 7, 7, 2, 9]], "int32")
IMAGE = (np.arange(100, dtype="float32").reshape(2, 5, 5, 2) - 50) / 40


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _names(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def _data(name):
    return os.path.join(DATA, name)


def _with_layer_config(tmp_path, source, index, layer_config):
    """A copy of test file `source` whose model config has `layer_config(old)` as layer `index`."""
    copy = tmp_path / source
    shutil.copy(_data(source), copy)
    with h5py.File(copy, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        model_layers = config["config"]["layers"]
        model_layers[index] = layer_config(model_layers[index])
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
    return copy


def _renamed(class_name):
    return lambda layer: {**layer, "class_name": class_name}


def _sequential(name="seq"):
    return kcore.Sequential(
        [
            kcore.Input((4,)),
            layers.Dense(5, activation="relu", name="dense"),
            layers.BatchNormalization(name="batch_normalization"),
            layers.Dropout(0.3, name="dropout"),
            layers.Dense(2, name="dense_1"),
        ],
        name=name,
    )


def _randomize(model, seed=0):
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        value = rng.normal(size=variable.shape) * 0.5
        if "variance" in variable.path:
            value = np.abs(value) + 0.5
        variable.assign(value.astype(variable.dtype))


# --- files written by Keras 3.15.1 -----------------------------------------------------------


def test_keras315_sequential_predicts_and_restores_its_optimizer():
    model = kcore.saving.load_model(_data("keras315_legacy_sequential.h5"))
    assert model.name == "seq"
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
    ]
    expected = [
        [0.31547898054122925, 0.3771156072616577],
        [-0.5035654306411743, -0.3627293109893799],
    ]
    np.testing.assert_allclose(_np(model(PROBE)), expected, rtol=1e-5, atol=1e-6)
    assert model.compiled and model.loss == "mse"
    variables = model.optimizer.variables
    assert [v.path for v in variables[:4]] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/seq_dense_kernel_momentum",
        "adam/seq_dense_kernel_velocity",
    ]
    sums = [2.0, 0.009999999776482582, -0.7194793033413589, 0.03362468049033396]
    np.testing.assert_allclose(
        [float(_np(v).astype("float64").sum()) for v in variables[:4]], sums, rtol=1e-5
    )
    assert len(variables) == 14


def test_keras315_functional_two_inputs_two_outputs_predicts_as_in_keras():
    model = kcore.saving.load_model(_data("keras315_legacy_functional.h5"))
    assert model.name == "two_in_two_out"
    assert not model.compiled
    score, logits = model([TOKENS, IMAGE])
    np.testing.assert_allclose(
        _np(score), [[0.5051746964454651], [0.49745938181877136]], rtol=1e-5, atol=1e-6
    )
    expected = [
        [1.8780039548873901, -1.0967131853103638, -0.2992818057537079],
        [0.13732999563217163, -2.01849365234375, -1.3040434122085571],
    ]
    np.testing.assert_allclose(_np(logits), expected, rtol=1e-5, atol=1e-5)


def _recurrent_model():
    inputs = kcore.Input((3, 4), name="steps")
    x = layers.Bidirectional(layers.LSTM(2, return_sequences=True))(inputs)
    x = layers.GRU(3, return_sequences=True)(x)
    x = layers.TimeDistributed(layers.Dense(2))(x)
    x = layers.Flatten()(x)
    inner = kcore.Sequential(
        [kcore.Input((6,)), layers.Dense(4, activation="tanh"), layers.Dense(2)], name="head"
    )
    return kcore.Model(inputs, inner(x), name="recurrent")


def test_keras315_legacy_weights_of_recurrent_wrapped_and_nested_layers():
    model = _recurrent_model()
    model.load_weights(_data("keras315_legacy_weights.h5"))
    x = (np.arange(24, dtype="float32").reshape(2, 3, 4) - 12) / 10
    expected = [[0.20085379481315613, 0.7728139758110046], [0.1907167136669159, 0.8058679699897766]]
    np.testing.assert_allclose(_np(model(x)), expected, rtol=1e-5, atol=1e-6)


# --- files in tf.keras 2.x's layout ----------------------------------------------------------


def test_keras2_sequential_with_batch_input_shape_predicts_as_keras3():
    model = kcore.saving.load_model(_data("keras2_sequential.h5"))
    assert model.input_shape == (None, 4)
    assert model.layers[1].get_config()["axis"] == 1  # saved as [1]
    expected = [
        [-0.41096267104148865, -0.5309997797012329],
        [0.13978180289268494, -0.5293129086494446],
    ]
    np.testing.assert_allclose(_np(model(PROBE)), expected, rtol=1e-5, atol=1e-6)
    assert not model.compiled


def test_keras2_functional_model_with_old_nodes_predicts_and_compiles():
    model = kcore.saving.load_model(_data("keras2_functional.h5"))  # decay=0.0: no warning
    assert [layer.name for layer in model.layers][:2] == ["tokens", "image"]
    score, logits = model([TOKENS, IMAGE])
    np.testing.assert_allclose(
        _np(score), [[0.3579234182834625], [0.3529748022556305]], rtol=1e-5, atol=1e-6
    )
    expected = [
        [1.235378384590149, -1.8284265995025635, -3.902050018310547],
        [0.9424936771392822, 1.3743810653686523, -8.003560066223145],
    ]
    np.testing.assert_allclose(_np(logits), expected, rtol=1e-5, atol=1e-5)
    assert type(model.optimizer).__name__ == "Adam"
    assert model.loss == {"score": "binary_crossentropy", "logits": "mean_squared_error"}


def test_keras2_optimizer_v2_state_is_not_restored_with_a_warning(tmp_path):
    copy = tmp_path / "with_optimizer.h5"
    shutil.copy(_data("keras2_functional.h5"), copy)
    with h5py.File(copy, "r+") as f:  # OptimizerV2's order: iter, every m, then every v
        group = f.create_group("optimizer_weights")
        names = [b"Adam/iter:0", b"Adam/score/kernel/m:0", b"Adam/score/kernel/v:0"]
        group.attrs["weight_names"] = np.array(names, "S")
        group.create_dataset("Adam/iter:0", data=np.array(5, "int64"))
        group.create_dataset("Adam/score/kernel/m:0", data=np.zeros((4, 1), "float32"))
        group.create_dataset("Adam/score/kernel/v:0", data=np.zeros((4, 1), "float32"))
    with pytest.warns(UserWarning, match="freshly initialized optimizer"):
        model = kcore.saving.load_model(copy)
    assert int(_np(model.optimizer.iterations)) == 0


def test_keras2_file_loads_uncompiled_and_its_weights_load_by_order():
    model = kcore.saving.load_model(_data("keras2_functional.h5"), compile=False)
    assert not model.compiled
    fresh = kcore.saving.load_model(_data("keras2_functional.h5"), compile=False)
    _randomize(fresh)
    fresh.load_weights(_data("keras2_functional.h5"))
    for a, b in zip(model([TOKENS, IMAGE]), fresh([TOKENS, IMAGE])):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-6)


def test_keras2_cudnn_layer_is_refused_with_a_clear_message(tmp_path):
    copy = _with_layer_config(tmp_path, "keras2_functional.h5", 4, _renamed("CuDNNLSTM"))
    with pytest.raises(ValueError, match="CuDNNLSTM.*'lstm'"):
        kcore.saving.load_model(copy, compile=False)


def test_unknown_class_needs_custom_objects(tmp_path):
    copy = _with_layer_config(tmp_path, "keras2_sequential.h5", 3, _renamed("MyDropout"))
    with pytest.raises(TypeError, match="MyDropout.*custom_objects"):
        kcore.saving.load_model(copy)

    class MyDropout(layers.Dropout):
        pass

    model = kcore.saving.load_model(copy, custom_objects={"MyDropout": MyDropout})
    assert type(model.layers[2]) is MyDropout


# --- kcore's own files -----------------------------------------------------------------------


def test_round_trip_writes_keras_layout(tmp_path):
    model = _sequential()
    _randomize(model)
    path = tmp_path / "model.h5"
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)
    with h5py.File(path, "r") as f:
        assert json.loads(f.attrs["model_config"])["class_name"] == "Sequential"
        layer_config = json.loads(f.attrs["model_config"])["config"]["layers"][1]
        assert set(layer_config) == {"class_name", "config"}
        group = f["model_weights"]
        assert _names(group.attrs["layer_names"]) == [
            "dense",
            "batch_normalization",
            "dropout",
            "dense_1",
        ]
        assert _names(group["batch_normalization"].attrs["weight_names"]) == [
            "seq/batch_normalization/gamma",
            "seq/batch_normalization/beta",
            "seq/batch_normalization/moving_mean",
            "seq/batch_normalization/moving_variance",
        ]
        assert "training_config" not in f.attrs and "optimizer_weights" not in f
    loaded = kcore.saving.load_model(path)
    np.testing.assert_allclose(_np(loaded(PROBE)), _np(model(PROBE)), rtol=1e-6)


def test_round_trip_of_nested_functional_and_recurrent_layers(tmp_path):
    model = _recurrent_model()
    _randomize(model, seed=3)
    inputs = kcore.Input((3, 4), name="outer_steps")
    outer = kcore.Model(inputs, layers.Dense(1)(model(inputs)), name="outer")
    path = tmp_path / "nested.hdf5"
    with pytest.warns(UserWarning, match="legacy"):
        kcore.saving.save_model(outer, path)
    loaded = kcore.saving.load_model(path)
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_allclose(_np(loaded(x)), _np(outer(x)), rtol=1e-5, atol=1e-6)


def test_saving_twice_gives_the_same_bytes(tmp_path):
    model = _sequential()
    _randomize(model)
    with pytest.warns(UserWarning, match="legacy"):
        model.save(tmp_path / "a.h5")
        model.save(tmp_path / "b.h5")
    assert (tmp_path / "a.h5").read_bytes() == (tmp_path / "b.h5").read_bytes()


def test_compile_arguments_and_optimizer_state_round_trip(tmp_path):
    model = _sequential()
    _randomize(model)
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.optimizer.build(model.trainable_variables)
    for index, variable in enumerate(model.optimizer.variables):
        variable.assign(np.full(variable.shape, index + 1).astype(variable.dtype))
    path = tmp_path / "compiled.h5"
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)
    loaded = kcore.saving.load_model(path)
    assert loaded.loss == "mse"
    saved = [_np(v) for v in model.optimizer.variables]
    restored = [_np(v) for v in loaded.optimizer.variables]
    assert len(saved) == len(restored)
    for a, b in zip(saved, restored):
        np.testing.assert_allclose(a, b)
    with pytest.warns(UserWarning, match="legacy"):
        model.save(tmp_path / "plain.h5", include_optimizer=False)
    assert not kcore.saving.load_model(tmp_path / "plain.h5").compiled


def test_load_weights_by_name_into_layers_in_another_order(tmp_path):
    source = kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4, name="a"), layers.Dense(4, name="b")]
    )
    _randomize(source)
    with pytest.warns(UserWarning, match="legacy"):
        source.save(tmp_path / "source.h5")
    inputs = kcore.Input((3,))
    b = layers.Dense(4, name="b")
    a = layers.Dense(4, name="a")
    target = kcore.Model(inputs, b(a(inputs)) + layers.Dense(4, name="extra")(inputs))
    _randomize(target, seed=5)
    extra = _np(target.get_layer("extra").kernel)
    target.load_weights(tmp_path / "source.h5", by_name=True)
    for name in ("a", "b"):
        np.testing.assert_allclose(
            _np(target.get_layer(name).kernel), _np(source.get_layer(name).kernel)
        )
    np.testing.assert_allclose(_np(target.get_layer("extra").kernel), extra)


def _mismatched(tmp_path):
    source = kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4, name="dense"), layers.Dense(2, name="dense_1")]
    )
    _randomize(source)
    with pytest.warns(UserWarning, match="legacy"):
        source.save(tmp_path / "source.h5")
    target = kcore.Sequential(
        [kcore.Input((3,)), layers.Dense(4, name="dense"), layers.Dense(5, name="dense_1")]
    )
    _randomize(target, seed=9)
    return source, target


def test_mismatch_error_names_the_layer_counts_and_shapes(tmp_path):
    _, target = _mismatched(tmp_path)
    before = [_np(v) for v in target.weights]
    with pytest.raises(ValueError) as info:
        target.load_weights(tmp_path / "source.h5")
    message = str(info.value)
    assert "layer #1" in message and "'dense_1'" in message
    assert "expects 2 weight(s)" in message and "(4, 5)" in message
    assert "has 2 weight(s)" in message and "(4, 2)" in message
    for value, variable in zip(before, target.weights):  # nothing was assigned
        np.testing.assert_allclose(_np(variable), value)


def test_skip_mismatch_warns_for_each_skipped_layer(tmp_path):
    source, target = _mismatched(tmp_path)
    skipped = _np(target.layers[1].kernel)
    with pytest.warns(UserWarning, match="skip_mismatch=True") as record:
        target.load_weights(tmp_path / "source.h5", skip_mismatch=True)
    assert len([w for w in record if "skip_mismatch" in str(w.message)]) == 1
    np.testing.assert_allclose(_np(target.layers[0].kernel), _np(source.layers[0].kernel))
    np.testing.assert_allclose(_np(target.layers[1].kernel), skipped)


def test_lambda_is_refused_in_safe_mode(tmp_path):
    model = kcore.Sequential([kcore.Input((2,)), layers.Lambda(lambda x: x * 3.0)])
    path = tmp_path / "lambda.h5"
    with pytest.warns(UserWarning):
        model.save(path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        kcore.saving.load_model(path)
    loaded = kcore.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(_np(loaded(np.ones((1, 2), "float32"))), [[3.0, 3.0]])


def test_keras2_lambda_saved_as_a_list_is_refused_in_safe_mode(tmp_path):
    lambda_config = {
        "class_name": "Lambda",
        "config": {
            "name": "dropout",
            "trainable": True,
            "dtype": "float32",
            "function": ["4wEAAAAAAAAA", None, None],
            "function_type": "lambda",
            "module": "__main__",
            "output_shape": None,
            "output_shape_type": "raw",
            "output_shape_module": None,
            "arguments": {},
        },
    }
    copy = _with_layer_config(tmp_path, "keras2_sequential.h5", 3, lambda _: lambda_config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        kcore.saving.load_model(copy)


def test_weights_only_h5_is_refused_by_save_weights_as_in_keras(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        _sequential().save_weights(tmp_path / "model.h5")


def test_file_without_model_config_points_to_load_weights(tmp_path):
    with pytest.raises(ValueError, match="load_weights"):
        kcore.saving.load_model(_data("keras315_legacy_weights.h5"))


def test_by_name_is_refused_for_other_formats(tmp_path):
    with pytest.raises(ValueError, match="by_name"):
        _sequential().load_weights(tmp_path / "model.weights.h5", by_name=True)


def test_links_in_the_file_are_refused(tmp_path):
    copy = tmp_path / "linked.h5"
    shutil.copy(_data("keras2_sequential.h5"), copy)
    with h5py.File(copy, "r+") as f:
        group = f["model_weights/dense/dense"]
        del group["bias:0"]
        group["bias:0"] = h5py.ExternalLink("other.h5", "/bias")
    with pytest.raises(ValueError, match="ExternalLink"):
        kcore.saving.load_model(copy)
