"""GaussianNoise: additive noise of the right statistics in training only, seeded, and its
errors."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_gaussian_noise_basics():
    data = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    run_layer_test(
        layers.GaussianNoise,
        init_kwargs={"stddev": 0.5, "seed": 2},
        input_data=data,
        expected_output_shape=(2, 3, 4),
        expected_output=data,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_zero_stddev_has_no_seed_generator_and_adds_nothing():
    layer = layers.GaussianNoise(0.0)
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(_np(layer(x, training=True)), x)
    assert layer.non_trainable_variables == []


def test_training_adds_zero_mean_noise_of_the_given_stddev():
    layer = layers.GaussianNoise(0.3, seed=5)
    x = np.full((200, 200), 2.0, "float32")
    noise = _np(layer(x, training=True)) - x
    assert abs(noise.mean()) < 0.01
    assert abs(noise.std() - 0.3) < 0.01
    np.testing.assert_array_equal(_np(layer(x)), x)


def test_seeded_layers_reproduce_and_calls_differ():
    x = np.zeros((3, 8), "float32")
    layer = layers.GaussianNoise(0.5, seed=9)
    first, second = _np(layer(x, training=True)), _np(layer(x, training=True))
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(_np(layers.GaussianNoise(0.5, seed=9)(x, training=True)), first)


def test_mixed_precision_noise_is_half_precision():
    out = layers.GaussianNoise(0.1, dtype="mixed_float16")(np.ones((2, 2)), training=True)
    assert str(ops.convert_to_numpy(out).dtype) == "float16"


def test_config():
    config = layers.GaussianNoise(0.2, seed=3).get_config()
    assert config["stddev"] == 0.2 and config["seed"] == 3
    assert set(config) == {"name", "trainable", "dtype", "stddev", "seed"}


@pytest.mark.parametrize("stddev", [-0.1, 1.5, "big", None])
def test_bad_stddev_is_refused(stddev):
    with pytest.raises(ValueError, match="GaussianNoise.*stddev"):
        layers.GaussianNoise(stddev)
