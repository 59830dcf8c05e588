"""UpSampling1D/2D/3D: values against `np.repeat`, the interpolations of UpSampling2D, data
formats, shapes and argument errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _repeat(x, factors, first_axis):
    for offset, factor in enumerate(factors):
        x = np.repeat(x, factor, axis=first_axis + offset)
    return x


@pytest.mark.parametrize("size", [1, 2, 3])
def test_up_sampling1d(size):
    x = _data((2, 3, 4))
    expected = np.repeat(x, size, axis=1)
    run_layer_test(
        layers.UpSampling1D,
        init_kwargs={"size": size},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )


CASES = [
    (layers.UpSampling2D, 2, (2, 2), (2, 3, 4, 2)),
    (layers.UpSampling2D, (1, 3), (1, 3), (2, 3, 4, 2)),
    (layers.UpSampling3D, 2, (2, 2, 2), (1, 2, 3, 2, 2)),
    (layers.UpSampling3D, (3, 1, 2), (3, 1, 2), (1, 2, 3, 2, 2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(("layer_cls", "size", "factors", "shape"), CASES)
def test_nearest_up_sampling_matches_numpy(layer_cls, size, factors, shape, data_format):
    x = _data(shape)
    rank = len(shape) - 2
    first_axis = 1
    if data_format == "channels_first":
        x, first_axis = np.transpose(x, (0, rank + 1, *range(1, rank + 1))), 2
    expected = _repeat(x, factors, first_axis)
    run_layer_test(
        layer_cls,
        init_kwargs={"size": size, "data_format": data_format},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )
    assert layer_cls(size).size == factors


def test_bilinear_up_sampling_uses_half_pixel_centers():
    x = np.array([0.0, 1.0], "float32").reshape(1, 1, 2, 1)
    y = layers.UpSampling2D(size=(1, 2), interpolation="bilinear")(x)
    np.testing.assert_allclose(ops.convert_to_numpy(y).ravel(), [0.0, 0.25, 0.75, 1.0], atol=1e-6)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_interpolated_up_sampling(interpolation, data_format):
    x = _data((2, 3, 4, 2))
    if data_format == "channels_first":
        x = np.transpose(x, (0, 3, 1, 2))
    expected = ops.convert_to_numpy(
        ops.image.resize(x, (6, 12), interpolation=interpolation, data_format=data_format)
    )
    run_layer_test(
        layers.UpSampling2D,
        init_kwargs={"size": (2, 3), "interpolation": interpolation, "data_format": data_format},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )


def test_interpolations_agree_on_a_constant_image():
    x = np.full((1, 2, 3, 1), 5.0, "float32")
    for interpolation in ("nearest", "bilinear", "bicubic"):
        y = layers.UpSampling2D(2, interpolation=interpolation)(x)
        np.testing.assert_allclose(ops.convert_to_numpy(y), np.full((1, 4, 6, 1), 5.0), rtol=1e-5)


def test_config_as_keras():
    config = layers.UpSampling2D(interpolation="BILINEAR").get_config()
    assert config["size"] == (2, 2) and config["interpolation"] == "bilinear"
    assert layers.UpSampling1D().get_config()["size"] == 2
    assert layers.UpSampling3D().get_config()["size"] == (2, 2, 2)
    assert "data_format" not in layers.UpSampling1D().get_config()


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.UpSampling1D(3), (None, None, 4), (None, None, 4)),
        (layers.UpSampling1D(3), (None, 2, 4), (None, 6, 4)),
        (layers.UpSampling2D((2, 3)), (None, None, 4, 2), (None, None, 12, 2)),
        (
            layers.UpSampling3D(2, data_format="channels_first"),
            (2, 3, None, 4, 5),
            (2, 3, None, 8, 10),
        ),
    ],
)
def test_unknown_dims(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


def test_wrong_input_rank():
    with pytest.raises(ValueError, match=r'"up".*expected ndim=5, found ndim=4'):
        layers.UpSampling3D(name="up")(np.zeros((1, 2, 2, 1), "float32"))


def test_bad_arguments():
    with pytest.raises(TypeError, match=r"UpSampling1D.*integer.*size"):
        layers.UpSampling1D(size=2.0)
    with pytest.raises(ValueError, match=r"UpSampling1D.*positive.*size=0"):
        layers.UpSampling1D(size=0)
    with pytest.raises(ValueError, match=r"UpSampling2D.*`size`.*size=\(2, 0\)"):
        layers.UpSampling2D(size=(2, 0))
    with pytest.raises(ValueError, match=r"UpSampling3D.*`size`.*tuple of 3"):
        layers.UpSampling3D(size=(2, 2))
    with pytest.raises(ValueError, match=r"UpSampling2D.*`interpolation`.*'area'"):
        layers.UpSampling2D(interpolation="area")
    with pytest.raises(ValueError, match="data_format"):
        layers.UpSampling2D(data_format="channels_middle")
