"""Cropping1D/2D/3D: values against numpy slicing, argument forms, data formats, shapes, and
cropping more than the input holds."""

import numpy as np
import pytest

import kcore
from kcore import layers
from kcore.testing.layers import run_layer_test


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _crop(x, pairs, first_axis):
    index = [slice(None)] * x.ndim
    for offset, (before, after) in enumerate(pairs):
        index[first_axis + offset] = slice(before, x.shape[first_axis + offset] - after)
    return x[tuple(index)]


def test_cropping1d():
    x = _data((2, 6, 3))
    for cropping, pairs in [(2, ((2, 2),)), ((0, 3), ((0, 3),)), ((1, 0), ((1, 0),))]:
        run_layer_test(
            layers.Cropping1D,
            init_kwargs={"cropping": cropping},
            input_data=x,
            expected_output=_crop(x, pairs, 1),
            expected_output_shape=_crop(x, pairs, 1).shape,
            expected_num_trainable_weights=0,
        )
    assert layers.Cropping1D().get_config()["cropping"] == (1, 1)
    assert "data_format" not in layers.Cropping1D().get_config()


CASES = [
    (layers.Cropping2D, 1, ((1, 1), (1, 1)), (2, 4, 5, 2)),
    (layers.Cropping2D, (2, 0), ((2, 2), (0, 0)), (2, 5, 5, 2)),
    (layers.Cropping2D, ((0, 1), (3, 0)), ((0, 1), (3, 0)), (2, 4, 5, 2)),
    (layers.Cropping2D, ((0, 0), (0, 0)), ((0, 0), (0, 0)), (1, 2, 2, 1)),
    (layers.Cropping3D, 1, ((1, 1),) * 3, (1, 3, 4, 5, 2)),
    (layers.Cropping3D, ((0, 1), 1, (2, 0)), ((0, 1), (1, 1), (2, 0)), (1, 3, 4, 5, 2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(("layer_cls", "cropping", "pairs", "shape"), CASES)
def test_cropping_matches_numpy(layer_cls, cropping, pairs, shape, data_format):
    x = _data(shape)
    rank = len(shape) - 2
    first_axis = 1
    if data_format == "channels_first":
        x, first_axis = np.transpose(x, (0, rank + 1, *range(1, rank + 1))), 2
    expected = _crop(x, pairs, first_axis)
    run_layer_test(
        layer_cls,
        init_kwargs={"cropping": cropping, "data_format": data_format},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )
    assert layer_cls(cropping, data_format=data_format).cropping == pairs


def test_defaults_as_keras():
    assert layers.Cropping2D().cropping == ((0, 0), (0, 0))
    assert layers.Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    config = layers.Cropping3D(data_format="channels_first").get_config()
    assert config["data_format"] == "channels_first"
    layer = layers.Cropping2D(1)
    layer(np.zeros((1, 4, 4, 1), "float32"))
    assert layer.get_build_config() == {"input_shape": (1, 4, 4, 1)}


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.Cropping1D((1, 2)), (None, None, 3), (None, None, 3)),
        (layers.Cropping2D(((1, 2), (0, 1))), (None, 4, None, 2), (None, 1, None, 2)),
        (
            layers.Cropping3D(1, data_format="channels_first"),
            (2, 3, None, 4, 5),
            (2, 3, None, 2, 3),
        ),
    ],
)
def test_unknown_dims(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


@pytest.mark.parametrize(
    ("layer_cls", "cropping", "shape"),
    [
        (layers.Cropping1D, (2, 1), (1, 3, 2)),
        (layers.Cropping2D, ((1, 1), (2, 3)), (1, 4, 5, 2)),
        (layers.Cropping3D, ((0, 0), (0, 0), (4, 0)), (1, 2, 2, 4, 1)),
    ],
)
def test_cropping_more_than_the_input_holds(layer_cls, cropping, shape):
    data = np.zeros(shape, "float32")
    match = r"'crop'.*removes \d+ elements from axis \d.*which has only \d"
    with pytest.raises(ValueError, match=match):
        layer_cls(cropping, name="crop")(data)
    with pytest.raises(ValueError, match=match):
        layer_cls(cropping, name="crop")(kcore.KerasTensor((None, *shape[1:])))
    with pytest.raises(ValueError, match=match):
        layer_cls(cropping, name="crop").compute_output_shape(shape)
    # An input that fits, then one that does not.
    layer = layer_cls(cropping, name="crop")
    layer(np.zeros((1, *(d + 4 for d in shape[1:])), "float32"))
    with pytest.raises(ValueError, match=match):
        layer(data)


def test_wrong_input_rank():
    with pytest.raises(ValueError, match=r'"crop".*expected ndim=3, found ndim=4'):
        layers.Cropping1D(name="crop")(np.zeros((1, 5, 2, 1), "float32"))


@pytest.mark.parametrize(
    ("layer_cls", "cropping", "match"),
    [
        (layers.Cropping1D, -1, r"Cropping1D.*`cropping`.*>= 0.*cropping=-1"),
        (layers.Cropping1D, (1, 2, 3), r"Cropping1D.*`cropping`"),
        (layers.Cropping2D, -1, r"Cropping2D.*`cropping`.*>= 0"),
        (layers.Cropping2D, ((0, 0), (0, -2)), r"Cropping2D.*`cropping\[1\]`"),
        (layers.Cropping2D, (1, 2, 3), r"Cropping2D.*tuple of 2"),
        (layers.Cropping3D, (1, 1), r"Cropping3D.*tuple of 3"),
    ],
)
def test_bad_cropping(layer_cls, cropping, match):
    with pytest.raises(ValueError, match=match):
        layer_cls(cropping=cropping)


def test_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.Cropping3D(data_format="channels_middle")


def test_a_model_with_padding_cropping_and_upsampling_saves_and_loads(tmp_path):
    inputs = kcore.Input((4, 5, 2))
    x = kcore.layers.ZeroPadding2D(((1, 0), (2, 1)))(inputs)
    x = kcore.layers.UpSampling2D((2, 1), interpolation="bilinear")(x)
    outputs = kcore.layers.Cropping2D(((1, 2), (0, 3)))(x)
    model = kcore.Model(inputs, outputs)
    assert model.output_shape == (None, 7, 5, 2)
    path = tmp_path / "spatial.keras"
    model.save(path)
    restored = kcore.saving.load_model(path)
    x = _data((2, 4, 5, 2))
    np.testing.assert_allclose(
        kcore.ops.convert_to_numpy(restored(x)), kcore.ops.convert_to_numpy(model(x)), rtol=1e-6
    )
    assert restored.layers[2].interpolation == "bilinear"
