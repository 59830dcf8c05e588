import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.array([[-3.0, -1.0, 0.5, 1.5, 4.0]], dtype="float32")


def reference(x, max_value=None, negative_slope=0.0, threshold=0.0):
    out = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return np.minimum(out, max_value) if max_value is not None else out


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 2.0},
        {"negative_slope": 0.1},
        {"threshold": 1.0},
        {"max_value": 3.0, "negative_slope": 0.2, "threshold": 1.0},
    ],
)
def test_relu(kwargs):
    run_layer_test(
        kcore.layers.ReLU,
        init_kwargs=kwargs,
        input_data=DATA,
        expected_output_shape=(1, 5),
        expected_output=reference(DATA, **kwargs),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"max_value": -1.0}, "max_value"),
        ({"negative_slope": -0.1}, "negative_slope"),
        ({"negative_slope": None}, "negative_slope"),
        ({"threshold": -1.0}, "threshold"),
    ],
)
def test_relu_invalid_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"{name} of a ReLU layer cannot be a negative value"):
        kcore.layers.ReLU(**kwargs)
