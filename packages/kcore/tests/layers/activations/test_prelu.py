import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.array([[[-2.0, 1.0, -4.0], [3.0, -1.0, 0.0]]], dtype="float32")


def test_prelu():
    run_layer_test(
        kcore.layers.PReLU,
        init_kwargs={"alpha_initializer": kcore.initializers.Constant(0.25)},
        input_data=DATA,
        expected_output_shape=(1, 2, 3),
        expected_output=np.where(DATA > 0, DATA, 0.25 * DATA),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_prelu_default_is_relu_and_alpha_shape():
    layer = kcore.layers.PReLU()
    np.testing.assert_allclose(kcore.ops.convert_to_numpy(layer(DATA)), np.maximum(DATA, 0))
    assert layer.alpha.shape == (2, 3)


def test_prelu_shared_axes():
    run_layer_test(
        kcore.layers.PReLU,
        init_kwargs={"shared_axes": [1], "alpha_regularizer": "l2", "alpha_constraint": "non_neg"},
        input_data=DATA,
        expected_output_shape=(1, 2, 3),
        expected_num_trainable_weights=1,
        expected_num_losses=1,
    )
    layer = kcore.layers.PReLU(shared_axes=1)
    layer(DATA)
    assert layer.alpha.shape == (1, 3)
    assert layer.get_config()["shared_axes"] == [1]
    with pytest.raises(ValueError, match="expected axis 2"):
        layer(np.zeros((1, 2, 4), "float32"))
