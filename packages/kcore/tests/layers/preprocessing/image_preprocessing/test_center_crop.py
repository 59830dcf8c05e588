"""CenterCrop: the central window of larger images, aspect-ratio resizing of smaller ones."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(2, 7, 8, 3)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def test_center_crop_basics():
    run_layer_test(
        layers.CenterCrop,
        init_kwargs={"height": 3, "width": 4},
        input_shape=(2, 7, 8, 3),
        expected_output_shape=(2, 3, 4, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
    )


@pytest.mark.parametrize(("height", "width"), [(3, 4), (4, 5), (7, 8), (1, 1)])
def test_larger_images_give_their_central_window(height, width):
    x = _images()
    top, left = (7 - height) // 2, (8 - width) // 2
    out = _np(layers.CenterCrop(height, width)(x))
    np.testing.assert_array_equal(out, x[:, top : top + height, left : left + width])


def test_smaller_images_resize_the_largest_window_of_the_target_aspect_ratio():
    x = _images()
    out = _np(layers.CenterCrop(10, 5)(x))
    want = _np(layers.Resizing(10, 5, crop_to_aspect_ratio=True)(x))
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)


def test_integer_images_come_out_in_the_compute_dtype():
    out = layers.CenterCrop(2, 2)(np.ones((4, 4, 1), "uint8"))
    assert str(_np(out).dtype) == "float32"


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="CenterCrop: `height` must be a positive integer"):
        layers.CenterCrop(-1, 3)
