"""RandomRotation: rotations by known angles against `np.rot90`, the drawn angles' range, and
argument errors."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _square_images(n=2, size=5, channels=2):
    return np.random.default_rng(0).standard_normal((n, size, size, channels)).astype("float32")


def test_random_rotation_basics():
    run_layer_test(
        layers.RandomRotation,
        init_kwargs={"factor": 0.2, "fill_mode": "constant", "seed": 1},
        input_shape=(2, 5, 6, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 6, 3),
        expected_output_dtype="float32",
        expected_num_seed_generators=1,
        deterministic=False,
    )


@pytest.mark.parametrize(("turns", "k"), [(0.25, 1), (-0.25, -1), (0.5, 2)])
def test_a_known_angle_matches_rot90_counter_clockwise(turns, k):
    x = _square_images()
    layer = layers.RandomRotation((turns, turns), fill_mode="constant")
    out = _np(layer(x, training=True))
    np.testing.assert_allclose(out, np.rot90(x, k=k, axes=(1, 2)), atol=1e-4)


def test_the_rotation_matrix_rotates_about_the_image_center():
    x = np.zeros((1, 5, 7, 1), "float32")
    layer = layers.RandomRotation(0.3, seed=2)
    transformation = layer.get_random_transformation(x, training=True)
    angle = np.deg2rad(_np(transformation["angle"])[0])
    rows = _np(transformation["rotation_matrix"])[0]
    cx, cy = 3.0, 2.0
    # The center samples itself; a point one pixel right of it samples the rotated point.
    np.testing.assert_allclose(rows[0] * cx + rows[1] * cy + rows[2], cx, atol=1e-5)
    np.testing.assert_allclose(rows[3] * cx + rows[4] * cy + rows[5], cy, atol=1e-5)
    np.testing.assert_allclose(
        [rows[0] * (cx + 1) + rows[1] * cy + rows[2], rows[3] * (cx + 1) + rows[4] * cy + rows[5]],
        [cx + np.cos(angle), cy + np.sin(angle)],
        atol=1e-5,
    )


def test_drawn_angles_stay_within_the_factor_range():
    x = np.zeros((64, 4, 4, 1), "float32")
    layer = layers.RandomRotation((-0.1, 0.05), seed=3)
    angles = _np(layer.get_random_transformation(x, training=True)["angle"])
    assert angles.min() >= -36.0 and angles.max() <= 18.0
    assert angles.min() < -18.0 and angles.max() > 0.0


def test_inference_returns_the_images():
    x = _square_images()
    np.testing.assert_array_equal(_np(layers.RandomRotation(0.5)(x, training=False)), x)


def test_factor_is_stored_as_a_pair():
    assert layers.RandomRotation(0.2).get_config()["factor"] == (-0.2, 0.2)
    assert layers.RandomRotation([0.3, -0.1]).factor == (-0.1, 0.3)


@pytest.mark.parametrize("factor", [1.5, -1.01, (0.1, 2.0), (0.1, 0.2, 0.3), "0.1", True, None])
def test_factors_out_of_range_or_of_the_wrong_form_are_refused(factor):
    if factor is None:
        # None means 0, as in Keras: no rotation.
        assert layers.RandomRotation(factor).factor == (0, 0)
        return
    with pytest.raises(ValueError, match="RandomRotation: `factor` must be a number or a pair"):
        layers.RandomRotation(factor)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fill_mode": "mirror"}, "unknown `fill_mode` 'mirror'"),
        ({"interpolation": "bicubic"}, "unknown `interpolation` 'bicubic'"),
    ],
)
def test_unknown_fill_modes_and_interpolations_are_refused(kwargs, message):
    with pytest.raises(NotImplementedError, match=f"RandomRotation: {message}"):
        layers.RandomRotation(0.1, **kwargs)
