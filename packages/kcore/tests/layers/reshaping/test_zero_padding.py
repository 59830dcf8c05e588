"""ZeroPadding1D/2D/3D: values against `np.pad`, the argument forms, data formats, shapes."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


CASES = [
    # (layer, padding argument, per-axis pairs, input shape (channels last))
    (layers.ZeroPadding1D, 2, ((2, 2),), (2, 3, 4)),
    (layers.ZeroPadding1D, (0, 3), ((0, 3),), (2, 3, 4)),
    (layers.ZeroPadding2D, 1, ((1, 1), (1, 1)), (2, 3, 4, 2)),
    (layers.ZeroPadding2D, (2, 0), ((2, 2), (0, 0)), (2, 3, 4, 2)),
    (layers.ZeroPadding2D, ((1, 2), (3, 0)), ((1, 2), (3, 0)), (2, 3, 4, 2)),
    (layers.ZeroPadding3D, 1, ((1, 1),) * 3, (1, 2, 3, 2, 2)),
    (layers.ZeroPadding3D, ((0, 1), 2, (3, 0)), ((0, 1), (2, 2), (3, 0)), (1, 2, 3, 2, 2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(("layer_cls", "padding", "pairs", "shape"), CASES)
def test_zero_padding_matches_numpy(layer_cls, padding, pairs, shape, data_format):
    x = _data(shape)
    rank = len(shape) - 2
    if data_format == "channels_first":
        x = np.transpose(x, (0, rank + 1, *range(1, rank + 1)))
        widths = [(0, 0), (0, 0), *pairs]
    else:
        widths = [(0, 0), *pairs, (0, 0)]
    expected = np.pad(x, widths)
    run_layer_test(
        layer_cls,
        init_kwargs={"padding": padding, "data_format": data_format},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )
    layer = layer_cls(padding=padding, data_format=data_format)
    assert layer.padding == (pairs[0] if rank == 1 else pairs)


def test_defaults_and_config_as_keras():
    assert layers.ZeroPadding1D().get_config()["padding"] == (1, 1)
    assert layers.ZeroPadding2D().get_config()["padding"] == ((1, 1), (1, 1))
    assert layers.ZeroPadding3D().get_config()["padding"] == ((1, 1), (1, 1), (1, 1))
    layer = layers.ZeroPadding2D(padding=[[1, 2], [3, 4]], data_format="channels_first")
    restored = layers.ZeroPadding2D.from_config(layer.get_config())
    assert restored.padding == ((1, 2), (3, 4)) and restored.data_format == "channels_first"


def test_int_inputs_keep_their_dtype():
    x = np.arange(6, dtype="int32").reshape(1, 3, 2)
    y = layers.ZeroPadding1D(1)(x)
    assert kcore.backend.standardize_dtype(y.dtype) == "int32"
    np.testing.assert_array_equal(ops.convert_to_numpy(y), np.pad(x, ((0, 0), (1, 1), (0, 0))))


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.ZeroPadding1D((1, 2)), (None, None, 3), (None, None, 3)),
        (layers.ZeroPadding2D(((1, 2), (0, 1))), (None, 4, None, 2), (None, 7, None, 2)),
        (
            layers.ZeroPadding3D(1, data_format="channels_first"),
            (2, 3, None, 4, 5),
            (2, 3, None, 6, 7),
        ),
    ],
)
def test_unknown_dims(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


def test_wrong_input_rank():
    with pytest.raises(ValueError, match=r'"pad".*expected ndim=4, found ndim=3'):
        layers.ZeroPadding2D(name="pad")(np.zeros((1, 2, 3), "float32"))


@pytest.mark.parametrize(
    ("layer_cls", "padding", "match"),
    [
        (layers.ZeroPadding1D, -1, r"ZeroPadding1D.*`padding`.*>= 0.*padding=-1"),
        (layers.ZeroPadding1D, (1, 2, 3), r"ZeroPadding1D.*`padding`"),
        (layers.ZeroPadding2D, -2, r"ZeroPadding2D.*`padding`.*>= 0"),
        (layers.ZeroPadding2D, ((1, -1), (0, 0)), r"ZeroPadding2D.*`padding\[0\]`.*>= 0"),
        (layers.ZeroPadding2D, (1, 2, 3), r"ZeroPadding2D.*tuple of 2"),
        (layers.ZeroPadding2D, "same", r"ZeroPadding2D.*`padding`"),
        (layers.ZeroPadding3D, (1, 1), r"ZeroPadding3D.*tuple of 3"),
        (layers.ZeroPadding3D, (1, 1, (1, 2, 3)), r"ZeroPadding3D.*`padding\[2\]`"),
    ],
)
def test_bad_padding(layer_cls, padding, match):
    with pytest.raises(ValueError, match=match):
        layer_cls(padding=padding)


def test_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.ZeroPadding2D(data_format="channels_middle")
