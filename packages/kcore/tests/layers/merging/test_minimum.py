import numpy as np

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
X1 = RNG.standard_normal((2, 3, 4)).astype("float32")
X2 = RNG.standard_normal((2, 3, 4)).astype("float32")


def test_minimum():
    a, b, c = X1, X2, X1 * 3 - 1
    run_layer_test(
        kcore.layers.Minimum,
        input_data=[a, b, c],
        expected_output_shape=(2, 3, 4),
        expected_output=np.minimum(np.minimum(a, b), c),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_minimum_functional_form():
    x1, x2 = X1, X2
    out = kcore.layers.minimum([x1, x2])
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.minimum(x1, x2), rtol=1e-6)
    y = kcore.layers.minimum([kcore.KerasTensor((None, 3, 4)), kcore.KerasTensor((None, 3, 4))])
    assert y.shape == (None, 3, 4)


def test_minimum_broadcasts_lower_rank_inputs():
    x1, x2 = X1, X2[:, 0, :]
    out = kcore.layers.Minimum()([x1, x2])
    x2 = x2[:, None, :]  # the axis the layer inserts after the batch axis
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.minimum(x1, x2), rtol=1e-6)
