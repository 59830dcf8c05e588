"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: the shared layer checks, values
against a numpy transposed convolution, output_padding, channels_first, shapes and errors."""

import conv_reference as reference
import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape", "output_shape"),
    [
        (layers.Conv1DTranspose, {"filters": 4, "kernel_size": 3}, (2, 5, 3), (2, 7, 4)),
        (
            layers.Conv1DTranspose,
            {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
            (2, 5, 3),
            (2, 10, 4),
        ),
        (
            layers.Conv2DTranspose,
            {"filters": 3, "kernel_size": 3, "strides": 2, "activation": "relu"},
            (2, 4, 5, 2),
            (2, 9, 11, 3),
        ),
        (
            layers.Conv2DTranspose,
            {"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
            (2, 2, 4, 5),
            (2, 3, 8, 10),
        ),
        (
            layers.Conv3DTranspose,
            {"filters": 2, "kernel_size": 2, "strides": (1, 2, 2), "output_padding": (0, 1, 0)},
            (1, 2, 3, 2, 3),
            (1, 3, 7, 4, 2),
        ),
    ],
)
def test_conv_transpose_layer_basics(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(
        layer_cls,
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_output_dtype="float32",
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_conv_transpose_without_bias_and_with_regularizers():
    run_layer_test(
        layers.Conv2DTranspose,
        init_kwargs={
            "filters": 2,
            "kernel_size": 2,
            "use_bias": False,
            "kernel_regularizer": "l1",
            "activity_regularizer": "l2",
        },
        input_shape=(1, 3, 3, 2),
        expected_output_shape=(1, 4, 4, 2),
        expected_num_trainable_weights=1,
        expected_num_losses=2,
    )


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape"),
    [
        (layers.Conv1DTranspose, {"kernel_size": 3, "strides": 2}, (2, 4, 3)),
        (layers.Conv1DTranspose, {"kernel_size": 2, "strides": 3}, (2, 4, 3)),
        (layers.Conv1DTranspose, {"kernel_size": 4, "strides": 2, "padding": "same"}, (2, 4, 3)),
        (
            layers.Conv1DTranspose,
            {"kernel_size": 3, "strides": 3, "padding": "same", "output_padding": 2},
            (2, 4, 3),
        ),
        (layers.Conv1DTranspose, {"kernel_size": 3, "dilation_rate": 2}, (2, 4, 3)),
        (
            layers.Conv2DTranspose,
            {"kernel_size": (3, 2), "strides": (2, 3), "output_padding": (1, 0)},
            (2, 3, 4, 2),
        ),
        (layers.Conv2DTranspose, {"kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 4, 2)),
        (layers.Conv3DTranspose, {"kernel_size": 2, "strides": 2}, (1, 2, 3, 2, 2)),
    ],
)
def test_conv_transpose_values_match_numpy(layer_cls, kwargs, input_shape):
    x = _random(input_shape)
    layer = layer_cls(filters=3, bias_initializer="random_normal", **kwargs)
    got = _np(layer(x))
    kernel, bias = layer.get_weights()
    expected = reference.conv_transpose(
        x.astype("float64"),
        kernel.astype("float64"),
        layer.strides,
        layer.padding,
        layer.output_padding,
        layer.dilation_rate,
    )
    np.testing.assert_allclose(got, expected + bias, rtol=1e-4, atol=1e-4)


def test_conv_transpose_undoes_the_shape_of_a_strided_conv():
    x = np.ones((2, 9, 8, 3), "float32")
    down = layers.Conv2D(4, 3, strides=2, padding="same")(x)
    up = layers.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=(0, 1))(down)
    assert ops.shape(down) == (2, 5, 4, 4)
    assert ops.shape(up) == (2, 9, 8, 3)


def test_channels_first_is_channels_last_transposed():
    x = _random((2, 3, 4, 2))
    last = layers.Conv2DTranspose(3, 3, strides=2, padding="same")
    first = layers.Conv2DTranspose(3, 3, strides=2, padding="same", data_format="channels_first")
    expected = _np(last(x))
    first(np.transpose(x, (0, 3, 1, 2)))
    first.set_weights(last.get_weights())
    got = _np(first(np.transpose(x, (0, 3, 1, 2))))
    np.testing.assert_allclose(got, np.transpose(expected, (0, 3, 1, 2)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("padding", "strides", "kernel_size", "output_padding", "dilation_rate"),
    [
        (padding, strides, kernel_size, output_padding, 1)
        for padding in ("valid", "same")
        for strides in (1, 2, 3)
        for kernel_size in (1, 2, 3, 4)
        for output_padding in (None, *range(strides))
    ]
    + [("valid", 1, 3, None, 2), ("same", 1, 2, None, 3), ("same", 1, 3, 0, 2)],
)
def test_conv1d_transpose_output_shape_agrees_with_the_eager_output(
    padding, strides, kernel_size, output_padding, dilation_rate
):
    layer = layers.Conv1DTranspose(
        2, kernel_size, strides, padding, output_padding, dilation_rate=dilation_rate
    )
    eager = ops.shape(layer(np.ones((1, 5, 2), "float32")))
    assert layer.compute_output_shape((1, 5, 2)) == eager
    assert layer.compute_output_shape((None, None, 2)) == (None, None, 2)


def test_symbolic_shapes_keep_unknown_axes():
    layer = layers.Conv3DTranspose(4, 2, strides=2)
    out = layer(kcore.KerasTensor((None, 3, None, 5, 2)))
    assert out.shape == (None, 6, None, 10, 4)
    assert ops.shape(layer(np.ones((1, 3, 2, 5, 2), "float32"))) == (1, 6, 4, 10, 4)


def test_weights_config_and_aliases_follow_keras():
    layer = layers.Conv2DTranspose(8, (3, 2), name="up")
    layer.build((None, 4, 4, 5))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("up/kernel", (3, 2, 8, 5)),
        ("up/bias", (8,)),
    ]
    config = layer.get_config()
    assert config["output_padding"] is None and "groups" not in config
    assert layers.Conv2DTranspose.from_config(config).get_config() == config
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


def test_conv3d_transpose_takes_data_format_before_output_padding():
    layer = layers.Conv3DTranspose(2, 2, 2, "valid", "channels_first", 1)
    assert layer.data_format == "channels_first" and layer.output_padding == (1, 1, 1)


def test_a_kernel_larger_than_the_input_is_fine():
    out = layers.Conv1DTranspose(2, 5)(np.ones((1, 2, 1), "float32"))
    assert ops.shape(out) == (1, 6, 2)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2),
            r"Conv2DTranspose.*output_padding.*strictly less than.*strides",
        ),
        (lambda: layers.Conv1DTranspose(2, 3, output_padding=-1), r"output_padding.*>= 0"),
        (lambda: layers.Conv1DTranspose(2, 3, padding="causal"), r"padding.*'causal'"),
        (lambda: layers.Conv2DTranspose(2, 3, data_format="nhwc"), r"data_format.*'nhwc'"),
        (lambda: layers.Conv2DTranspose(0, 3), r"filters=0"),
        (lambda: layers.Conv2DTranspose(2, 3, strides=(1, 0)), r"strides.*> 0"),
        (lambda: layers.Conv2DTranspose(2, 3, strides=2, dilation_rate=2), r"strides > 1"),
    ],
)
def test_bad_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_errors():
    layer = layers.Conv2DTranspose(2, 3, name="up_errors")
    with pytest.raises(ValueError, match=r'"up_errors".*rank 4.*\(1, 4, 2\)'):
        layer(np.ones((1, 4, 2), "float32"))
    layer(np.ones((1, 4, 4, 2), "float32"))
    with pytest.raises(ValueError, match=r"up_errors.*value 2.*\(1, 4, 4, 3\)"):
        layer(np.ones((1, 4, 4, 3), "float32"))
