import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

DATA = np.array([[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]], dtype="float32")


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_softmax(axis):
    run_layer_test(
        kcore.layers.Softmax,
        init_kwargs={"axis": axis},
        input_data=DATA,
        expected_output_shape=(1, 2, 3),
        expected_output=softmax(DATA, axis=axis),
        expected_num_trainable_weights=0,
        supports_masking=True,
        expected_mask_shape=(1, 2),
    )


def test_softmax_with_mask():
    mask = np.array([[[True, True, False], [True, False, False]]])
    expected = np.array([[[0.26894142, 0.73105858, 0.0], [1.0, 0.0, 0.0]]], dtype="float32")
    run_layer_test(
        kcore.layers.Softmax,
        input_data=DATA,
        call_kwargs={"mask": mask},
        expected_output=expected,
    )
    # Under float16 the masked logits stay finite.
    layer = kcore.layers.Softmax(dtype="mixed_float16")
    out = ops.convert_to_numpy(layer(DATA, mask=mask)).astype("float32")
    np.testing.assert_allclose(out, expected, atol=1e-3)
