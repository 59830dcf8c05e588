"""RandomFlip: flips drawn per image in training, compared with `ops.flip`; identity at inference."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(16, 4, 5, 2)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def test_random_flip_basics():
    for training in (True, False):
        run_layer_test(
            layers.RandomFlip,
            init_kwargs={"mode": "horizontal", "seed": 1},
            input_shape=(2, 4, 5, 3),
            call_kwargs={"training": training},
            expected_output_shape=(2, 4, 5, 3),
            expected_output_dtype="float32",
            expected_num_trainable_weights=0,
            expected_num_seed_generators=1,
            deterministic=not training,
        )


@pytest.mark.parametrize(
    ("mode", "axes"),
    [("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))],
)
def test_a_seeded_draw_flips_exactly_the_drawn_images(mode, axes):
    x = _images()
    layer = layers.RandomFlip(mode, seed=3)
    transformation = layer.get_random_transformation(x, training=True, seed=21)
    flips = _np(transformation["flips"]).reshape(-1)
    assert 0 < flips.sum() < len(flips)  # both outcomes occur among 16 images
    out = _np(layer.transform_images(x, transformation))
    flipped = _np(ops.flip(x, axis=axes))
    for i, flip in enumerate(flips):
        np.testing.assert_array_equal(out[i], flipped[i] if flip else x[i])


def test_in_training_each_image_is_flipped_or_left_as_is():
    x = _images()
    out = _np(layers.RandomFlip("horizontal", seed=7)(x, training=True))
    flipped = x[:, :, ::-1]
    kinds = [np.array_equal(o, f) for o, f in zip(out, flipped)]
    assert all(np.array_equal(o, i) or k for o, i, k in zip(out, x, kinds))
    assert 0 < sum(kinds) < len(kinds)


def test_inference_returns_the_images_in_the_compute_dtype():
    x = (_images() * 10).astype("int32")
    out = _np(layers.RandomFlip()(x, training=False))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, x)


def test_unknown_modes_are_refused():
    with pytest.raises(ValueError, match="RandomFlip: unknown `mode` 'diagonal'"):
        layers.RandomFlip("diagonal")
