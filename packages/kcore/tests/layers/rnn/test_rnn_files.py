"""Recurrent models saved by kcore reload with the same outputs, and `.keras` files move both ways
between kcore and Keras 3 (where the `keras` package is installed, on kcore's backend)."""

import importlib.util
import os

import numpy as np
import pytest

import kcore
from kcore import layers, ops

X = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")


def _model(module):
    L = module.layers
    return module.Sequential(
        [
            module.Input((6, 4)),
            L.Bidirectional(L.LSTM(5, return_sequences=True)),
            L.RNN([L.GRUCell(3), L.SimpleRNNCell(2)], return_sequences=True),
            L.TimeDistributed(L.Dense(2)),
            L.GRU(3, reset_after=False),
        ]
    )


def test_a_recurrent_model_reloads_with_the_same_outputs(tmp_path):
    model = _model(kcore)
    expected = ops.convert_to_numpy(model(X))
    model.save(tmp_path / "model.keras")
    reloaded = kcore.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(ops.convert_to_numpy(reloaded(X)), expected, rtol=1e-6)


def test_stateful_states_are_not_saved(tmp_path):
    model = kcore.Sequential(
        [kcore.Input((6, 4), batch_size=3), layers.SimpleRNN(2, stateful=True)]
    )
    model(X)
    model.save_weights(tmp_path / "model.weights.h5")
    fresh = kcore.Sequential(
        [kcore.Input((6, 4), batch_size=3), layers.SimpleRNN(2, stateful=True)]
    )
    fresh.load_weights(tmp_path / "model.weights.h5")
    assert all(np.abs(ops.convert_to_numpy(v.value)).max() == 0 for v in fresh.layers[0].states)


@pytest.fixture
def keras():
    if importlib.util.find_spec("keras") is None:
        pytest.skip("the keras package is not installed")
    os.environ.setdefault("KERAS_BACKEND", kcore.backend.backend())
    import keras

    if keras.backend.backend() != kcore.backend.backend():
        pytest.skip("Keras runs on another backend than kcore")
    return keras


def test_keras_files_move_both_ways(keras, tmp_path):
    model = _model(keras)
    expected = keras.ops.convert_to_numpy(model(X))
    model.save(tmp_path / "keras.keras")
    ours = kcore.saving.load_model(tmp_path / "keras.keras")
    np.testing.assert_allclose(ops.convert_to_numpy(ours(X)), expected, rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "kcore.keras")
    theirs = keras.saving.load_model(tmp_path / "kcore.keras")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(theirs(X)), expected, rtol=1e-5, atol=1e-6
    )


def test_conv_lstm_files_move_to_keras(keras, tmp_path):
    x = np.random.default_rng(1).normal(size=(2, 4, 5, 5, 2)).astype("float32")
    model = kcore.Sequential([kcore.Input((4, 5, 5, 2)), layers.ConvLSTM2D(3, 3)])
    model.save(tmp_path / "conv.keras")
    theirs = keras.saving.load_model(tmp_path / "conv.keras")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(theirs(x)), ops.convert_to_numpy(model(x)), rtol=1e-5, atol=1e-6
    )
