import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

X2 = np.arange(8, dtype="float32").reshape(2, 4) / 10
X3 = np.arange(30, dtype="float32").reshape(2, 3, 5) / 10


@pytest.mark.parametrize(
    ("equation", "output_shape", "bias_axes", "data", "kernel_shape", "bias_shape", "out_shape"),
    [
        ("ab,bc->ac", 3, "c", X2, (4, 3), (3,), (2, 3)),
        ("abc,cd->abd", (None, 4), "d", X3, (5, 4), (4,), (2, 3, 4)),
        ("abc,cd->abd", (None, 4), "b", X3, (5, 4), (3, 1), (2, 3, 4)),
        ("...b,bc->...c", 4, "c", X3, (5, 4), (4,), (2, 3, 4)),
        ("ab...,bc->ac...", 4, "c", X3.reshape(2, 5, 3), (5, 4), (4, 1), (2, 4, 3)),
        ("abc,cde->abde", (None, 2, 3), "de", X3, (5, 2, 3), (2, 3), (2, 3, 2, 3)),
        ("abc,cd->abd", (3, 4), None, X3, (5, 4), None, (2, 3, 4)),
    ],
)
def test_einsum_dense(equation, output_shape, bias_axes, data, kernel_shape, bias_shape, out_shape):
    kernel = np.ones(kernel_shape, dtype="float32")
    expected = np.einsum(equation, data, kernel)
    if bias_shape is not None:
        expected = expected + 0.5
    run_layer_test(
        kcore.layers.EinsumDense,
        init_kwargs={
            "equation": equation,
            "output_shape": output_shape,
            "bias_axes": bias_axes,
            "kernel_initializer": "ones",
            "bias_initializer": kcore.initializers.Constant(0.5),
        },
        input_data=data,
        expected_output_shape=out_shape,
        expected_output_dtype="float32",
        expected_output=expected,
        expected_num_trainable_weights=1 if bias_shape is None else 2,
        expected_num_non_trainable_weights=0,
        rtol=1e-4,
        atol=1e-4,
    )
    layer = kcore.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    layer.build(data.shape)
    assert layer.kernel.shape == kernel_shape
    assert (layer.bias.shape if layer.bias is not None else None) == bias_shape


def test_activation_and_symbolic_shape():
    layer = kcore.layers.EinsumDense(
        "ab,bc->ac", output_shape=2, activation="relu", kernel_initializer="ones"
    )
    out = kcore.ops.convert_to_numpy(layer(np.array([[-1.0, -2.0], [1.0, 2.0]], "float32")))
    np.testing.assert_allclose(out, [[0.0, 0.0], [3.0, 3.0]])
    symbolic = kcore.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    assert symbolic(kcore.KerasTensor((None, 32, 128))).shape == (None, 32, 64)


def test_config_keys_match_keras():
    config = kcore.layers.EinsumDense("ab,bc->ac", 4, bias_axes="c").get_config()
    assert config["output_shape"] == (4,)
    assert config["equation"] == "ab,bc->ac"
    assert config["bias_axes"] == "c"


@pytest.mark.parametrize(
    ("kwargs", "shape", "message"),
    [
        ({"equation": "ab->ac", "output_shape": 3}, (2, 4), "Invalid einsum equation"),
        ({"equation": "a,b,c->d", "output_shape": 3}, (2, 4), "Invalid einsum equation"),
        (
            {"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "x"},
            (2, 4),
            "Bias dimension 'x' was requested",
        ),
        ({"equation": "ab,bc->ad", "output_shape": 3}, (2, 4), "Dimension 'd'"),
        ({"equation": "ab,bcx->ac", "output_shape": 3}, (2, 4), "Weight dimension 'x'"),
        (
            {"equation": "abc,cd->abd", "output_shape": (5, 4)},
            (2, 3, 5),
            "do not match at shared dimension 'b'",
        ),
    ],
)
def test_invalid_equations(kwargs, shape, message):
    with pytest.raises(ValueError, match=message):
        layer = kcore.layers.EinsumDense(**kwargs)
        layer(np.zeros(shape, "float32"))


def test_input_rank_is_fixed_after_build():
    layer = kcore.layers.EinsumDense("...b,bc->...c", 4)
    layer(np.zeros((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match="expected ndim=3"):
        layer(np.zeros((2, 5), "float32"))
