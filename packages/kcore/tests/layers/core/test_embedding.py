import numpy as np
import pytest

import kcore
from kcore.testing.layers import run_layer_test

TABLE = np.arange(30, dtype="float32").reshape(10, 3) / 10
INDICES = np.array([[0, 3, 9, 1], [2, 0, 0, 5]], dtype="int32")


class TableInitializer(kcore.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        return kcore.ops.convert_to_tensor(TABLE, dtype=dtype)


def test_embedding():
    run_layer_test(
        kcore.layers.Embedding,
        init_kwargs={"input_dim": 10, "output_dim": 3},
        input_data=INDICES,
        expected_output_shape=(2, 4, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
    )


def test_embedding_values_and_weights_argument():
    layer = kcore.layers.Embedding(10, 3, weights=TABLE)
    assert layer.built
    np.testing.assert_allclose(kcore.ops.convert_to_numpy(layer(INDICES)), TABLE[INDICES])
    # Float indices are cast to int.
    out = layer(INDICES.astype("float32"))
    np.testing.assert_allclose(kcore.ops.convert_to_numpy(out), TABLE[INDICES])
    assert layer.embeddings.path == f"{layer.name}/embeddings"


def test_embedding_mask_zero():
    run_layer_test(
        kcore.layers.Embedding,
        init_kwargs={"input_dim": 10, "output_dim": 3, "mask_zero": True},
        input_shape=(2, 4),
        input_dtype="int32",
        expected_output_shape=(2, 4, 3),
        supports_masking=True,
        expected_mask_shape=(2, 4),
    )
    layer = kcore.layers.Embedding(10, 3, mask_zero=True)
    mask = kcore.ops.convert_to_numpy(layer.compute_mask(INDICES))
    np.testing.assert_array_equal(mask, INDICES != 0)
    assert kcore.layers.Embedding(10, 3).compute_mask(INDICES) is None


def test_embedding_mask_is_propagated_symbolically():
    x = kcore.KerasTensor((None, 4), dtype="int32")
    y = kcore.layers.Embedding(10, 3, mask_zero=True)(x)
    assert y.shape == (None, 4, 3)
    assert y._keras_mask.shape == (None, 4)


def test_embedding_config_and_regularizer():
    layer = kcore.layers.Embedding(
        10, 3, embeddings_regularizer="l2", embeddings_initializer=TableInitializer()
    )
    config = layer.get_config()
    assert config["input_dim"] == 10 and config["output_dim"] == 3
    assert config["mask_zero"] is False
    layer(INDICES)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(
        float(kcore.ops.convert_to_numpy(layer.losses[0])), 0.01 * (TABLE**2).sum(), rtol=1e-4
    )


def test_embedding_mixed_precision_keeps_int_inputs():
    layer = kcore.layers.Embedding(10, 3, dtype="mixed_float16")
    out = layer(INDICES)
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    assert layer.embeddings.dtype == "float32"


@pytest.mark.parametrize(
    "kwargs", [{"input_dim": 0, "output_dim": 3}, {"input_dim": 4, "output_dim": -1}]
)
def test_embedding_invalid_sizes(kwargs):
    with pytest.raises(ValueError, match="expected a positive integer"):
        kcore.layers.Embedding(**kwargs)
