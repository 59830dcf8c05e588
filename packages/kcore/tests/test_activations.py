"""`kcore.activations`: values against numpy formulas, symbolic shapes, `get` and (de)serialization."""

import math

import numpy as np
import pytest

import kcore
from kcore import activations, ops

X = np.linspace(-4.0, 4.0, 17, dtype="float32")
X2 = np.array([[-2.0, 0.5, 1.0, 3.0], [0.1, 0.2, -0.3, 0.0], [5.0, -5.0, 2.5, 2.4]], "float32")


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def _sparsemax(x):
    z = np.sort(x, axis=-1)[..., ::-1]
    k = np.arange(1, x.shape[-1] + 1)
    cumulative = np.cumsum(z, axis=-1)
    support = (1 + k * z) > cumulative
    k_z = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, k_z - 1, axis=-1) - 1) / k_z
    return np.maximum(x - tau, 0)


_erf = np.vectorize(math.erf)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

CASES = {
    "relu": ({}, lambda x: np.maximum(x, 0)),
    "leaky_relu": ({}, lambda x: np.where(x > 0, x, 0.2 * x)),
    "relu6": ({}, lambda x: np.clip(x, 0, 6)),
    "softmax": ({}, _softmax),
    "elu": ({"alpha": 0.5}, lambda x: _elu(x, 0.5)),
    "selu": ({}, lambda x: SELU_SCALE * _elu(x, SELU_ALPHA)),
    "softplus": ({}, _softplus),
    "softsign": ({}, lambda x: x / (1 + np.abs(x))),
    "soft_shrink": ({}, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    "sparse_plus": ({}, lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    "silu": ({}, lambda x: x * _sigmoid(x)),
    "squareplus": ({"b": 2}, lambda x: (x + np.sqrt(x**2 + 2)) / 2),
    "gelu": ({}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    "celu": ({"alpha": 2.0}, lambda x: np.maximum(x, 0) + 2 * np.minimum(0, np.exp(x / 2) - 1)),
    "tanh": ({}, np.tanh),
    "tanh_shrink": ({}, lambda x: x - np.tanh(x)),
    "hard_tanh": ({}, lambda x: np.clip(x, -1, 1)),
    "hard_shrink": ({}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    "threshold": ({"threshold": 0.5, "default_value": -1.0}, lambda x: np.where(x > 0.5, x, -1)),
    "sigmoid": ({}, _sigmoid),
    "exponential": ({}, np.exp),
    "hard_sigmoid": ({}, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "log_sigmoid": ({}, lambda x: -_softplus(-x)),
    "sparse_sigmoid": ({}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "hard_silu": ({}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "linear": ({}, lambda x: x),
    "mish": ({}, lambda x: x * np.tanh(_softplus(x))),
    "log_softmax": ({}, lambda x: np.log(_softmax(x))),
    "sparsemax": ({}, _sparsemax),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_matches_numpy_formula(name):
    kwargs, reference = CASES[name]
    function = getattr(activations, name)
    for x in (X, X2):
        got = ops.convert_to_numpy(function(x, **kwargs))
        np.testing.assert_allclose(got, reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


def test_gelu_approximate_and_glu():
    approx = ops.convert_to_numpy(activations.gelu(X, approximate=True))
    x = X.astype("float64")
    expected = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(approx, expected, rtol=1e-5, atol=1e-6)
    glu = ops.convert_to_numpy(activations.glu(X2, axis=-1))
    np.testing.assert_allclose(glu, X2[:, :2] * _sigmoid(X2[:, 2:]), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 10.0]),
        ({"max_value": 6}, [0.0, 0.0, 0.0, 5.0, 6.0]),
        ({"negative_slope": 0.5, "max_value": 7.0, "threshold": 1.0}, [-5.5, -3.0, -0.5, 5.0, 7.0]),
    ],
)
def test_relu_arguments(kwargs, expected):
    x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    np.testing.assert_allclose(ops.convert_to_numpy(activations.relu(x, **kwargs)), expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_on_keras_tensor_keeps_shape(name):
    kwargs, _ = CASES[name]
    x = kcore.KerasTensor((None, 4))
    y = getattr(activations, name)(x, **kwargs)
    assert isinstance(y, kcore.KerasTensor)
    assert tuple(y.shape) == (None, 4)
    assert activations.relu(x, negative_slope=0.1, max_value=3.0, threshold=0.5).shape == (None, 4)
    assert activations.glu(x).shape == (None, 2)


def test_get_resolves_names_aliases_and_callables():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu is activations.swish
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(np.tanh) is np.tanh
    assert activations.get({"class_name": "function", "config": "elu"}) is activations.elu
    with pytest.raises(ValueError, match="Could not interpret activation"):
        activations.get("not_an_activation")
    with pytest.raises(ValueError, match="Could not interpret activation"):
        activations.get(3)


def test_builtin_activations_serialize_by_name():
    for name in ("relu", "softmax", "gelu", "sparsemax", "linear"):
        function = getattr(activations, name)
        assert activations.serialize(function) == name
        assert activations.deserialize(name) is function
    assert activations.serialize(activations.swish) == "silu"


def test_registered_custom_activation_round_trips():
    @kcore.saving.register_keras_serializable(package="test_act")
    def shifted_relu(x):
        return ops.relu(x) + 1.0

    config = activations.serialize(shifted_relu)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "test_act>shifted_relu",
        "registered_name": "function",
    }
    assert activations.deserialize(config) is shifted_relu
    assert activations.get(config) is shifted_relu


def test_unregistered_custom_activation_needs_custom_objects():
    def my_act(x):
        return x * 3.0

    config = activations.serialize(my_act)
    assert config["config"] == "my_act"
    assert activations.deserialize(config, custom_objects={"my_act": my_act}) is my_act
    with kcore.saving.custom_object_scope({"my_act": my_act}):
        assert activations.get("my_act") is my_act
        assert activations.deserialize("my_act") is my_act
