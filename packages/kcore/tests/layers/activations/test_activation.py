import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.array([[-2.0, -0.5, 0.0, 1.5]], dtype="float32")


@pytest.mark.parametrize(
    ("activation", "expected"),
    [
        ("relu", np.maximum(DATA, 0)),
        ("linear", DATA),
        ("tanh", np.tanh(DATA)),
        (kcore.activations.sigmoid, 1 / (1 + np.exp(-DATA))),
    ],
)
def test_activation(activation, expected):
    run_layer_test(
        kcore.layers.Activation,
        init_kwargs={"activation": activation},
        input_data=DATA,
        expected_output_shape=(1, 4),
        expected_output=expected,
        expected_num_trainable_weights=0,
        supports_masking=True,
        expected_mask_shape=(1, 4),
    )


def test_activation_config_names_the_function():
    assert kcore.layers.Activation("gelu").get_config()["activation"] == "gelu"


def test_activation_unknown_name():
    with pytest.raises(ValueError, match="nope"):
        kcore.layers.Activation("nope")
