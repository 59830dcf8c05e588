import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.arange(24, dtype="float32").reshape(2, 12)


@pytest.mark.parametrize("target_shape", [(3, 4), (-1, 2, 2), (4, -1)])
def test_reshape(target_shape):
    expected = DATA.reshape(2, *target_shape)
    run_layer_test(
        kcore.layers.Reshape,
        init_kwargs={"target_shape": target_shape},
        input_data=DATA,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
    )


def test_reshape_symbolic_shapes():
    x = kcore.KerasTensor((None, 12))
    assert kcore.layers.Reshape((3, 4))(x).shape == (None, 3, 4)
    assert kcore.layers.Reshape((-1, 2, 2))(x).shape == (None, 3, 2, 2)
    assert kcore.layers.Reshape((-1, 4))(kcore.KerasTensor((None, None, 4))).shape == (
        None,
        None,
        4,
    )
    y = kcore.layers.Reshape((6, 2))(kcore.KerasTensor((None, 12), dtype="int32"))
    assert y.dtype == "int32"


def test_reshape_errors():
    with pytest.raises(ValueError, match="more than one `-1`"):
        kcore.layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        kcore.layers.Reshape((5, 2))(DATA)
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        kcore.layers.Reshape((-1, 5))(kcore.KerasTensor((None, 12)))
