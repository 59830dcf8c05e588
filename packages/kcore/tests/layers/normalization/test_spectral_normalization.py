"""SpectralNormalization: the kernel divided by its spectral norm in training, the `vector_u`
power-iteration estimate, Keras's weights and config, `fit`, and its errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

needs_training = pytest.mark.needs_training


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _unit(v):
    return v / np.linalg.norm(v)


def test_spectral_normalization_basics():
    run_layer_test(
        layers.SpectralNormalization,
        init_kwargs={"layer": layers.Dense(3), "power_iterations": 2},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
    )


def test_spectral_normalization_training_call_on_embeddings():
    run_layer_test(
        layers.SpectralNormalization,
        init_kwargs={"layer": layers.Embedding(8, 3)},
        input_shape=(2, 5),
        input_dtype="int32",
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 3),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=1,
        run_mixed_precision_check=False,
        deterministic=False,
    )


def test_weights_are_keras_weights_in_keras_order():
    layer = layers.SpectralNormalization(layers.Dense(4, name="dense"), name="sn")
    layer.build((None, 3))
    assert [w.path for w in layer.weights] == ["sn/dense/kernel", "sn/vector_u", "sn/dense/bias"]
    assert layer.vector_u.shape == (1, 4) and not layer.vector_u.trainable


def test_training_divides_the_kernel_by_the_power_iteration_estimate():
    x = np.random.default_rng(0).normal(size=(2, 5)).astype("float32")
    layer = layers.SpectralNormalization(layers.Dense(3, use_bias=False))
    layer.build(x.shape)
    kernel, u = _np(layer.kernel).astype("float64"), _np(layer.vector_u).astype("float64")

    v = _unit(u @ kernel.T)
    new_u = _unit(v @ kernel)
    sigma = (v @ kernel @ new_u.T).item()
    out = _np(layer(x, training=True))

    np.testing.assert_allclose(_np(layer.vector_u), new_u, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_np(layer.kernel), kernel / sigma, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(out, x @ (kernel / sigma), rtol=1e-4, atol=1e-5)


def test_enough_iterations_give_spectral_norm_one_and_inference_changes_nothing():
    x = np.ones((2, 6), "float32")
    layer = layers.SpectralNormalization(layers.Dense(4), power_iterations=50)
    layer(x)
    before = _np(layer.kernel)
    layer(x)
    np.testing.assert_array_equal(_np(layer.kernel), before)
    layer(x, training=True)
    singular_values = np.linalg.svd(_np(layer.kernel), compute_uv=False)
    np.testing.assert_allclose(singular_values[0], 1.0, rtol=1e-3)


def test_conv_like_kernels_are_reshaped_to_a_matrix():
    class Conv(layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(2, 2, input_shape[-1], 3), name="kernel")

        def call(self, inputs):
            return ops.matmul(inputs, ops.reshape(self.kernel, (-1, 3))[: inputs.shape[-1]])

    layer = layers.SpectralNormalization(Conv(), power_iterations=50)
    layer(np.ones((1, 4), "float32"), training=True)
    matrix = _np(layer.kernel).reshape(-1, 3)
    np.testing.assert_allclose(np.linalg.svd(matrix, compute_uv=False)[0], 1.0, rtol=1e-3)


def test_an_all_zero_kernel_is_left_alone():
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    layer.build((None, 3))
    u = _np(layer.vector_u)
    out = _np(layer(np.ones((1, 3), "float32"), training=True))
    np.testing.assert_array_equal(out, np.zeros((1, 2)))
    np.testing.assert_array_equal(_np(layer.vector_u), u)
    assert np.all(np.isfinite(_np(layer.kernel)))


def test_config_round_trip_keeps_the_wrapped_layer():
    layer = layers.SpectralNormalization(layers.Dense(3, activation="relu"), power_iterations=3)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "layer", "power_iterations"}
    assert config["layer"]["class_name"] == "Dense"
    revived = layers.SpectralNormalization.from_config(config)
    assert isinstance(revived.layer, layers.Dense) and revived.layer.units == 3
    assert revived.power_iterations == 3
    again = kcore.saving.deserialize_keras_object(kcore.saving.serialize_keras_object(layer))
    assert isinstance(again, layers.SpectralNormalization)


def test_symbolic_call_in_a_functional_model():
    inputs = kcore.Input((5,))
    outputs = layers.SpectralNormalization(layers.Dense(2))(inputs)
    assert outputs.shape == (None, 2)
    model = kcore.Model(inputs, outputs)
    assert model(np.ones((3, 5), "float32")).shape == (3, 2)


def test_a_layer_without_a_kernel_is_refused():
    layer = layers.SpectralNormalization(layers.Flatten(), name="sn_bad")
    with pytest.raises(ValueError, match=r'"sn_bad".*Flatten.*no `kernel` nor `embeddings`'):
        layer(np.ones((2, 3), "float32"))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="must be a kcore layer"):
        layers.SpectralNormalization("dense")
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)


def test_wrong_input_size_after_build_is_refused():
    layer = layers.SpectralNormalization(layers.Dense(2))
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="incompatible"):
        layer(np.ones((1, 4), "float32"))


@needs_training
def test_fit_updates_the_estimate_and_trains():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ np.array([[0.5], [-0.3], [0.2], [0.1]], "float32")
    sn = layers.SpectralNormalization(layers.Dense(1), power_iterations=2)
    model = kcore.Sequential([kcore.Input((4,)), sn])
    model.compile(optimizer=kcore.optimizers.SGD(0.05), loss="mse")
    u_before = _np(sn.vector_u)
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    u_after = _np(sn.vector_u)
    assert not np.allclose(u_after, u_before)
    np.testing.assert_allclose(np.abs(u_after), np.ones((1, 1)), rtol=1e-5)
