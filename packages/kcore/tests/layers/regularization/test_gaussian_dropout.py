"""GaussianDropout: multiplicative noise of mean 1 and variance rate / (1 - rate) in training
only, seeded, and its errors."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_gaussian_dropout_basics():
    data = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    run_layer_test(
        layers.GaussianDropout,
        init_kwargs={"rate": 0.3, "seed": 2},
        input_data=data,
        expected_output_shape=(2, 3, 4),
        expected_output=data,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_training_multiplies_by_noise_of_mean_one_and_the_dropout_variance():
    rate = 0.2
    layer = layers.GaussianDropout(rate, seed=4)
    factors = _np(layer(np.ones((300, 300), "float32"), training=True))
    assert abs(factors.mean() - 1) < 0.01
    assert abs(factors.var() - rate / (1 - rate)) < 0.01
    np.testing.assert_array_equal(_np(layer(np.ones((2, 2), "float32"))), np.ones((2, 2)))


def test_seeded_layers_reproduce_and_calls_differ():
    x = np.ones((3, 8), "float32")
    layer = layers.GaussianDropout(0.5, seed=9)
    first, second = _np(layer(x, training=True)), _np(layer(x, training=True))
    assert not np.array_equal(first, second)
    again = _np(layers.GaussianDropout(0.5, seed=9)(x, training=True))
    np.testing.assert_array_equal(again, first)


def test_zero_rate_is_the_identity():
    layer = layers.GaussianDropout(0.0)
    np.testing.assert_array_equal(_np(layer(np.ones((2, 2)), training=True)), np.ones((2, 2)))
    assert layer.non_trainable_variables == []


def test_config():
    config = layers.GaussianDropout(0.25, seed=1).get_config()
    assert set(config) == {"name", "trainable", "dtype", "rate", "seed"}
    assert layers.GaussianDropout.from_config(config).rate == 0.25


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "x"])
def test_rates_outside_zero_one_are_refused(rate):
    with pytest.raises(ValueError, match=r"GaussianDropout.*between 0 and 1 \(excluded\)"):
        layers.GaussianDropout(rate)
