import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test


def test_dropout():
    data = np.arange(12, dtype="float32").reshape(3, 4)
    run_layer_test(
        kcore.layers.Dropout,
        init_kwargs={"rate": 0.5, "seed": 1337},
        input_data=data,
        expected_output_shape=(3, 4),
        expected_output=data,  # identity at inference
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
        expected_mask_shape=(3, 4),
    )


def test_dropout_rate_zero_has_no_seed_generator():
    run_layer_test(
        kcore.layers.Dropout,
        init_kwargs={"rate": 0.0},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_seed_generators=0,
        expected_num_non_trainable_variables=0,
    )


def test_dropout_training_drops_rate_fraction_and_rescales():
    layer = kcore.layers.Dropout(0.3, seed=7)
    out = ops.convert_to_numpy(layer(np.ones((200, 100), "float32"), training=True))
    kept = out != 0
    assert abs(1 - kept.mean() - 0.3) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    # Inference: identity.
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(np.ones((2, 3)))), np.ones((2, 3)))


def test_dropout_draws_new_masks_and_is_reproducible_from_its_seed():
    x = np.ones((4, 50), "float32")
    first = kcore.layers.Dropout(0.5, seed=3)
    a = ops.convert_to_numpy(first(x, training=True))
    b = ops.convert_to_numpy(first(x, training=True))
    assert not np.array_equal(a, b)
    again = ops.convert_to_numpy(kcore.layers.Dropout(0.5, seed=3)(x, training=True))
    np.testing.assert_array_equal(a, again)


def test_dropout_noise_shape_shares_the_mask():
    layer = kcore.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=2)
    out = ops.convert_to_numpy(layer(np.ones((3, 5, 6), "float32"), training=True))
    # Every timestep of a sample drops the same features.
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))
    assert layer.get_config()["noise_shape"] == (None, 1, 6)


def test_dropout_symbolic_training_call():
    y = kcore.layers.Dropout(0.5)(kcore.KerasTensor((None, 4)), training=True)
    assert y.shape == (None, 4)


@pytest.mark.parametrize("rate", [-0.1, 1.5, "half"])
def test_dropout_invalid_rate(rate):
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        kcore.layers.Dropout(rate)


@pytest.mark.parametrize("noise_shape", ["abc", 3, (2, 0), (2, 1.5)])
def test_dropout_invalid_noise_shape(noise_shape):
    with pytest.raises(ValueError, match="noise_shape"):
        kcore.layers.Dropout(0.5, noise_shape=noise_shape)
