"""`.keras` files written by Keras 3.15.1 load in kcore: configs (with the keys Keras 3.15
writes, such as ``quantization_config`` and initializers' ``input_axes``), weights, predictions
and optimizer state.

The files in ``data/`` and the values below were made once with Keras 3.15.1 (jax backend):
``keras315_sequential.keras`` is ``Sequential([Input((3,)), Dense(4, "relu"), Dropout(0.2),
Dense(2)])`` compiled with ``"adam"`` and ``"mse"`` and fitted for one step;
``keras315_functional.keras`` has two inputs (int ``tokens`` through ``Embedding(10, 2)`` and
``Flatten``, float ``features``), a ``Concatenate`` and a ``Dense(2)``.
"""

import os

import numpy as np

import kcore
from kcore import ops

DATA = os.path.join(os.path.dirname(__file__), "data")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_sequential_dense_dropout_predicts_as_in_keras():
    model = kcore.models.load_model(os.path.join(DATA, "keras315_sequential.keras"))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dropout", "Dense"]
    x = (np.arange(6, dtype="float32").reshape(2, 3) - 5) / 4
    expected = [
        [0.3300078213214874, 0.29970690608024597],
        [0.024543123319745064, 0.05703790485858917],
    ]
    np.testing.assert_allclose(_np(model(x)), expected, rtol=1e-5, atol=1e-6)


def test_sequential_optimizer_state_loads_in_keras_order():
    model = kcore.models.load_model(os.path.join(DATA, "keras315_sequential.keras"))
    variables = model.optimizer.variables
    # As Keras 3.15 names them after `load_model` (the layers' paths have no model prefix).
    assert [(v.path, tuple(v.shape)) for v in variables] == [
        ("adam/iteration", ()),
        ("adam/learning_rate", ()),
        ("adam/dense_kernel_momentum", (3, 4)),
        ("adam/dense_kernel_velocity", (3, 4)),
        ("adam/dense_bias_momentum", (4,)),
        ("adam/dense_bias_velocity", (4,)),
        ("adam/dense_1_kernel_momentum", (4, 2)),
        ("adam/dense_1_kernel_velocity", (4, 2)),
        ("adam/dense_1_bias_momentum", (2,)),
        ("adam/dense_1_bias_velocity", (2,)),
    ]
    # The sum of each variable after Keras's one Adam step: momenta and velocities differ in
    # size, so a different order would not match.
    sums = [
        1.0,
        0.0010000000474974513,
        0.06491778045892715,
        5.913452332606539e-05,
        -0.034742698073387146,
        9.612290159566328e-05,
        -0.12635383009910583,
        0.000763409654609859,
        -0.16966381669044495,
        0.0015803168062120676,
    ]
    np.testing.assert_allclose(
        [float(_np(v).astype("float64").sum()) for v in variables], sums, rtol=1e-5, atol=1e-9
    )


def test_functional_two_inputs_concatenate_embedding_predicts_as_in_keras():
    model = kcore.models.load_model(os.path.join(DATA, "keras315_functional.keras"))
    assert model.name == "two_inputs"
    tokens = np.array([[1, 2, 3], [9, 0, 4]], "int32")
    features = np.array([[0.5, -1.0], [2.0, 0.25]], "float32")
    expected = [
        [0.31116247177124023, -0.6028754115104675],
        [-0.28239351511001587, -1.2067512273788452],
    ]
    np.testing.assert_allclose(_np(model([tokens, features])), expected, rtol=1e-5, atol=1e-6)
    embedding = next(layer for layer in model.layers if type(layer).__name__ == "Embedding")
    assert embedding.get_config()["quantization_config"] is None
