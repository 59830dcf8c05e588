"""DepthwiseConv1D and DepthwiseConv2D: the shared layer checks, values against a numpy
per-channel convolution, channels_first, shapes and errors."""

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
        (layers.DepthwiseConv1D, {"kernel_size": 3}, (2, 8, 3), (2, 6, 3)),
        (
            layers.DepthwiseConv1D,
            {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
            (2, 7, 3),
            (2, 4, 6),
        ),
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 3, "activation": "relu", "dilation_rate": 2},
            (2, 7, 6, 2),
            (2, 3, 2, 2),
        ),
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 2, "depth_multiplier": 3, "data_format": "channels_first"},
            (2, 2, 5, 4),
            (2, 6, 4, 3),
        ),
    ],
)
def test_depthwise_layer_basics(layer_cls, kwargs, input_shape, output_shape):
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


def test_depthwise_without_bias_and_with_regularizers():
    run_layer_test(
        layers.DepthwiseConv2D,
        init_kwargs={
            "kernel_size": 2,
            "use_bias": False,
            "depthwise_regularizer": "l2",
            "activity_regularizer": "l1",
            "depthwise_constraint": "max_norm",
        },
        input_shape=(1, 4, 4, 3),
        expected_output_shape=(1, 3, 3, 3),
        expected_num_trainable_weights=1,
        expected_num_losses=2,
    )


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape"),
    [
        (layers.DepthwiseConv1D, {"kernel_size": 3, "strides": 2}, (2, 9, 3)),
        (layers.DepthwiseConv1D, {"kernel_size": 4, "padding": "same"}, (2, 6, 3)),
        (layers.DepthwiseConv2D, {"kernel_size": (3, 2), "dilation_rate": (1, 2)}, (2, 6, 6, 3)),
        (layers.DepthwiseConv2D, {"kernel_size": 3, "strides": 2, "padding": "same"}, (2, 5, 6, 3)),
    ],
)
def test_depthwise_values_match_numpy(layer_cls, kwargs, input_shape):
    x = _random(input_shape)
    layer = layer_cls(depth_multiplier=2, bias_initializer="random_normal", **kwargs)
    got = _np(layer(x))
    kernel, bias = layer.get_weights()
    expected = reference.depthwise_conv(
        x.astype("float64"),
        kernel.astype("float64"),
        layer.strides,
        layer.padding,
        layer.dilation_rate,
    )
    np.testing.assert_allclose(got, expected + bias, rtol=1e-4, atol=1e-4)


def test_channels_first_is_channels_last_transposed():
    x = _random((2, 6, 5, 3))
    last = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)
    first = layers.DepthwiseConv2D(
        3, padding="same", depth_multiplier=2, data_format="channels_first"
    )
    expected = _np(last(x))
    first(np.transpose(x, (0, 3, 1, 2)))
    first.set_weights(last.get_weights())
    got = _np(first(np.transpose(x, (0, 3, 1, 2))))
    np.testing.assert_allclose(got, np.transpose(expected, (0, 3, 1, 2)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("padding", "strides", "dilation_rate", "size"),
    [
        (padding, strides, dilation_rate, size)
        for padding in ("valid", "same")
        for strides, dilation_rate in ((1, 1), (2, 1), (3, 1), (1, 2))
        for size in (5, 6, 8)
    ],
)
def test_output_shape_agrees_with_the_eager_output(padding, strides, dilation_rate, size):
    layer = layers.DepthwiseConv1D(3, strides, padding, 2, dilation_rate=dilation_rate)
    eager = ops.shape(layer(np.ones((1, size, 3), "float32")))
    assert layer.compute_output_shape((1, size, 3)) == eager
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 6)


def test_symbolic_shapes_keep_unknown_axes():
    out = layers.DepthwiseConv2D(3, depth_multiplier=4)(kcore.KerasTensor((None, None, 7, 2)))
    assert out.shape == (None, None, 5, 8)


def test_weights_and_config_follow_keras():
    layer = layers.DepthwiseConv2D((3, 2), depth_multiplier=2, name="dw")
    layer.build((None, 8, 8, 5))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("dw/kernel", (3, 2, 5, 2)),
        ("dw/bias", (10,)),
    ]
    config = layer.get_config()
    assert config["depth_multiplier"] == 2 and "filters" not in config
    assert config["depthwise_initializer"]["class_name"] == "GlorotUniform"
    assert layers.DepthwiseConv2D.from_config(config).get_config() == config


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), r"depth_multiplier=0"),
        (lambda: layers.DepthwiseConv2D(3, padding="causal"), r"padding.*'causal'"),
        (lambda: layers.DepthwiseConv1D(3, data_format="x"), r"DepthwiseConv1D.*data_format"),
        (lambda: layers.DepthwiseConv2D(3, strides=0), r"strides.*> 0"),
        (lambda: layers.DepthwiseConv2D((3, 0)), r"kernel_size.*> 0"),
    ],
)
def test_bad_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_errors():
    layer = layers.DepthwiseConv2D(3, name="dw_errors")
    with pytest.raises(ValueError, match=r'"dw_errors".*kernel_size=\(3, 3\).*\(1, 2, 5, 2\)'):
        layer(np.ones((1, 2, 5, 2), "float32"))
    layer(np.ones((1, 5, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"dw_errors.*value 2"):
        layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"dw_errors.*ndim=4"):
        layer(np.ones((5, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"dw_errors.*larger than the input"):
        layer(np.ones((1, 5, 1, 2), "float32"))
