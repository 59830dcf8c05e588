import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.array([[-2.0, -0.5, 0.0, 3.0]], dtype="float32")


def test_leaky_relu():
    run_layer_test(
        kcore.layers.LeakyReLU,
        init_kwargs={"negative_slope": 0.5},
        input_data=DATA,
        expected_output_shape=(1, 4),
        expected_output=np.where(DATA > 0, DATA, 0.5 * DATA),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_leaky_relu_default_slope():
    layer = kcore.layers.LeakyReLU()
    assert layer.negative_slope == 0.3
    out = kcore.ops.convert_to_numpy(layer(DATA))
    np.testing.assert_allclose(out, np.where(DATA > 0, DATA, 0.3 * DATA), rtol=1e-6)


def test_leaky_relu_alpha_is_deprecated():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = kcore.layers.LeakyReLU(alpha=0.1)
    assert layer.get_config()["negative_slope"] == 0.1


def test_leaky_relu_negative_slope_must_be_nonnegative():
    with pytest.raises(ValueError, match="cannot be None or negative"):
        kcore.layers.LeakyReLU(negative_slope=-1)
