"""RandomContrast: `(x - mean) * c + mean` per channel against numpy, outputs within
`value_range`, and factor checks."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(4, 5, 6, 3)):
    return (np.random.default_rng(0).random(shape) * 255).astype("float32")


def test_random_contrast_basics():
    run_layer_test(
        layers.RandomContrast,
        init_kwargs={"factor": 0.5, "seed": 1},
        input_shape=(2, 5, 6, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 6, 3),
        expected_output_dtype="float32",
        expected_num_seed_generators=1,
        deterministic=False,
    )


def test_a_drawn_factor_scales_each_channel_about_its_mean():
    x = _images()
    layer = layers.RandomContrast((0.5, 0.8), seed=1)
    transformation = layer.get_random_transformation(x, training=True, seed=5)
    factor = _np(transformation["contrast_factor"])
    assert factor.shape == (4, 1, 1, 1)
    assert factor.min() >= 0.5 and factor.max() <= 1.8
    mean = x.mean(axis=(1, 2), keepdims=True)
    want = np.clip((x - mean) * factor + mean, 0, 255)
    np.testing.assert_allclose(_np(layer.transform_images(x, transformation)), want, rtol=1e-5)


def test_outputs_stay_within_the_value_range():
    x = _images() / 255
    out = _np(layers.RandomContrast(1.0, value_range=(0, 1), seed=2)(x, training=True))
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.allclose(out, x)


def test_a_single_number_factor_only_raises_the_contrast_as_in_keras():
    layer = layers.RandomContrast(0.3)
    assert layer.factor == (0, 0.3)
    assert layer.get_config()["factor"] == (0, 0.3)


def test_integer_images_pass_through_at_inference_and_become_floats_in_training():
    x = _images().astype("uint8")
    layer = layers.RandomContrast(0.2, seed=3)
    inference = _np(layer(x, training=False))
    assert inference.dtype == np.uint8
    np.testing.assert_array_equal(inference, x)
    assert _np(layer(x, training=True)).dtype == np.float32


@pytest.mark.parametrize("factor", [-0.1, 1.5, (0.2, 1.2), (0.1,), "high", False])
def test_factors_out_of_range_or_of_the_wrong_form_are_refused(factor):
    with pytest.raises(ValueError, match=r"RandomContrast: `factor` must be .*\[0, 1\]"):
        layers.RandomContrast(factor)


@pytest.mark.parametrize("value_range", [(0,), (1, 0), "0-255", (0, None)])
def test_bad_value_ranges_are_refused(value_range):
    with pytest.raises(ValueError, match="RandomContrast: `value_range` must be a pair"):
        layers.RandomContrast(0.1, value_range=value_range)
