import numpy as np
import pytest

import kcore
from kcore import ops


def test_incompatible_shapes_name_the_layer_and_shapes():
    layer = kcore.layers.Add(name="my_add")
    with pytest.raises(ValueError, match=r'"my_add".*incompatible shapes.*\(3, 4\) and \(5, 4\)'):
        layer([kcore.KerasTensor((None, 3, 4)), kcore.KerasTensor((None, 5, 4))])
    with pytest.raises(ValueError, match="incompatible shapes"):
        kcore.layers.Multiply()([np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")])


def test_different_batch_sizes():
    with pytest.raises(ValueError, match="different batch sizes"):
        kcore.layers.Add()([np.zeros((2, 3), "float32"), np.zeros((4, 3), "float32")])


def test_merge_needs_a_list():
    with pytest.raises(ValueError, match="list of inputs"):
        kcore.layers.Add()(np.zeros((2, 3), "float32"))


def test_output_shape_broadcasts_and_keeps_known_sizes():
    y = kcore.layers.Add()([kcore.KerasTensor((None, 3, 1)), kcore.KerasTensor((4, 1, 5))])
    assert y.shape == (4, 3, 5)
    y = kcore.layers.Maximum()([kcore.KerasTensor((None, 3, 4)), kcore.KerasTensor((None, 4))])
    assert y.shape == (None, 3, 4)


def test_output_dtype_follows_the_inputs():
    ints = [kcore.KerasTensor((None, 2), dtype="int32")] * 2
    assert kcore.layers.Add()(ints).dtype == "int32"
    eager = kcore.layers.Add()([np.ones((1, 2), "int32"), np.ones((1, 2), "int32")])
    assert kcore.backend.standardize_dtype(eager.dtype) == "int32"


def test_masks_are_combined_with_or():
    m1 = np.array([[True, False, False]])
    m2 = np.array([[True, True, False]])
    x = np.zeros((1, 3, 2), "float32")
    layer = kcore.layers.Add()
    mask = ops.convert_to_numpy(layer.compute_mask([x, x], [m1, m2]))
    np.testing.assert_array_equal(mask, m1 | m2)
    assert layer.compute_mask([x, x], [m1, None]) is None
    assert layer.compute_mask([x, x], None) is None
    with pytest.raises(ValueError, match="should be a list"):
        layer.compute_mask([x, x], m1)
    with pytest.raises(ValueError, match="same length"):
        layer.compute_mask([x, x], [m1])


def test_masks_are_propagated_symbolically():
    a = kcore.layers.Masking()(kcore.KerasTensor((None, 5, 2)))
    b = kcore.layers.Masking()(kcore.KerasTensor((None, 5, 2)))
    y = kcore.layers.Average()([a, b])
    assert y._keras_mask.shape == (None, 5)
