"""The attention layers: MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention.

The projection layers take `query` as the input and `value` (and `key`, masks) as call
arguments."""

from .cases import Case


def _normal(rng, shape):
    return rng.standard_normal(shape).astype("float32")


def _padding_mask(rng, batch, length):
    """Booleans `(batch, length)`, each row with at least its first position kept."""
    mask = rng.random((batch, length)) > 0.4
    mask[:, 0] = True
    return mask


def _value(shape, **extra):
    """call_kwargs with a random `value` of `shape` and `extra` (functions of rng, or values)."""

    def make(rng):
        kwargs = {"value": _normal(rng, shape)}
        for name, item in extra.items():
            kwargs[name] = item(rng) if callable(item) else item
        return kwargs

    return make


MHA = {"num_heads": 2, "key_dim": 4}
GQA = {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}


def _gqa(**kwargs):
    return lambda layers: layers.GroupQueryAttention(**{**GQA, **kwargs})


CASES = [
    # MultiHeadAttention: the fused path (no dropout, no scores) and the composed one.
    Case("MultiHeadAttention", MHA, input_shape=(2, 5, 8), call_kwargs=_value((2, 7, 6))),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 6), return_attention_scores=True),
        id="MultiHeadAttention-scores",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 6), key=lambda rng: _normal(rng, (2, 7, 3))),
        id="MultiHeadAttention-key",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "output_shape": (2, 5), "use_bias": False},
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 6)),
        id="MultiHeadAttention-output_shape-no_bias",
    ),
    Case(
        # Keras's jax backend runs value_dim != key_dim only off the fused path.
        "MultiHeadAttention",
        {**MHA, "value_dim": 3},
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 6), return_attention_scores=True),
        id="MultiHeadAttention-value_dim",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "attention_axes": (1, 2)},
        input_shape=(2, 3, 4, 8),
        call_kwargs=_value((2, 3, 2, 8)),
        id="MultiHeadAttention-2d_attention",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "attention_axes": 2},
        input_shape=(2, 3, 4, 8),
        call_kwargs=_value((2, 3, 5, 8)),
        id="MultiHeadAttention-attention_axes_2",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 5, 8), use_causal_mask=True),
        id="MultiHeadAttention-causal",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 5, 8), use_causal_mask=True, return_attention_scores=True),
        id="MultiHeadAttention-causal-scores",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8), attention_mask=lambda rng: _padding_mask(rng, 5, 7)[None]),
        id="MultiHeadAttention-attention_mask",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value(
            (2, 7, 8),
            value_mask=lambda rng: _padding_mask(rng, 2, 7),
            return_attention_scores=True,
        ),
        id="MultiHeadAttention-value_mask-scores",
    ),
    Case(
        "MultiHeadAttention",
        MHA,
        input_shape=(2, 5, 8),
        call_kwargs=_value(
            (2, 7, 8), value_mask=lambda rng: _padding_mask(rng, 2, 7), use_causal_mask=True
        ),
        id="MultiHeadAttention-value_mask-causal",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "use_gate": True},
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8)),
        id="MultiHeadAttention-gate",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "sliding_window": 2},
        input_shape=(2, 6, 8),
        call_kwargs=_value((2, 6, 8), use_causal_mask=True),
        id="MultiHeadAttention-sliding_window",
    ),
    Case(
        "MultiHeadAttention",
        {**MHA, "dropout": 0.5, "seed": 1},
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8)),
        id="MultiHeadAttention-dropout-inference",
    ),
    # GroupedQueryAttention (keras.layers.GroupQueryAttention).
    Case(
        "GroupedQueryAttention",
        make=_gqa(),
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8)),
    ),
    Case(
        "GroupedQueryAttention",
        make=_gqa(),
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8), return_attention_scores=True),
        id="GroupedQueryAttention-scores",
    ),
    Case(
        "GroupedQueryAttention",
        make=_gqa(num_key_value_heads=1, use_bias=False),
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 7, 8), key=lambda rng: _normal(rng, (2, 7, 6))),
        id="GroupedQueryAttention-multi_query-key",
    ),
    Case(
        "GroupedQueryAttention",
        make=_gqa(),
        input_shape=(2, 5, 8),
        call_kwargs=_value((2, 5, 8), use_causal_mask=True),
        id="GroupedQueryAttention-causal",
    ),
    Case(
        "GroupedQueryAttention",
        make=_gqa(),
        input_shape=(2, 5, 8),
        call_kwargs=_value(
            (2, 7, 8),
            value_mask=lambda rng: _padding_mask(rng, 2, 7),
            attention_mask=lambda rng: _padding_mask(rng, 5, 7)[None],
        ),
        id="GroupedQueryAttention-masks",
    ),
    Case(
        "GroupedQueryAttention",
        make=_gqa(use_gate=True, sliding_window=2),
        input_shape=(2, 6, 8),
        call_kwargs=_value((2, 6, 8), use_causal_mask=True, return_attention_scores=True),
        id="GroupedQueryAttention-gate-sliding_window-scores",
    ),
    # Attention and AdditiveAttention, called on [query, value(, key)].
    Case("Attention", input_shape=[(2, 3, 4), (2, 5, 4)]),
    Case(
        "Attention",
        {"use_scale": True},
        input_shape=[(2, 3, 4), (2, 5, 6), (2, 5, 4)],
        call_kwargs={"return_attention_scores": True},
        id="Attention-scale-key-scores",
    ),
    Case(
        "Attention",
        {"score_mode": "concat", "use_scale": True},
        input_shape=[(2, 3, 4), (2, 5, 4)],
        id="Attention-concat",
    ),
    Case(
        "Attention",
        {"score_mode": "concat"},
        input_shape=[(2, 3, 4), (2, 5, 4)],
        call_kwargs=lambda rng: {
            "mask": [_padding_mask(rng, 2, 3), _padding_mask(rng, 2, 5)],
            "return_attention_scores": True,
        },
        id="Attention-concat-masks-scores",
    ),
    Case(
        "Attention",
        input_shape=[(2, 4, 4), (2, 4, 4)],
        call_kwargs=lambda rng: {
            "mask": [None, _padding_mask(rng, 2, 4)],
            "use_causal_mask": True,
        },
        id="Attention-causal-value_mask",
    ),
    Case(
        "Attention",
        {"dropout": 0.5, "seed": 3},
        input_shape=[(2, 3, 4), (2, 5, 4)],
        id="Attention-dropout-inference",
    ),
    Case("AdditiveAttention", input_shape=[(2, 3, 4), (2, 5, 4)]),
    Case(
        "AdditiveAttention",
        {"use_scale": False},
        input_shape=[(2, 3, 4), (2, 5, 6), (2, 5, 4)],
        call_kwargs=lambda rng: {
            "mask": [_padding_mask(rng, 2, 3), _padding_mask(rng, 2, 5)],
            "return_attention_scores": True,
        },
        id="AdditiveAttention-no_scale-key-masks-scores",
    ),
    Case(
        "AdditiveAttention",
        input_shape=[(2, 4, 4), (2, 4, 4)],
        call_kwargs={"use_causal_mask": True},
        id="AdditiveAttention-causal",
    ),
]
