import pytest

import kcore
from kcore import ops


def test_unknown_dims_propagate():
    x = kcore.KerasTensor((None, 4), dtype="float32")
    y = ops.reshape(x, (-1, 2, 2))
    assert y.shape == (None, 2, 2)
    assert ops.sum(x, axis=0).shape == (4,)
    assert ops.reshape(x, (2, -1)).shape == (2, None)


def test_operators_follow_type_promotion():
    x = kcore.KerasTensor((None, 3), dtype="int32")
    assert (x + 1).dtype == "int32"
    assert (x + 1.5).dtype == "float32"
    assert (x @ kcore.KerasTensor((3, 2), dtype="int32")).shape == (None, 2)


def test_keras_tensor_has_no_value():
    x = kcore.KerasTensor((2, 3))
    with pytest.raises(ValueError, match="symbolic"):
        import numpy as np

        np.asarray(x)
    with pytest.raises(TypeError, match="no truth value"):
        bool(x)


def test_invalid_shape_is_a_clear_error():
    with pytest.raises(ValueError, match="shape must be a tuple of ints or None"):
        kcore.KerasTensor(("a", 3))
