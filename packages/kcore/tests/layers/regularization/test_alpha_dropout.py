"""AlphaDropout: dropped units take SELU's saturation value, the affine correction keeps the
mean and variance, noise_shape shares the mask, identity at inference, and its errors."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test

SATURATION = -1.6732632423543772 * 1.0507009873554805


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_alpha_dropout_basics():
    data = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    run_layer_test(
        layers.AlphaDropout,
        init_kwargs={"rate": 0.3, "seed": 2},
        input_data=data,
        expected_output_shape=(2, 3, 4),
        expected_output=data,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_training_keeps_mean_and_variance_of_standard_inputs():
    x = np.random.default_rng(1).standard_normal((400, 400)).astype("float32")
    y = _np(layers.AlphaDropout(0.3, seed=3)(x, training=True))
    assert abs(y.mean()) < 0.02
    assert abs(y.std() - 1) < 0.02


def test_dropped_units_take_the_corrected_saturation_value():
    rate = 0.25
    a = ((1 - rate) * (1 + rate * SATURATION**2)) ** -0.5
    b = -a * SATURATION * rate
    x = np.full((100, 100), 0.5, "float32")
    y = _np(layers.AlphaDropout(rate, seed=5)(x, training=True))
    dropped = np.isclose(y, a * SATURATION + b, atol=1e-5)
    kept = np.isclose(y, a * 0.5 + b, atol=1e-5)
    assert np.all(dropped | kept)
    assert abs(dropped.mean() - rate) < 0.02


def test_noise_shape_shares_the_mask():
    layer = layers.AlphaDropout(0.5, noise_shape=(None, 1, 6), seed=2)
    out = _np(layer(np.ones((3, 5, 6), "float32"), training=True))
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))
    assert layer.get_config()["noise_shape"] == (None, 1, 6)


def test_seeded_layers_reproduce():
    x = np.ones((4, 16), "float32")
    first = _np(layers.AlphaDropout(0.5, seed=8)(x, training=True))
    np.testing.assert_array_equal(_np(layers.AlphaDropout(0.5, seed=8)(x, training=True)), first)


def test_config():
    config = layers.AlphaDropout(0.1, seed=3).get_config()
    assert set(config) == {"name", "trainable", "dtype", "rate", "seed", "noise_shape"}


@pytest.mark.parametrize("rate", [-0.1, 1.0, 2, None])
def test_rates_outside_zero_one_are_refused(rate):
    with pytest.raises(ValueError, match=r"AlphaDropout.*between 0 and 1 \(excluded\)"):
        layers.AlphaDropout(rate)


def test_bad_noise_shape_is_refused():
    with pytest.raises(ValueError, match="noise_shape"):
        layers.AlphaDropout(0.5, noise_shape="abc")
