"""ConvLSTM1D/2D/3D: shapes, values against an LSTM (a 1x1 kernel on one pixel is an LSTM),
channels_first against channels_last, masks, and the errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "input_shape", "output_shape"),
    [
        (layers.ConvLSTM1D, {"filters": 2, "kernel_size": 3}, (2, 3, 8, 2), (2, 6, 2)),
        (
            layers.ConvLSTM2D,
            {"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True},
            (2, 3, 5, 5, 2),
            (2, 3, 5, 5, 2),
        ),
        (
            layers.ConvLSTM2D,
            {
                "filters": 2,
                "kernel_size": 3,
                "strides": 2,
                "dropout": 0.2,
                "recurrent_dropout": 0.2,
            },
            (2, 3, 7, 7, 1),
            (2, 3, 3, 2),
        ),
        (layers.ConvLSTM3D, {"filters": 2, "kernel_size": 2}, (1, 2, 4, 4, 4, 1), (1, 3, 3, 3, 2)),
    ],
)
def test_conv_lstm_basics(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(
        layer_cls,
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=3,
        supports_masking=True,
    )


def test_a_1x1_conv_lstm_is_an_lstm_per_pixel():
    x = np.random.default_rng(0).normal(size=(2, 4, 1, 1, 3)).astype("float32")
    conv = layers.ConvLSTM2D(5, 1, return_sequences=True, return_state=True)
    outputs, h, c = conv(x)
    lstm = layers.LSTM(5, return_sequences=True)
    lstm(x[:, :, 0, 0])
    kernel, recurrent_kernel, bias = conv.get_weights()
    lstm.set_weights([kernel[0, 0], recurrent_kernel[0, 0], bias])
    np.testing.assert_allclose(
        _np(outputs)[:, :, 0, 0], _np(lstm(x[:, :, 0, 0])), rtol=1e-5, atol=1e-5
    )
    assert tuple(c.shape) == (2, 1, 1, 5)


def test_channels_first_is_transposed_channels_last():
    x = np.random.default_rng(1).normal(size=(2, 3, 6, 5, 2)).astype("float32")
    last = layers.ConvLSTM2D(3, (3, 2), padding="same", return_sequences=True)
    first = layers.ConvLSTM2D(
        3, (3, 2), padding="same", return_sequences=True, data_format="channels_first"
    )
    expected = _np(last(x))
    first(np.transpose(x, (0, 1, 4, 2, 3)))
    first.set_weights(last.get_weights())
    got = _np(first(np.transpose(x, (0, 1, 4, 2, 3))))
    np.testing.assert_allclose(got, np.transpose(expected, (0, 1, 4, 2, 3)), rtol=1e-5, atol=1e-5)


def test_masked_steps_keep_the_states():
    x = np.random.default_rng(2).normal(size=(2, 3, 6, 2)).astype("float32")
    layer = layers.ConvLSTM1D(2, 3, return_state=True)
    mask = np.array([[1, 1, 0], [1, 1, 1]], bool)
    masked = layer(x, mask=mask)
    shorter = layer(x[:, :2])
    np.testing.assert_allclose(_np(masked[2])[0], _np(shorter[2])[0], rtol=1e-5, atol=1e-6)


def test_weights_have_keras_shapes():
    layer = layers.ConvLSTM2D(4, (3, 2), name="conv_lstm2d")
    layer.build((None, 2, 6, 6, 3))
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("conv_lstm2d/conv_lstm_cell/kernel", (3, 2, 3, 16)),
        ("conv_lstm2d/conv_lstm_cell/recurrent_kernel", (3, 2, 4, 16)),
        ("conv_lstm2d/conv_lstm_cell/bias", (16,)),
    ]


def test_errors():
    with pytest.raises(ValueError, match="strides > 1"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        layers.ConvLSTM1D(2, 3, padding="full")
    with pytest.raises(ValueError, match="data_format"):
        layers.ConvLSTM1D(2, 3, data_format="channels_middle")
    with pytest.raises(ValueError, match="kernel_size"):
        layers.ConvLSTM2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match=r"rank 5.*\(2, 3, 4, 2\)"):
        layers.ConvLSTM2D(2, 3)(np.ones((2, 3, 4, 2), "float32"))
    with pytest.raises(ValueError, match="kernel .* is larger"):
        layers.ConvLSTM1D(2, 5)(np.ones((1, 2, 3, 1), "float32"))
    with pytest.raises(ValueError, match="static input shapes"):
        layers.ConvLSTM1D(2, 3)(kcore.KerasTensor((None, 2, None, 1)))


@pytest.mark.needs_training
def test_conv_lstm_trains_in_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3, 5, 5, 1)).astype("float32")
    model = kcore.Sequential(
        [
            kcore.Input((3, 5, 5, 1)),
            layers.ConvLSTM2D(2, 3, padding="same"),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="mse")
    losses = model.fit(x, x[:, 0, 0, 0], batch_size=4, epochs=3, verbose=0).history["loss"]
    assert np.isfinite(losses).all()
