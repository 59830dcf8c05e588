"""RandomZoom: known zooms of a linear ramp against numpy, and its factor checks."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _ramp(height=5, width=7):
    rows, cols = np.mgrid[:height, :width].astype("float32")
    return (10 * rows + cols)[None, :, :, None]


def test_random_zoom_basics():
    run_layer_test(
        layers.RandomZoom,
        init_kwargs={"height_factor": 0.2, "width_factor": (-0.3, 0.1), "seed": 1},
        input_shape=(2, 5, 6, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 5, 6, 3),
        expected_output_dtype="float32",
        expected_num_seed_generators=1,
        deterministic=False,
    )


def _zoomed_ramp(zoom_y, zoom_x, height=5, width=7):
    rows, cols = np.mgrid[:height, :width].astype("float64")
    source_y = zoom_y * rows + (height - 1) / 2 * (1 - zoom_y)
    source_x = zoom_x * cols + (width - 1) / 2 * (1 - zoom_x)
    return (10 * source_y + source_x)[None, :, :, None]


def test_zooming_in_samples_nearer_the_center():
    out = _np(layers.RandomZoom((-0.5, -0.5))(_ramp(), training=True))
    np.testing.assert_allclose(out, _zoomed_ramp(0.5, 0.5), atol=1e-4)


def test_a_width_factor_zooms_the_width_on_its_own():
    layer = layers.RandomZoom((0.0, 0.0), width_factor=(-0.25, -0.25))
    out = _np(layer(_ramp(), training=True))
    np.testing.assert_allclose(out, _zoomed_ramp(1.0, 0.75), atol=1e-4)


def test_zooming_out_fills_the_border():
    x = np.ones((1, 5, 5, 1), "float32")
    out = _np(layers.RandomZoom((1.0, 1.0), fill_mode="constant", fill_value=-1.0)(x))
    assert out[0, 0, 0, 0] == -1.0 and out[0, 2, 2, 0] == 1.0


def test_drawn_zooms_stay_within_the_factors():
    x = np.zeros((64, 4, 4, 1), "float32")
    layer = layers.RandomZoom(0.2, width_factor=(-0.5, -0.4), seed=1)
    transformation = layer.get_random_transformation(x, training=True)
    height_zoom, width_zoom = _np(transformation["height_zoom"]), _np(transformation["width_zoom"])
    assert height_zoom.min() >= 0.8 and height_zoom.max() <= 1.2
    assert width_zoom.min() >= 0.5 and width_zoom.max() <= 0.6


def test_inference_returns_the_images():
    x = _ramp()
    np.testing.assert_array_equal(_np(layers.RandomZoom(0.5)(x, training=False)), x)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"height_factor": -1.0}, "height_factor"),
        ({"height_factor": 1.2}, "height_factor"),
        ({"height_factor": (0.1, 0.2, 0.3)}, "height_factor"),
        ({"height_factor": None}, "height_factor"),
        ({"height_factor": 0.1, "width_factor": (-1.0, 0.2)}, "width_factor"),
        ({"height_factor": 0.1, "width_factor": "wide"}, "width_factor"),
    ],
)
def test_factors_out_of_range_or_of_the_wrong_form_are_refused(kwargs, argument):
    with pytest.raises(ValueError, match=rf"RandomZoom: `{argument}` must be .*\(-1, 1\]"):
        layers.RandomZoom(**kwargs)


def test_factor_one_is_allowed_and_unknown_modes_are_refused():
    layers.RandomZoom(1.0)
    with pytest.raises(NotImplementedError, match="RandomZoom: unknown `fill_mode` 'edge'"):
        layers.RandomZoom(0.1, fill_mode="edge")
