import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

DATA = np.arange(24, dtype="float32").reshape(2, 3, 4)


def test_permute():
    run_layer_test(
        kcore.layers.Permute,
        init_kwargs={"dims": (2, 1)},
        input_data=DATA,
        expected_output_shape=(2, 4, 3),
        expected_output=DATA.transpose(0, 2, 1),
        expected_num_trainable_weights=0,
    )


def test_permute_rank_four():
    data = np.arange(48, dtype="float32").reshape(2, 2, 3, 4)
    run_layer_test(
        kcore.layers.Permute,
        init_kwargs={"dims": (3, 1, 2)},
        input_data=data,
        expected_output_shape=(2, 4, 2, 3),
        expected_output=data.transpose(0, 3, 1, 2),
    )
    assert kcore.layers.Permute((2, 1)).get_config()["dims"] == (2, 1)


def test_permute_errors():
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        kcore.layers.Permute((0, 1))
    with pytest.raises(ValueError, match="expected ndim=3"):
        kcore.layers.Permute((2, 1))(np.zeros((2, 3, 4, 5), "float32"))
