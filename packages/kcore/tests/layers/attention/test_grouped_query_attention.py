"""GroupedQueryAttention: the shared layer checks, numbers against numpy (key/value heads shared
by groups of query heads), the fused and composed paths, masks and errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
QUERY = RNG.standard_normal((2, 5, 8)).astype("float32")
VALUE = RNG.standard_normal((2, 7, 8)).astype("float32")
GQA = {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _reference(layer, query, value, mask=None):
    qk, qb, kk, kb, vk, vb, ok, ob = layer.get_weights()
    q = np.einsum("bqm,muh->bquh", query, qk) + qb
    k = np.einsum("bkm,mvh->bkvh", value, kk) + kb
    v = np.einsum("bkm,mvh->bkvh", value, vk) + vb
    # Query head u reads key/value head u // (query heads per key/value head).
    k = np.repeat(k, layer.num_repeats, axis=2)
    v = np.repeat(v, layer.num_repeats, axis=2)
    logits = np.einsum("bquh,bkuh->buqk", q, k) / np.sqrt(layer.head_dim)
    if mask is not None:
        logits = np.where(mask[:, None], logits, -1e9)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return np.einsum("bquh,uhm->bqm", np.einsum("buqk,bkuh->bquh", weights, v), ok) + ob


def test_basics():
    run_layer_test(
        layers.GroupedQueryAttention,
        init_kwargs=GQA,
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_output_shape=(2, 5, 8),
        expected_num_trainable_weights=8,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=0,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_scores_gate_and_no_bias():
    run_layer_test(
        layers.GroupedQueryAttention,
        init_kwargs={**GQA, "use_gate": True, "use_bias": False},
        input_data=QUERY,
        call_kwargs={"value": VALUE, "return_attention_scores": True},
        expected_output_shape=[(2, 5, 8), (2, 4, 5, 7)],
        expected_num_trainable_weights=5,
    )


def test_dropout_and_regularizers():
    run_layer_test(
        layers.GroupedQueryAttention,
        init_kwargs={**GQA, "dropout": 0.5, "seed": 2, "activity_regularizer": "l2"},
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        # One per projection, and one on the layer's own output (as in Keras).
        expected_num_losses=5,
    )


@pytest.mark.parametrize("kv_heads", [1, 2, 4])
def test_values_match_numpy_on_both_paths(kv_heads):
    layer = layers.GroupedQueryAttention(4, 4, kv_heads)
    fused = _np(layer(QUERY, VALUE))
    want = _reference(layer, QUERY, VALUE)
    composed, scores = layer(QUERY, VALUE, return_attention_scores=True)
    np.testing.assert_allclose(fused, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(composed), want, rtol=1e-5, atol=1e-5)
    assert _np(scores).shape == (2, 4, 5, 7)
    assert tuple(layer._key_dense.kernel.shape) == (8, kv_heads, 4)


@pytest.mark.parametrize(
    "mask_kwargs",
    [
        {"use_causal_mask": True},
        {"value_mask": np.array([[1, 1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 0, 0, 0]], bool)},
        {"attention_mask": np.tril(np.ones((5, 7), bool))},
    ],
    ids=["causal", "value_mask", "attention_mask"],
)
def test_masks_on_both_paths(mask_kwargs):
    layer = layers.GroupedQueryAttention(**GQA)
    fused = _np(layer(QUERY, VALUE, **mask_kwargs))
    composed, scores = layer(QUERY, VALUE, return_attention_scores=True, **mask_kwargs)
    np.testing.assert_allclose(fused, _np(composed), rtol=1e-5, atol=1e-5)
    if "value_mask" in mask_kwargs:
        mask = np.broadcast_to(mask_kwargs["value_mask"][:, None], (2, 5, 7))
    else:
        mask = np.broadcast_to(np.tril(np.ones((5, 7), bool)), (2, 5, 7))
    np.testing.assert_allclose(fused, _reference(layer, QUERY, VALUE, mask), atol=1e-5)
    assert np.all(_np(scores)[np.broadcast_to(~mask[:, None], (2, 4, 5, 7))] == 0)


def test_functional_model_and_symbolic_scores():
    query = kcore.Input((5, 8))
    value = kcore.Input((7, 8))
    layer = layers.GroupedQueryAttention(**GQA)
    output, scores = layer(query, value, return_attention_scores=True)
    assert output.shape == (None, 5, 8) and scores.shape == (None, 4, 5, 7)
    model = kcore.Model([query, value], output)
    np.testing.assert_allclose(
        _np(model([QUERY, VALUE])), _np(layer(QUERY, VALUE)), rtol=1e-6, atol=1e-6
    )


def test_keras_public_name():
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention
    config = kcore.saving.serialize_keras_object(layers.GroupQueryAttention(**GQA))
    assert (config["module"], config["class_name"]) == ("keras.layers", "GroupQueryAttention")
    assert type(kcore.saving.deserialize_keras_object(config)) is layers.GroupedQueryAttention
    config["class_name"] = "GroupedQueryAttention"  # the class's own name resolves too
    assert type(kcore.saving.deserialize_keras_object(config)) is layers.GroupedQueryAttention


def test_heads_must_divide():
    with pytest.raises(
        ValueError,
        match=r"`num_query_heads` must be divisible by `num_key_value_heads`.*=4.*=3",
    ):
        layers.GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=3)
    with pytest.raises(ValueError, match="argument `num_key_value_heads`"):
        layers.GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=0)
    with pytest.raises(ValueError, match="argument `head_dim`"):
        layers.GroupedQueryAttention(head_dim=-1, num_query_heads=4, num_key_value_heads=2)


def test_query_and_value_features_must_match_symbolically():
    layer = layers.GroupedQueryAttention(**GQA)
    with pytest.raises(ValueError, match=r"grouped_query_attention.*last dimension.*8 and 6"):
        layer(kcore.Input((5, 8)), kcore.Input((7, 6)))
    with pytest.raises(ValueError, match="must be equal"):
        layer.compute_output_shape((2, 5, 8), (2, 7, 8), (2, 6, 8))


def test_inputs_must_be_sequences_and_masks_fit():
    layer = layers.GroupedQueryAttention(**GQA)
    with pytest.raises(ValueError, match=r"`query` must have rank 3.*\(2, 5\)"):
        layer(QUERY[..., 0], VALUE)
    layer = layers.GroupedQueryAttention(**GQA)
    with pytest.raises(ValueError, match=r"`attention_mask` has shape \(5, 5\)"):
        layer(QUERY, VALUE, attention_mask=np.ones((5, 5), bool))
    with pytest.raises(ValueError, match=r"`value_mask` has shape \(2, 5\)"):
        layer(QUERY, VALUE, value_mask=np.ones((2, 5), bool))
