"""AdditiveAttention (Bahdanau-style): the shared layer checks, scores against numpy, masks and
its config (no `score_mode`)."""

import numpy as np
import pytest

from kcore import layers, ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)
QUERY = RNG.standard_normal((2, 3, 4)).astype("float32")
VALUE = RNG.standard_normal((2, 5, 6)).astype("float32")
KEY = RNG.standard_normal((2, 5, 4)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_basics():
    run_layer_test(
        layers.AdditiveAttention,
        input_data=[QUERY, VALUE, KEY],
        expected_output_shape=(2, 3, 6),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_without_scale_and_with_scores():
    run_layer_test(
        layers.AdditiveAttention,
        init_kwargs={"use_scale": False, "dropout": 0.2, "seed": 4},
        input_data=[QUERY, KEY],
        call_kwargs={"return_attention_scores": True},
        expected_output_shape=[(2, 3, 4), (2, 3, 5)],
        expected_num_trainable_weights=0,
        expected_num_seed_generators=1,
    )


@pytest.mark.parametrize("use_scale", [False, True])
def test_scores_match_numpy(use_scale):
    layer = layers.AdditiveAttention(use_scale=use_scale)
    output, weights = layer([QUERY, VALUE, KEY], return_attention_scores=True)
    scale = layer.get_weights()[0] if use_scale else 1.0
    logits = (scale * np.tanh(QUERY[:, :, None] + KEY[:, None])).sum(-1)
    want = np.exp(logits - logits.max(-1, keepdims=True))
    want /= want.sum(-1, keepdims=True)
    np.testing.assert_allclose(_np(weights), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(output), want @ VALUE, rtol=1e-5, atol=1e-5)


def test_masks():
    value_mask = np.array([[True, False, True, True, False], [True, True, False, False, False]])
    _, weights = layers.AdditiveAttention()(
        [QUERY, KEY], mask=[None, value_mask], return_attention_scores=True
    )
    weights = _np(weights)
    assert np.all(weights[np.broadcast_to(~value_mask[:, None], weights.shape)] < 1e-6)


def test_config_has_no_score_mode():
    layer = layers.AdditiveAttention(use_scale=False, dropout=0.1, seed=3)
    config = layer.get_config()
    assert "score_mode" not in config
    assert {k: config[k] for k in ("use_scale", "dropout", "seed")} == {
        "use_scale": False,
        "dropout": 0.1,
        "seed": 3,
    }
    assert layers.AdditiveAttention.from_config(config).get_config() == config


def test_query_and_key_features_must_match():
    with pytest.raises(ValueError, match=r"additive_attention.*last axis of the query \(4\)"):
        layers.AdditiveAttention()([QUERY, VALUE])
