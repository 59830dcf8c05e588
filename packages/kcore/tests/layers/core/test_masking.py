import numpy as np

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

DATA = np.array(
    [
        [[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]],
        [[0.0, 0.0], [4.0, 0.0], [-1.0, -1.0]],
    ],
    dtype="float32",
)


def test_masking():
    run_layer_test(
        kcore.layers.Masking,
        input_data=DATA,
        expected_output_shape=(2, 3, 2),
        expected_output=DATA,
        expected_num_trainable_weights=0,
        supports_masking=True,
        expected_mask_shape=(2, 3),
    )


def test_masking_mask_value():
    layer = kcore.layers.Masking(mask_value=-1.0)
    keep = DATA != -1.0
    expected = DATA * keep.any(axis=-1, keepdims=True)
    np.testing.assert_allclose(ops.convert_to_numpy(layer(DATA)), expected)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.compute_mask(DATA)), [[True, True, True], [True, True, False]]
    )
    assert layer.get_config()["mask_value"] == -1.0


def test_masking_default_mask_values():
    mask = ops.convert_to_numpy(kcore.layers.Masking().compute_mask(DATA))
    np.testing.assert_array_equal(mask, [[True, False, True], [False, True, True]])


def test_masking_mask_is_propagated_symbolically():
    y = kcore.layers.Masking()(kcore.KerasTensor((None, 5, 2)))
    assert y.shape == (None, 5, 2)
    assert y._keras_mask.shape == (None, 5)
    z = kcore.layers.Identity()(y)
    assert z._keras_mask.shape == (None, 5)
