"""Attention (Luong-style): the shared layer checks, scores against numpy for both score modes,
masks (as a list, and from Embedding inside a Functional model), dropout and errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
QUERY = RNG.standard_normal((2, 3, 4)).astype("float32")
VALUE = RNG.standard_normal((2, 5, 6)).astype("float32")
KEY = RNG.standard_normal((2, 5, 4)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_basics():
    run_layer_test(
        layers.Attention,
        init_kwargs={"use_scale": True},
        input_data=[QUERY, VALUE, KEY],
        expected_output_shape=(2, 3, 6),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=0,
        supports_masking=True,
    )


def test_concat_mode_with_scores_output():
    run_layer_test(
        layers.Attention,
        init_kwargs={"score_mode": "concat", "use_scale": True},
        input_data=[QUERY, KEY],
        call_kwargs={"return_attention_scores": True},
        expected_output_shape=[(2, 3, 4), (2, 3, 5)],
        expected_num_trainable_weights=2,
    )


def test_dropout_has_a_seed_generator_and_runs_only_in_training():
    run_layer_test(
        layers.Attention,
        init_kwargs={"dropout": 0.5, "seed": 1},
        input_data=[QUERY, KEY],
        expected_num_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
    )
    layer = layers.Attention(dropout=0.5, seed=1)
    inference = _np(layer([QUERY, KEY]))
    assert not np.allclose(_np(layer([QUERY, KEY], training=True)), inference)
    np.testing.assert_allclose(_np(layer([QUERY, KEY], training=False)), inference)


@pytest.mark.parametrize("use_scale", [False, True])
def test_dot_scores_match_numpy(use_scale):
    layer = layers.Attention(use_scale=use_scale)
    layer.build([QUERY.shape, VALUE.shape, KEY.shape])
    if use_scale:
        layer.set_weights([np.array(0.5, "float32")])
    output, weights = layer([QUERY, VALUE, KEY], return_attention_scores=True)
    logits = np.einsum("bqd,bvd->bqv", QUERY, KEY) * (0.5 if use_scale else 1.0)
    np.testing.assert_allclose(_np(weights), _softmax(logits), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(output), _softmax(logits) @ VALUE, rtol=1e-5, atol=1e-5)


def test_concat_scores_match_numpy():
    layer = layers.Attention(score_mode="concat", use_scale=True)
    layer.build([QUERY.shape, KEY.shape])
    layer.set_weights([np.array(0.5, "float32"), np.array(2.0, "float32")])
    _, weights = layer([QUERY, KEY], return_attention_scores=True)
    logits = 2.0 * np.tanh(0.5 * (QUERY[:, :, None] + KEY[:, None])).sum(-1)
    np.testing.assert_allclose(_np(weights), _softmax(logits), rtol=1e-5, atol=1e-6)


def test_masks_and_causal_mask():
    layer = layers.Attention()
    query_mask = np.array([[True, True, False], [True, False, False]])
    value_mask = np.array([[True, False, True, True, False], [True, True, True, False, False]])
    output, weights = layer(
        [QUERY, KEY], mask=[query_mask, value_mask], return_attention_scores=True
    )
    weights = _np(weights)
    assert np.all(weights[np.broadcast_to(~value_mask[:, None], weights.shape)] < 1e-6)
    assert np.all(_np(output)[~query_mask] == 0)
    np.testing.assert_allclose(
        layer.compute_mask([QUERY, KEY], [query_mask, value_mask]), query_mask
    )
    assert layer.compute_mask([QUERY, KEY], None) is None
    square = QUERY[:, :3]
    _, causal = layer([square, square], use_causal_mask=True, return_attention_scores=True)
    assert np.all(_np(causal)[:, np.triu(np.ones((3, 3), bool), 1)] < 1e-6)


def test_embedding_masks_flow_through_a_functional_model():
    query_ids = kcore.Input((3,), dtype="int32")
    value_ids = kcore.Input((4,), dtype="int32")
    embed = layers.Embedding(5, 4, mask_zero=True)
    attention = layers.Attention()
    output = attention([embed(query_ids), embed(value_ids)])
    assert output._keras_mask is not None and output._keras_mask.shape == (None, 3)
    model = kcore.Model([query_ids, value_ids], output)
    q = np.array([[1, 2, 0], [3, 0, 0]], "int32")
    v = np.array([[1, 0, 2, 0], [4, 4, 0, 0]], "int32")
    want = attention([embed(q), embed(v)], mask=[q != 0, v != 0])
    np.testing.assert_allclose(_np(model([q, v])), _np(want), rtol=1e-6, atol=1e-6)


def test_symbolic_shapes():
    layer = layers.Attention()
    output, scores = layer(
        [kcore.Input((3, 4)), kcore.Input((5, 6)), kcore.Input((5, 4))],
        return_attention_scores=True,
    )
    assert output.shape == (None, 3, 6) and scores.shape == (None, 3, 5)
    assert layer.compute_output_shape([(2, 3, 4), (2, 5, 6)]) == (2, 3, 6)


def test_errors():
    with pytest.raises(ValueError, match=r"attention.*accepts inputs list of length 2 or 3.*1"):
        layers.Attention()([QUERY])
    with pytest.raises(ValueError, match="must be called on a list"):
        layers.Attention()(QUERY)
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match=r"last axis of the query \(4\) and of the value"):
        layers.Attention()([QUERY, VALUE])
    with pytest.raises(ValueError, match="mask list of length 2 or 3"):
        layers.Attention()([QUERY, KEY], mask=[None])
    with pytest.raises(ValueError, match=r"`value mask` has shape \(2, 4\)"):
        layers.Attention()([QUERY, KEY], mask=[None, np.ones((2, 4), bool)])
