"""`AdditiveAttention`: Bahdanau-style attention, scores `sum(scale * tanh(query + key))`."""

from __future__ import annotations

from kcore import ops
from kcore.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    As `Attention`, with the scores `(batch, Tq, Tv)` a learned sum over the features:
    `sum(scale * tanh(query + key), axis=-1)`, where `scale` is a trainable vector of the
    features' size (with `use_scale`, else 1).

    Args:
        use_scale: whether the scores use the trainable ``scale`` vector.
        dropout: the dropout rate of the attention weights, in training.
        seed: an int seed for the dropout.

    Call arguments:
        inputs, mask, training, return_attention_scores, use_causal_mask: as for `Attention`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.AdditiveAttention()
    >>> output = layer([kcore.ops.ones((2, 3, 4)), kcore.ops.ones((2, 5, 4))])
    >>> kcore.ops.shape(output), [tuple(w.shape) for w in layer.weights]
    ((2, 3, 4), [(4,)])
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_query_and_key(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform"
            )

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config
