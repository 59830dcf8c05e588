import numpy as np

import kcore
from kcore.testing.layers import run_layer_test


def test_identity():
    data = np.arange(6, dtype="float32").reshape(2, 3)
    run_layer_test(
        kcore.layers.Identity,
        input_data=data,
        expected_output_shape=(2, 3),
        expected_output=data,
        expected_num_trainable_weights=0,
        supports_masking=True,
        expected_mask_shape=(2, 3),
    )


def test_identity_keeps_dtype_and_structure():
    data = np.arange(6, dtype="int32").reshape(2, 3)
    run_layer_test(
        kcore.layers.Identity,
        input_data=data,
        expected_output_dtype="int32",
        expected_output=data,
    )
    x, y = kcore.KerasTensor((None, 3)), kcore.KerasTensor((None, 2), dtype="int32")
    out = kcore.layers.Identity()([x, y])
    assert [t.shape for t in out] == [(None, 3), (None, 2)]
    assert [t.dtype for t in out] == ["float32", "int32"]
