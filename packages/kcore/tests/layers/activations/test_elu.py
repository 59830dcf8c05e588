import numpy as np

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.array([[-2.0, -0.5, 0.0, 3.0]], dtype="float32")


def test_elu():
    for alpha in (1.0, 0.5):
        run_layer_test(
            kcore.layers.ELU,
            init_kwargs={"alpha": alpha},
            input_data=DATA,
            expected_output_shape=(1, 4),
            expected_output=np.where(DATA > 0, DATA, alpha * (np.exp(DATA) - 1)),
            expected_num_trainable_weights=0,
            supports_masking=True,
        )
    assert kcore.layers.ELU(alpha=0.5).get_config()["alpha"] == 0.5
