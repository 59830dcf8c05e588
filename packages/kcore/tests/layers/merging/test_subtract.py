import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
X1 = RNG.standard_normal((2, 3, 4)).astype("float32")
X2 = RNG.standard_normal((2, 3, 4)).astype("float32")


def test_subtract():
    run_layer_test(
        kcore.layers.Subtract,
        input_data=[X1, X2],
        expected_output_shape=(2, 3, 4),
        expected_output=X1 - X2,
        expected_num_trainable_weights=0,
        supports_masking=True,
    )
    out = kcore.layers.subtract([X1, X2])
    np.testing.assert_allclose(ops.convert_to_numpy(out), X1 - X2, rtol=1e-6)


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        kcore.layers.Subtract()([X1, X2, X1])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        kcore.layers.Subtract()([kcore.KerasTensor((None, 4))] * 3)
