"""SeparableConv1D and SeparableConv2D: the shared layer checks, values against a numpy
depthwise-then-pointwise convolution, channels_first, shapes and errors."""

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
        (layers.SeparableConv1D, {"filters": 4, "kernel_size": 3}, (2, 8, 3), (2, 6, 4)),
        (
            layers.SeparableConv1D,
            {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
            (2, 7, 3),
            (2, 7, 4),
        ),
        (
            layers.SeparableConv2D,
            {"filters": 5, "kernel_size": 3, "strides": 2, "activation": "relu"},
            (2, 7, 6, 2),
            (2, 3, 2, 5),
        ),
        (
            layers.SeparableConv2D,
            {"filters": 5, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"},
            (2, 2, 5, 4),
            (2, 5, 3, 2),
        ),
    ],
)
def test_separable_layer_basics(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(
        layer_cls,
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_output_dtype="float32",
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_separable_without_bias_and_with_regularizers():
    run_layer_test(
        layers.SeparableConv2D,
        init_kwargs={
            "filters": 3,
            "kernel_size": 2,
            "use_bias": False,
            "depthwise_regularizer": "l2",
            "pointwise_regularizer": "l1",
            "activity_regularizer": "l2",
            "pointwise_constraint": "unit_norm",
        },
        input_shape=(1, 4, 4, 2),
        expected_output_shape=(1, 3, 3, 3),
        expected_num_trainable_weights=2,
        expected_num_losses=3,
    )


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape"),
    [
        (layers.SeparableConv1D, {"kernel_size": 3, "strides": 2}, (2, 9, 3)),
        (layers.SeparableConv1D, {"kernel_size": 2, "padding": "same"}, (2, 6, 3)),
        (layers.SeparableConv2D, {"kernel_size": 3, "dilation_rate": 2}, (2, 7, 6, 3)),
        (
            layers.SeparableConv2D,
            {"kernel_size": (2, 3), "strides": 2, "padding": "same"},
            (2, 5, 6, 3),
        ),
    ],
)
def test_separable_values_match_numpy(layer_cls, kwargs, input_shape):
    x = _random(input_shape)
    layer = layer_cls(filters=4, depth_multiplier=2, bias_initializer="random_normal", **kwargs)
    got = _np(layer(x))
    depthwise, pointwise, bias = (w.astype("float64") for w in layer.get_weights())
    middle = reference.depthwise_conv(
        x.astype("float64"), depthwise, layer.strides, layer.padding, layer.dilation_rate
    )
    expected = reference.conv(middle, pointwise) + bias
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_channels_first_is_channels_last_transposed():
    x = _random((2, 9, 3))
    last = layers.SeparableConv1D(4, 3, strides=2, padding="same")
    first = layers.SeparableConv1D(4, 3, strides=2, padding="same", data_format="channels_first")
    expected = _np(last(x))
    first(np.transpose(x, (0, 2, 1)))
    first.set_weights(last.get_weights())
    got = _np(first(np.transpose(x, (0, 2, 1))))
    np.testing.assert_allclose(got, np.transpose(expected, (0, 2, 1)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("padding", "strides", "size"),
    [(p, s, n) for p in ("valid", "same") for s in (1, 2, 3) for n in (3, 4, 7)],
)
def test_output_shape_agrees_with_the_eager_output(padding, strides, size):
    layer = layers.SeparableConv2D(4, 3, strides, padding)
    eager = ops.shape(layer(np.ones((1, size, size + 1, 2), "float32")))
    assert layer.compute_output_shape((1, size, size + 1, 2)) == eager
    symbolic = layers.SeparableConv2D(4, 3, strides, padding)
    out = symbolic(kcore.KerasTensor((None, None, size + 1, 2)))
    assert out.shape == (None, None, eager[2], 4)


def test_weights_config_and_aliases_follow_keras():
    layer = layers.SeparableConv2D(6, 3, depth_multiplier=2, name="sep")
    layer.build((None, 8, 8, 4))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("sep/depthwise_kernel", (3, 3, 4, 2)),
        ("sep/pointwise_kernel", (1, 1, 8, 6)),
        ("sep/bias", (6,)),
    ]
    config = layer.get_config()
    assert config["filters"] == 6 and config["depth_multiplier"] == 2
    assert config["pointwise_initializer"]["class_name"] == "GlorotUniform"
    assert layers.SeparableConv2D.from_config(config).get_config() == config
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.SeparableConv2D(0, 3), r"SeparableConv2D.*filters=0"),
        (lambda: layers.SeparableConv2D(2, 3, depth_multiplier=-1), r"depth_multiplier=-1"),
        (lambda: layers.SeparableConv1D(2, 3, padding="causal"), r"padding.*'causal'"),
        (lambda: layers.SeparableConv2D(2, 3, data_format="x"), r"data_format"),
        (lambda: layers.SeparableConv2D(2, 3, strides=(2, 0)), r"strides.*> 0"),
    ],
)
def test_bad_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_errors():
    layer = layers.SeparableConv1D(2, 4, name="sep_errors")
    with pytest.raises(ValueError, match=r'"sep_errors".*kernel_size=\(4,\).*\(1, 3, 2\)'):
        layer(np.ones((1, 3, 2), "float32"))
    with pytest.raises(ValueError, match=r'"sep_errors".*rank 3'):
        layer(np.ones((1, 3, 3, 2), "float32"))
    layer(np.ones((1, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"sep_errors.*value 2"):
        layer(np.ones((1, 5, 4), "float32"))
