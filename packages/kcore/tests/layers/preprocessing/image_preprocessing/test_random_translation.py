"""RandomTranslation: known shifts against numpy, the drawn range, and factor checks."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _images(shape=(2, 4, 8, 2)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def test_random_translation_basics():
    run_layer_test(
        layers.RandomTranslation,
        init_kwargs={"height_factor": 0.2, "width_factor": 0.1, "seed": 1},
        input_shape=(2, 5, 6, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 6, 3),
        expected_output_dtype="float32",
        expected_num_seed_generators=1,
        deterministic=False,
    )


def test_a_known_shift_moves_the_image_down_and_left():
    x = _images()
    layer = layers.RandomTranslation(
        (0.25, 0.25), (-0.25, -0.25), fill_mode="constant", fill_value=9.0
    )
    out = _np(layer(x, training=True))
    want = np.full_like(x, 9.0)
    want[:, 1:, :-2] = x[:, :-1, 2:]  # one row down (0.25 * 4), two columns left (0.25 * 8)
    np.testing.assert_allclose(out, want, atol=1e-5)


def test_drawn_shifts_stay_within_the_factors():
    x = np.zeros((64, 4, 8, 1), "float32")
    layer = layers.RandomTranslation(0.5, (0.0, 0.25), seed=2)
    shifts = _np(layer.get_random_transformation(x, training=True)["translations"])
    assert shifts.dtype == np.float32 and shifts.shape == (64, 2)
    assert np.all(np.abs(shifts[:, 1]) <= 2.0) and np.all((shifts[:, 0] >= 0) & (shifts[:, 0] <= 2))


def test_inference_returns_the_images():
    x = _images()
    np.testing.assert_array_equal(_np(layers.RandomTranslation(0.5, 0.5)(x, training=False)), x)


@pytest.mark.parametrize(
    ("height_factor", "width_factor", "argument"),
    [(1.5, 0.1, "height_factor"), (0.1, (-2, 0), "width_factor"), ([0.1], 0.1, "height_factor")],
)
def test_factors_out_of_range_or_of_the_wrong_form_are_refused(
    height_factor, width_factor, argument
):
    with pytest.raises(ValueError, match=rf"RandomTranslation: `{argument}` must be .*\[-1, 1\]"):
        layers.RandomTranslation(height_factor, width_factor)


def test_unknown_interpolations_are_refused():
    layers.RandomTranslation(-1.0, 1.0)
    with pytest.raises(NotImplementedError, match="unknown `interpolation` 'cubic'"):
        layers.RandomTranslation(0.1, 0.1, interpolation="cubic")
