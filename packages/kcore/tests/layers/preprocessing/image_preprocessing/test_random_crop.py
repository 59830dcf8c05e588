"""RandomCrop: a random window shared by the batch in training, aspect-ratio resizing at
inference and for small images, and size checks."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(3, 7, 9, 2)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def test_random_crop_basics():
    for training in (True, False):
        run_layer_test(
            layers.RandomCrop,
            init_kwargs={"height": 3, "width": 4, "seed": 1},
            input_shape=(2, 7, 9, 3),
            call_kwargs={"training": training},
            expected_output_shape=(2, 3, 4, 3),
            expected_output_dtype="float32",
            expected_num_seed_generators=1,
            deterministic=not training,
        )


def _window_of(out, x):
    """The (top, left) of the window of `x` that `out` is, or None."""
    height, width = out.shape[1:3]
    for top in range(x.shape[1] - height + 1):
        for left in range(x.shape[2] - width + 1):
            if np.array_equal(out, x[:, top : top + height, left : left + width]):
                return top, left
    return None


def test_training_crops_one_window_for_the_whole_batch():
    x = _images()
    layer = layers.RandomCrop(3, 4, seed=2)
    windows = {_window_of(_np(layer(x, training=True)), x) for _ in range(8)}
    assert None not in windows
    assert len(windows) > 1


def test_a_given_window_is_cropped_exactly():
    x = _images()
    layer = layers.RandomCrop(3, 4)
    np.testing.assert_array_equal(_np(layer.transform_images(x, (2, 5))), x[:, 2:5, 5:9])


def test_inference_resizes_the_centered_window_of_the_target_aspect_ratio():
    x = _images()
    out = _np(layers.RandomCrop(3, 4)(x, training=False))
    want = _np(layers.Resizing(3, 4, crop_to_aspect_ratio=True)(x))
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)


def test_images_smaller_than_the_target_are_resized_in_training():
    x = _images((2, 6, 7, 1))
    out = _np(layers.RandomCrop(8, 9, seed=1)(x, training=True))
    np.testing.assert_allclose(out, _np(layers.Resizing(8, 9)(x)), rtol=1e-6, atol=1e-6)


def test_an_unseeded_layer_saves_the_seed_it_drew():
    layer = layers.RandomCrop(2, 2)
    seed = layer.get_config()["seed"]
    assert isinstance(seed, int)
    x = _images()
    twin = layers.RandomCrop.from_config(layer.get_config())
    np.testing.assert_array_equal(_np(twin(x, training=True)), _np(layer(x, training=True)))


@pytest.mark.parametrize(("height", "width"), [(0, 3), (3, None), (2.0, 3)])
def test_bad_sizes_are_refused(height, width):
    with pytest.raises(ValueError, match="RandomCrop: `(height|width)` must be a positive integer"):
        layers.RandomCrop(height, width)
