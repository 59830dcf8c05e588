"""Conv1D, Conv2D and Conv3D: the shared layer checks, values against a numpy convolution,
channels_first, output shapes (also symbolic), the argument and input errors, and fit."""

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
        (layers.Conv1D, {"filters": 4, "kernel_size": 3}, (2, 8, 3), (2, 6, 4)),
        (
            layers.Conv1D,
            {"filters": 4, "kernel_size": 3, "padding": "causal"},
            (2, 8, 3),
            (2, 8, 4),
        ),
        (
            layers.Conv1D,
            {"filters": 6, "kernel_size": 2, "strides": 2, "groups": 3, "padding": "same"},
            (2, 7, 3),
            (2, 4, 6),
        ),
        (
            layers.Conv2D,
            {"filters": 4, "kernel_size": 3, "activation": "relu"},
            (2, 6, 7, 3),
            (2, 4, 5, 4),
        ),
        (
            layers.Conv2D,
            {"filters": 4, "kernel_size": (3, 2), "dilation_rate": 2, "padding": "same"},
            (2, 6, 7, 3),
            (2, 6, 7, 4),
        ),
        (
            layers.Conv2D,
            {"filters": 4, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
            (2, 3, 7, 6),
            (2, 4, 3, 2),
        ),
        (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (1, 4, 3, 5, 2), (1, 3, 2, 4, 2)),
        (
            layers.Conv3D,
            {"filters": 2, "kernel_size": 3, "strides": (1, 2, 3), "padding": "same"},
            (1, 4, 3, 5, 2),
            (1, 4, 2, 2, 2),
        ),
    ],
)
def test_conv_layer_basics(layer_cls, kwargs, input_shape, output_shape):
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


def test_conv_without_bias_and_with_regularizers():
    run_layer_test(
        layers.Conv2D,
        init_kwargs={
            "filters": 3,
            "kernel_size": 2,
            "use_bias": False,
            "kernel_regularizer": "l2",
            "activity_regularizer": "l1",
            "kernel_constraint": "non_neg",
        },
        input_shape=(2, 4, 4, 2),
        expected_output_shape=(2, 3, 3, 3),
        expected_num_trainable_weights=1,
        expected_num_losses=2,
    )


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape"),
    [
        (layers.Conv1D, {"kernel_size": 3, "strides": 2}, (2, 9, 3)),
        (layers.Conv1D, {"kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 3)),
        (layers.Conv1D, {"kernel_size": 4, "padding": "same", "strides": 3}, (2, 10, 3)),
        (layers.Conv2D, {"kernel_size": (3, 2), "padding": "same", "strides": 2}, (2, 7, 6, 3)),
        (layers.Conv2D, {"kernel_size": 3, "dilation_rate": (2, 1)}, (2, 8, 6, 3)),
        (layers.Conv2D, {"kernel_size": 2, "groups": 3, "padding": "same"}, (2, 5, 5, 3)),
        (layers.Conv3D, {"kernel_size": 2, "strides": (1, 2, 1)}, (1, 3, 5, 4, 2)),
    ],
)
def test_conv_values_match_a_numpy_convolution(layer_cls, kwargs, input_shape):
    x = _random(input_shape)
    layer = layer_cls(filters=6, bias_initializer="random_normal", **kwargs)
    got = _np(layer(x))
    kernel, bias = layer.get_weights()
    expected = reference.conv(
        x.astype("float64"),
        kernel.astype("float64"),
        layer.strides,
        layer.padding,
        layer.dilation_rate,
        groups=layer.groups,
    )
    np.testing.assert_allclose(got, expected + bias, rtol=1e-4, atol=1e-4)


def test_causal_output_depends_only_on_past_steps():
    layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = _random((1, 10, 3))
    changed = x.copy()
    changed[:, 6:] += 1.0
    before, after = _np(layer(x)), _np(layer(changed))
    np.testing.assert_allclose(before[:, :6], after[:, :6], rtol=1e-6)
    assert not np.allclose(before[:, 6:], after[:, 6:])


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "shape"),
    [
        (layers.Conv1D, {"kernel_size": 3, "padding": "causal"}, (2, 7, 3)),
        (layers.Conv2D, {"kernel_size": 3, "strides": 2, "padding": "same"}, (2, 7, 6, 3)),
        (layers.Conv3D, {"kernel_size": 2, "groups": 3}, (1, 4, 3, 5, 3)),
    ],
)
def test_channels_first_is_channels_last_transposed(layer_cls, kwargs, shape):
    x = _random(shape)
    last = layer_cls(filters=6, data_format="channels_last", **kwargs)
    first = layer_cls(filters=6, data_format="channels_first", **kwargs)
    expected = _np(last(x))
    to_first = (0, len(shape) - 1, *range(1, len(shape) - 1))
    first(np.transpose(x, to_first))
    first.set_weights(last.get_weights())
    got = _np(first(np.transpose(x, to_first)))
    np.testing.assert_allclose(got, np.transpose(expected, to_first), rtol=1e-5, atol=1e-5)


def test_data_format_none_follows_the_global_setting():
    previous = kcore.config.image_data_format()
    try:
        kcore.config.set_image_data_format("channels_first")
        layer = layers.Conv2D(4, 3)
    finally:
        kcore.config.set_image_data_format(previous)
    assert layer.data_format == "channels_first"
    assert ops.shape(layer(np.ones((1, 2, 5, 5), "float32"))) == (1, 4, 3, 3)


@pytest.mark.parametrize(
    ("padding", "strides", "dilation_rate", "size"),
    [
        (padding, strides, dilation_rate, size)
        for padding in ("valid", "same", "causal")
        for strides, dilation_rate in ((1, 1), (2, 1), (3, 1), (1, 2))
        for size in (5, 6, 9)
    ],
)
def test_conv1d_output_shape_agrees_with_the_eager_output(padding, strides, dilation_rate, size):
    layer = layers.Conv1D(2, 3, strides, padding, dilation_rate=dilation_rate)
    eager = ops.shape(layer(np.ones((1, size, 2), "float32")))
    assert layer.compute_output_shape((1, size, 2)) == eager
    assert layer.compute_output_shape((None, None, 2)) == (None, None, 2)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv2d_symbolic_shapes_keep_unknown_axes(data_format):
    layer = layers.Conv2D(5, (3, 2), strides=2, data_format=data_format)
    shape = (None, 9, None, 4) if data_format == "channels_last" else (None, 4, 9, None)
    out = layer(kcore.KerasTensor(shape))
    expected = (None, 4, None, 5) if data_format == "channels_last" else (None, 5, 4, None)
    assert out.shape == expected
    # The layer built with unknown sizes runs on any large enough input.
    x = np.ones((2, 9, 7, 4) if data_format == "channels_last" else (2, 4, 9, 7), "float32")
    eager = ops.shape(layer(x))
    assert eager == layer.compute_output_shape(x.shape)


def test_conv_in_a_functional_model_with_unknown_spatial_size():
    inputs = kcore.Input((None, None, 3))
    outputs = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    outputs = layers.Conv2D(2, 3)(outputs)
    model = kcore.Model(inputs, outputs)
    assert model.output_shape == (None, None, None, 2)
    assert ops.shape(model(np.ones((2, 6, 5, 3), "float32"))) == (2, 4, 3, 2)


def test_weights_shapes_and_names_follow_keras():
    layer = layers.Conv2D(8, (3, 2), groups=2, name="conv")
    layer.build((None, 10, 10, 4))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("conv/kernel", (3, 2, 2, 8)),
        ("conv/bias", (8,)),
    ]
    assert layer.count_params() == 3 * 2 * 2 * 8 + 8


def test_config_holds_keras_keys_and_round_trips():
    layer = layers.Conv1D(4, 3, padding="CAUSAL", dilation_rate=2, activation="relu")
    config = layer.get_config()
    assert config["padding"] == "causal"
    assert config["kernel_size"] == (3,) and config["strides"] == (1,)
    assert config["dilation_rate"] == (2,) and config["groups"] == 1
    assert config["activation"] == "relu" and config["activity_regularizer"] is None
    assert "lora_rank" not in config and "quantization_config" not in config
    assert layers.Conv1D.from_config(config).get_config() == config


def test_keras_aliases_are_the_same_classes():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D


def test_lora_is_accepted_only_when_off():
    layers.Conv2D(2, 3, lora_rank=None, lora_alpha=None)
    with pytest.raises(NotImplementedError, match="lora_rank"):
        layers.Conv2D(2, 3, lora_rank=4)


# --- errors ------------------------------------------------------------------------------------


def test_wrong_input_rank_is_a_clear_error():
    layer = layers.Conv2D(2, 3, name="conv_rank")
    with pytest.raises(ValueError, match=r'"conv_rank".*rank 4.*\(2, 8, 3\)'):
        layer(np.ones((2, 8, 3), "float32"))
    layer(np.ones((2, 8, 8, 3), "float32"))
    with pytest.raises(ValueError, match="conv_rank.*ndim=4"):
        layer(np.ones((2, 8, 8, 8, 3), "float32"))


def test_channel_count_different_from_the_built_one():
    layer = layers.Conv2D(2, 3, name="conv_channels")
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"conv_channels.*axis -1.*value 3.*\(1, 5, 5, 4\)"):
        layer(np.ones((1, 5, 5, 4), "float32"))


def test_unknown_channel_count_cannot_build():
    with pytest.raises(ValueError, match="channel axis"):
        layers.Conv1D(2, 3)(kcore.KerasTensor((None, 5, None)))


def test_kernel_larger_than_input_with_valid_padding():
    layer = layers.Conv2D(2, 5, name="conv_small")
    with pytest.raises(ValueError, match=r'"conv_small".*kernel_size=\(5, 5\).*\(1, 4, 6, 1\)'):
        layer(np.ones((1, 4, 6, 1), "float32"))
    # Symbolic inputs too, and the dilated window counts.
    with pytest.raises(ValueError, match=r"larger than the input.*after dilation_rate"):
        layers.Conv1D(2, 3, dilation_rate=3)(kcore.KerasTensor((None, 6, 2)))
    # A layer built for any size checks each call.
    flexible = layers.Conv2D(2, 3, name="conv_flexible")
    flexible(kcore.KerasTensor((None, None, None, 1)))
    assert ops.shape(flexible(np.ones((1, 3, 3, 1), "float32"))) == (1, 1, 1, 2)
    with pytest.raises(ValueError, match=r'"conv_flexible".*\(1, 2, 8, 1\).*padding="same"'):
        flexible(np.ones((1, 2, 8, 1), "float32"))
    # "same" and "causal" padding accept any size.
    assert ops.shape(layers.Conv2D(2, 5, padding="same")(np.ones((1, 2, 2, 1), "float32"))) == (
        1,
        2,
        2,
        2,
    )
    assert ops.shape(layers.Conv1D(2, 5, padding="causal")(np.ones((1, 2, 1), "float32"))) == (
        1,
        2,
        2,
    )


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.Conv2D(2, 3, padding="full"), r"Conv2D.*padding.*'full'"),
        (lambda: layers.Conv2D(2, 3, padding="causal"), r"Conv2D.*padding.*'causal'"),
        (lambda: layers.Conv2D(2, 3, padding=(1, 1)), r"Conv2D.*padding"),
        (lambda: layers.Conv1D(2, 3, data_format="NCW"), r"Conv1D.*data_format.*'NCW'"),
        (lambda: layers.Conv2D(0, 3), r"Conv2D.*filters.*filters=0"),
        (lambda: layers.Conv2D(-2, 3), r"filters=-2"),
        (lambda: layers.Conv2D(2.5, 3), r"filters=2.5"),
        (lambda: layers.Conv2D(2, 0), r"Conv2D.*kernel_size.*> 0"),
        (lambda: layers.Conv2D(2, (3, 3, 3)), r"kernel_size.*tuple of 2 integers"),
        (lambda: layers.Conv2D(2, 3, strides=0), r"Conv2D.*strides.*> 0"),
        (lambda: layers.Conv3D(2, 3, strides=(1, -1, 1)), r"strides"),
        (lambda: layers.Conv1D(2, 3, dilation_rate=0), r"dilation_rate"),
        (lambda: layers.Conv2D(4, 3, groups=0), r"groups=0"),
        (lambda: layers.Conv2D(5, 3, groups=2), r"filters must be evenly divisible.*groups=2"),
        (lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), r"strides > 1.*dilation_rate"),
    ],
)
def test_bad_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_channels_not_divisible_by_groups():
    layer = layers.Conv2D(4, 3, groups=2, name="conv_groups")
    with pytest.raises(ValueError, match=r"conv_groups.*groups=2.*3 channels"):
        layer(np.ones((1, 5, 5, 3), "float32"))


def test_a_conv_model_survives_a_keras_file_round_trip(tmp_path):
    model = kcore.Sequential(
        [
            kcore.Input((9, 9, 2)),
            layers.Conv2D(3, 3, activation="relu"),
            layers.SeparableConv2D(4, 2, padding="same"),
            layers.DepthwiseConv2D(2, depth_multiplier=2),
            layers.Conv2DTranspose(2, 3, strides=2, padding="same"),
        ]
    )
    x = _random((2, 9, 9, 2))
    model.save(tmp_path / "conv.keras")
    loaded = kcore.saving.load_model(tmp_path / "conv.keras")
    assert [type(layer).__name__ for layer in loaded.layers] == [
        "Conv2D",
        "SeparableConv2D",
        "DepthwiseConv2D",
        "Conv2DTranspose",
    ]
    np.testing.assert_allclose(_np(loaded(x)), _np(model(x)), rtol=1e-6, atol=1e-6)


# --- training ----------------------------------------------------------------------------------


@pytest.mark.needs_training
def test_a_small_cnn_fits():
    kcore.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8, 8, 1)).astype("float32")
    y = (x[:, 2:6, 2:6, 0].mean(axis=(1, 2)) > 0).astype("float32")[:, None]
    model = kcore.Sequential(
        [
            kcore.Input((8, 8, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.Conv2D(4, 3, strides=2, padding="same", data_format="channels_last"),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.8 * losses[0]
