import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.arange(6, dtype="float32").reshape(2, 3)


def test_repeat_vector():
    run_layer_test(
        kcore.layers.RepeatVector,
        init_kwargs={"n": 4},
        input_data=DATA,
        expected_output_shape=(2, 4, 3),
        expected_output=np.repeat(DATA[:, None, :], 4, axis=1),
        expected_num_trainable_weights=0,
    )
    assert kcore.layers.RepeatVector(3)(kcore.KerasTensor((None, 32))).shape == (None, 3, 32)


def test_repeat_vector_errors():
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        kcore.layers.RepeatVector(2.5)
    with pytest.raises(ValueError, match="expected ndim=2"):
        kcore.layers.RepeatVector(2)(np.zeros((2, 3, 4), "float32"))
