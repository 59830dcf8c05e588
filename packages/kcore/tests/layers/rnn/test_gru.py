"""GRU and GRUCell: both reset conventions against numpy, Keras's weight layout, and the fused
kernel against the cell run step by step (outputs and gradients, masks, backwards)."""

import numpy as np
import pytest
from rnn_helpers import assert_fused_matches_generic, gru_step, run

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], bool)
SCATTERED = np.array([[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 1, 0]], bool)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _sequence(shape=(3, 6, 4), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"units": 3},
        {"units": 3, "reset_after": False, "return_sequences": True},
        {"units": 3, "return_state": True, "go_backwards": True, "use_bias": False},
        {"units": 3, "dropout": 0.3, "recurrent_dropout": 0.3},
    ],
)
def test_gru_basics(kwargs):
    sequences = kwargs.get("return_sequences", False)
    output = (2, 4, 3) if sequences else (2, 3)
    run_layer_test(
        layers.GRU,
        init_kwargs=kwargs,
        input_shape=(2, 4, 5),
        expected_output_shape=[output, (2, 3)] if kwargs.get("return_state") else output,
        expected_num_trainable_weights=3 if kwargs.get("use_bias", True) else 2,
        supports_masking=True,
    )


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_values_match_numpy(reset_after):
    x = _sequence()
    for go_backwards in (False, True):
        for mask in (None, SCATTERED):
            layer = layers.GRU(
                5,
                reset_after=reset_after,
                return_sequences=True,
                return_state=True,
                go_backwards=go_backwards,
                bias_initializer="random_normal",
            )
            outputs, state = layer(x, mask=mask)
            weights = layer.get_weights()
            expected, (want,) = run(
                lambda xt, s, w=weights: gru_step(xt, s, *w, reset_after=reset_after),
                x,
                [np.zeros((3, 5), "float32")],
                mask=mask,
                go_backwards=go_backwards,
            )
            np.testing.assert_allclose(_np(outputs), expected, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(_np(state), want, rtol=1e-5, atol=1e-5)


def test_gru_cell_is_one_step():
    cell = layers.GRUCell(3, bias_initializer="ones")
    x = _sequence((2, 5))
    state = _sequence((2, 3), 1)
    output, new_state = cell(x, state)
    want, _ = gru_step(x, [state], *cell.get_weights())
    np.testing.assert_allclose(_np(output), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(new_state), want, rtol=1e-5, atol=1e-6)


def test_bias_shape_follows_reset_after():
    after = layers.GRU(3, name="gru")
    after.build((None, 5, 4))
    assert [(w.path, w.shape) for w in after.weights] == [
        ("gru/gru_cell/kernel", (4, 9)),
        ("gru/gru_cell/recurrent_kernel", (3, 9)),
        ("gru/gru_cell/bias", (2, 9)),
    ]
    before = layers.GRU(3, reset_after=False)
    before.build((None, 5, 4))
    assert before.cell.bias.shape == (9,)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize(
    "mask", [None, RIGHT_PADDED, SCATTERED], ids=["none", "right", "scattered"]
)
def test_fused_kernel_matches_the_cell(reset_after, go_backwards, mask):
    for return_sequences in (False, True):
        assert_fused_matches_generic(
            layers.GRU,
            _sequence(),
            mask=mask,
            units=5,
            reset_after=reset_after,
            go_backwards=go_backwards,
            return_sequences=return_sequences,
            return_state=True,
            bias_initializer="random_normal",
        )


def test_fused_kernel_matches_the_cell_with_initial_state_and_no_bias():
    assert_fused_matches_generic(
        layers.GRU, _sequence(), initial_state=[_sequence((3, 5), 1)], units=5, use_bias=False
    )


def test_use_cudnn_values():
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.GRU(3, use_cudnn=None)
    layer = layers.GRU(3, recurrent_dropout=0.5, use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layer(_sequence())


@pytest.mark.needs_training
def test_gru_trains_in_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6, 3)).astype("float32")
    y = x[:, :, :1].sum(1)
    model = kcore.Sequential([kcore.Input((6, 3)), layers.GRU(8), layers.Dense(1)])
    model.compile(optimizer=kcore.optimizers.Adam(0.01), loss="mse")
    losses = model.fit(x, y, batch_size=8, epochs=4, verbose=0).history["loss"]
    assert losses[-1] < losses[0]
