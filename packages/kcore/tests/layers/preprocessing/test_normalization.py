"""Normalization: given and adapted statistics, Keras's weights, adapt data kinds, errors, and use
inside models."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_normalization_with_given_statistics():
    x = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], "float32")
    run_layer_test(
        layers.Normalization,
        init_kwargs={"mean": [1.0, 2.0, 3.0], "variance": [4.0, 1.0, 0.25]},
        input_data=x,
        expected_output_shape=(2, 3),
        expected_output_dtype="float32",
        expected_output=(x - [1.0, 2.0, 3.0]) / np.sqrt([4.0, 1.0, 0.25]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_scalar_statistics_broadcast_and_invert():
    x = np.array([[1.0], [2.0], [3.0]], "float32")
    layer = layers.Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(_np(layer(x)), (x - 3.0) / np.sqrt(2.0), rtol=1e-6)
    inverse = layers.Normalization(mean=3.0, variance=2.0, invert=True)
    np.testing.assert_allclose(_np(inverse(layer(x))), x, rtol=1e-6)


def test_adapt_per_feature_matches_numpy_and_keeps_keras_weights():
    data = np.random.default_rng(0).normal(2.0, 3.0, size=(50, 4)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(data)
    assert [w.path for w in layer.weights] == [
        f"{layer.name}/mean",
        f"{layer.name}/variance",
        f"{layer.name}/count",
    ]
    assert [w.shape for w in layer.weights] == [(4,), (4,), ()]
    assert not layer.trainable_weights
    np.testing.assert_allclose(_np(layer.adapt_mean), data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(_np(layer.adapt_variance), data.var(0), rtol=1e-5)
    expected = (data[:3] - data.mean(0)) / data.std(0)
    np.testing.assert_allclose(_np(layer(data[:3])), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(("axis", "reduce"), [(None, None), ((1, 2), (0,)), (1, (0, 2))])
def test_adapt_over_axes(axis, reduce):
    data = np.random.default_rng(1).uniform(size=(6, 3, 4)).astype("float32")
    layer = layers.Normalization(axis=axis)
    layer.adapt(data)
    mean = data.mean(axis=reduce, keepdims=True)
    std = data.std(axis=reduce, keepdims=True)
    np.testing.assert_allclose(_np(layer(data)), (data - mean) / std, rtol=1e-4, atol=1e-5)


def test_adapt_on_batches_equals_adapt_on_the_whole_array():
    data = np.random.default_rng(2).normal(size=(30, 3)).astype("float32")
    whole = layers.Normalization()
    whole.adapt(data)

    class Batches(kcore.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return data[index * 10 : (index + 1) * 10], np.zeros((10,))

    sources = [
        [data[:7], data[7:20], data[20:]],
        (batch for batch in [data[:15], data[15:]]),
        Batches(),
    ]
    for source in sources:
        layer = layers.Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(_np(layer.adapt_mean), _np(whole.adapt_mean), rtol=1e-5)
        np.testing.assert_allclose(_np(layer.adapt_variance), _np(whole.adapt_variance), rtol=1e-5)


def test_adapt_on_a_list_of_numbers_and_on_a_tensor():
    layer = layers.Normalization(axis=None)
    layer.adapt([1.0, 2.0, 3.0, 4.0, 5.0])
    np.testing.assert_allclose(
        _np(layer(np.array([1.0, 3.0], "float32"))), [-np.sqrt(2.0), 0.0], rtol=1e-6
    )
    again = layers.Normalization(axis=None)
    again.adapt(ops.convert_to_tensor(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32")))
    np.testing.assert_allclose(_np(again.adapt_variance), 2.0, rtol=1e-6)


def test_weights_round_trip_through_set_weights_and_keras_files(tmp_path):
    data = np.random.default_rng(3).normal(size=(20, 3)).astype("float32")
    layer = layers.Normalization()
    layer.adapt(data)
    twin = layers.Normalization.from_config(layer.get_config())
    twin.build((None, 3))
    twin.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(twin(data)), _np(layer(data)), rtol=1e-6)

    model = kcore.Sequential([kcore.Input((3,)), layer])
    model.save(tmp_path / "norm.keras")
    loaded = kcore.saving.load_model(tmp_path / "norm.keras")
    np.testing.assert_allclose(_np(loaded(data)), _np(model(data)), rtol=1e-6)


def test_mixed_precision_computes_in_float16():
    layer = layers.Normalization(dtype="mixed_float16")
    layer.adapt(np.arange(12.0, dtype="float32").reshape(4, 3))
    output = layer(np.ones((2, 3), "float32"))
    assert kcore.backend.standardize_dtype(output.dtype) == "float16"
    assert all(w.dtype in ("float32", "int32") for w in layer.weights)


def test_symbolic_call_keeps_shape():
    layer = layers.Normalization(mean=0.0, variance=1.0)
    output = layer(kcore.KerasTensor((None, 5)))
    assert output.shape == (None, 5) and output.dtype == "float32"


@pytest.mark.needs_training
def test_adapted_layer_inside_fit_and_predict():
    rng = np.random.default_rng(4)
    x = rng.normal(5.0, 2.0, size=(64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    norm = layers.Normalization()
    norm.adapt(x)
    inputs = kcore.Input((3,))
    model = kcore.Model(inputs, layers.Dense(1)(norm(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in norm.get_weights()]
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    for saved, now in zip(before, norm.get_weights()):
        np.testing.assert_array_equal(saved, now)
    predicted = model.predict(x[:4], verbose=0)
    assert predicted.shape == (4, 1) and np.all(np.isfinite(predicted))


def test_error_on_adapt_with_data_of_the_wrong_rank():
    layer = layers.Normalization()
    layer.adapt(np.ones((4, 3), "float32"))
    with pytest.raises(ValueError, match=r"incompatible shape, data.shape=\(2, 3, 3\)"):
        layer.adapt(np.ones((2, 3, 3), "float32"))
    with pytest.raises(ValueError, match=r"data.shape=\(4, 5\)"):
        layer.adapt(np.ones((4, 5), "float32"))


def test_error_on_call_before_adapt():
    layer = layers.Normalization()
    with pytest.raises(ValueError, match="has no mean and variance yet.*adapt"):
        layer(np.ones((2, 3), "float32"))
    # Weights set another way count as statistics.
    layer.adapt_mean.assign(np.ones((3,), "float32"))
    np.testing.assert_allclose(_np(layer(np.ones((2, 3), "float32"))), 0.0)


def test_error_on_call_with_another_rank():
    layer = layers.Normalization(mean=0.0, variance=1.0)
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"built for inputs of shape \(2, 3\).*\(2, 3, 1\)"):
        layer(np.ones((2, 3, 1), "float32"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mean": 1.0}, "both `mean` and `variance` must be set"),
        ({"mean": [1.0, 2.0], "variance": [1.0]}, "must have the same shape"),
        ({"axis": None, "mean": [1.0], "variance": [1.0]}, "rank of `mean`"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Normalization(**kwargs)


def test_errors_on_bad_axis_and_unbroadcastable_mean():
    with pytest.raises(ValueError, match=r"axis.*range \[-ndim, ndim\).*ndim=2"):
        layers.Normalization(axis=3).build((None, 4))
    with pytest.raises(ValueError, match="cannot be broadcast"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0, 1.0]).build((None, 3))
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt(iter([]))
