import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.arange(24, dtype="float32").reshape(2, 3, 4)


@pytest.mark.parametrize(
    ("data_format", "expected"),
    [
        ("channels_last", DATA.reshape(2, 12)),
        ("channels_first", DATA.transpose(0, 2, 1).reshape(2, 12)),
    ],
)
def test_flatten(data_format, expected):
    run_layer_test(
        kcore.layers.Flatten,
        init_kwargs={"data_format": data_format},
        input_data=DATA,
        expected_output_shape=(2, 12),
        expected_output=expected,
        expected_num_trainable_weights=0,
    )


def test_flatten_rank_one_and_int_inputs():
    run_layer_test(
        kcore.layers.Flatten,
        input_data=np.arange(3, dtype="int32"),
        expected_output_shape=(3, 1),
        expected_output_dtype="int32",
    )


def test_flatten_symbolic_shapes():
    assert kcore.layers.Flatten()(kcore.KerasTensor((None, 10, 64))).shape == (None, 640)
    assert kcore.layers.Flatten()(kcore.KerasTensor((None, None, 64))).shape == (None, None)
    assert kcore.layers.Flatten().get_config()["data_format"] == "channels_last"


def test_flatten_invalid_data_format():
    with pytest.raises(ValueError, match="data_format"):
        kcore.layers.Flatten(data_format="channels_middle")
