import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
X1 = RNG.standard_normal((2, 3, 4)).astype("float32")
X2 = RNG.standard_normal((2, 3, 2)).astype("float32")
X3 = RNG.standard_normal((2, 1, 4)).astype("float32")


def test_concatenate_last_axis():
    run_layer_test(
        kcore.layers.Concatenate,
        input_data=[X1, X2],
        expected_output_shape=(2, 3, 6),
        expected_output=np.concatenate([X1, X2], axis=-1),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_concatenate_axis_one():
    run_layer_test(
        kcore.layers.Concatenate,
        init_kwargs={"axis": 1},
        input_data=[X1, X3],
        expected_output_shape=(2, 4, 4),
        expected_output=np.concatenate([X1, X3], axis=1),
    )
    assert kcore.layers.Concatenate(axis=1).get_config()["axis"] == 1


def test_concatenate_functional_form_and_symbolic_shapes():
    out = kcore.layers.concatenate([X1, X3], axis=1)
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.concatenate([X1, X3], axis=1))
    y = kcore.layers.concatenate([kcore.KerasTensor((None, 3, 4)), kcore.KerasTensor((None, 3, 2))])
    assert y.shape == (None, 3, 6)
    y = kcore.layers.concatenate(
        [kcore.KerasTensor((None, None, 4)), kcore.KerasTensor((None, 3, 2))]
    )
    assert y.shape == (None, 3, 6)
    y = kcore.layers.concatenate(
        [kcore.KerasTensor((None, 3, None)), kcore.KerasTensor((None, 3, 2))]
    )
    assert y.shape == (None, 3, None)


def test_concatenate_shape_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r'"cat".*matching shapes.*\(None, 3, 4\), \(None, 5, 2\)'):
        kcore.layers.Concatenate(name="cat")(
            [kcore.KerasTensor((None, 3, 4)), kcore.KerasTensor((None, 5, 2))]
        )
    with pytest.raises(ValueError, match="matching shapes"):
        kcore.layers.Concatenate()([X1, X1[:, 0]])
    with pytest.raises(ValueError, match="out of range"):
        kcore.layers.Concatenate(axis=3)([X1, X1])


def test_concatenate_masks():
    layer = kcore.layers.Concatenate(axis=1)
    m1 = np.array([[True, False, True], [False, False, True]])
    mask = ops.convert_to_numpy(layer.compute_mask([X1, X3], [m1, None]))
    np.testing.assert_array_equal(mask, np.concatenate([m1, np.ones((2, 1), bool)], axis=1))
    assert layer.compute_mask([X1, X3], [None, None]) is None
    # Along the features axis each timestep is kept if any input keeps it.
    m2 = np.array([[True, True, False], [False, False, False]])
    last = kcore.layers.Concatenate()
    mask = ops.convert_to_numpy(last.compute_mask([X1, X2], [m1, m2]))
    np.testing.assert_array_equal(mask, m1 | m2)


def test_concatenate_masks_symbolically():
    a = kcore.layers.Masking()(kcore.KerasTensor((None, 5, 2)))
    b = kcore.KerasTensor((None, 3, 2))
    y = kcore.layers.Concatenate(axis=1)([a, b])
    assert y.shape == (None, 8, 2)
    assert y._keras_mask.shape == (None, 8)
