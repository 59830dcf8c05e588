"""RandomBrightness: one offset per image within `factor` times the value range, clipping to
`value_range`, integer images, and factor checks."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(8, 5, 6, 3)):
    return (np.random.default_rng(0).random(shape) * 100 + 50).astype("float32")


def test_random_brightness_basics():
    run_layer_test(
        layers.RandomBrightness,
        init_kwargs={"factor": 0.2, "seed": 1},
        input_shape=(2, 5, 6, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 6, 3),
        expected_output_dtype="float32",
        expected_num_seed_generators=1,
        deterministic=False,
    )


def test_each_image_gets_one_offset_within_the_factor():
    x = _images()
    out = _np(layers.RandomBrightness((-0.1, 0.15), seed=2)(x, training=True))
    offsets = out - x  # no clipping: x + offset stays within [0, 255]
    per_image = offsets.reshape(len(x), -1)
    np.testing.assert_allclose(per_image, per_image[:, :1].repeat(per_image.shape[1], 1), atol=1e-4)
    assert per_image.min() >= -25.5 - 1e-4 and per_image.max() <= 38.25 + 1e-4
    assert len(np.unique(per_image[:, 0].round(3))) > 1


def test_outputs_are_clipped_to_the_value_range():
    x = np.array([[[0.25], [0.75]]], "float32")
    layer = layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
    np.testing.assert_allclose(_np(layer(x, training=True)), [[[0.75], [1.0]]])
    darker = layers.RandomBrightness((-1.0, -1.0), value_range=(0, 1))
    np.testing.assert_array_equal(_np(darker(x, training=True)), np.zeros_like(x))


def test_integer_images_keep_their_dtype_and_do_not_wrap_around():
    x = np.array([[[10], [200]]], "uint8")
    layer = layers.RandomBrightness((-0.5, -0.5))  # -127.5 in [0, 255]
    out = _np(layer(x, training=True))
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, [[[0], [73]]])
    np.testing.assert_array_equal(_np(layer(x, training=False)), x)


def test_value_range_is_sorted_as_in_keras():
    assert layers.RandomBrightness(0.1, value_range=(1, 0)).get_config()["value_range"] == [0, 1]


@pytest.mark.parametrize("factor", [1.2, -1.5, (0.1, 1.1), [0.1, 0.2, 0.3], "0.1"])
def test_factors_out_of_range_or_of_the_wrong_form_are_refused(factor):
    with pytest.raises(ValueError, match=r"RandomBrightness: `factor` must be .*\[-1, 1\]"):
        layers.RandomBrightness(factor)


def test_bad_value_ranges_are_refused():
    with pytest.raises(ValueError, match="RandomBrightness: `value_range` must be a pair"):
        layers.RandomBrightness(0.1, value_range=255)
