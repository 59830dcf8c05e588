"""`Attention`: dot-product (Luong-style) attention of a query over a value, with no projections."""

from __future__ import annotations

from kcore import ops, random
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.attention import _common
from kcore.layers.layer import Layer


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` (`key` defaults to `value`):

    1. scores `(batch, Tq, Tv)`: `query . key` (``"dot"``), or
       `sum(tanh(query + key), axis=-1)` (``"concat"``);
    2. weights: the softmax of the scores over the value positions;
    3. output `(batch, Tq, dim)`: the weighted sum of the values.

    Args:
        use_scale: whether a trainable scalar (``scale``, initially 1) multiplies the scores.
        score_mode: ``"dot"`` or ``"concat"`` (the latter has one more trainable scalar,
            ``concat_score_weight``).
        dropout: the dropout rate of the attention weights, in training.
        seed: an int seed for the dropout.

    Call arguments:
        inputs: the list `[query, value]` or `[query, value, key]`: `query` `(batch, Tq, dim)`,
            `value` `(batch, Tv, dim_v)`, `key` `(batch, Tv, dim)`.
        mask: the list `[query_mask, value_mask]` of boolean masks `(batch, Tq)` and
            `(batch, Tv)` (either may be None): the output is 0 at masked query positions, and
            masked value positions get no weight.
        training: whether dropout is applied.
        return_attention_scores: also return the weights `(batch, Tq, Tv)`.
        use_causal_mask: whether query position `i` may only attend to value positions `j <= i`.

    Example:

    >>> import kcore
    >>> query = kcore.ops.array([[[1.0, 0.0]]])
    >>> value = kcore.ops.array([[[1.0, 0.0], [0.0, 1.0]]])
    >>> output, weights = kcore.layers.Attention()([query, value], return_attention_scores=True)
    >>> [round(float(w), 3) for w in kcore.ops.convert_to_numpy(weights).ravel()]
    [0.731, 0.269]
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{_common.layer_label(self)}: invalid value for argument `score_mode`. "
                f"Expected one of {{'dot', 'concat'}}. Received: score_mode={score_mode!r}"
            )
        _common.check_dropout_and_flash(self, dropout, None)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_query_and_key(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )

    def _calculate_scores(self, query, key):
        """The scores `(batch, Tq, Tv)` of `query` `(batch, Tq, dim)` against `key`."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale)
            return scores
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(pairs), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """`(softmax(scores) @ value, softmax(scores))`, the masked-out scores (`scores_mask`
        False, `(batch, 1 or Tq, Tv)`) lowered so that they get (almost) no weight."""
        if scores_mask is not None:
            # 65504 is float16's largest value.
            lowest = 65504.0 if standardize_dtype(scores.dtype) == "float16" else 1.0e9
            padding = ops.logical_not(scores_mask)
            if len(padding.shape) == 2:
                padding = ops.expand_dims(padding, -2)
            scores = ops.where(padding, ops.subtract(scores, lowest), scores)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, v_mask, use_causal_mask):
        if not use_causal_mask:
            return v_mask
        q_len, v_len = ops.shape(scores)[-2], ops.shape(scores)[-1]
        rows = ops.reshape(ops.arange(q_len, dtype="int32"), (1, -1, 1))
        columns = ops.reshape(ops.arange(v_len, dtype="int32"), (1, 1, -1))
        causal = ops.greater_equal(rows, columns)
        if v_mask is None:
            return causal
        return ops.logical_and(ops.expand_dims(v_mask, -2), causal)

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        if query_mask is not None:
            _common.check_broadcastable(
                self, "query mask", _common.static_shape(query_mask), query.shape[:-1]
            )
            query_mask = ops.cast(query_mask, "bool")
        if value_mask is not None:
            _common.check_broadcastable(
                self, "value mask", _common.static_shape(value_mask), value.shape[:-1]
            )
            value_mask = ops.cast(value_mask, "bool")
        scores = self._calculate_scores(query=query, key=key)
        scores_mask = self._calculate_score_mask(scores, value_mask, use_causal_mask)
        output, weights = self._apply_scores(
            scores=scores, value=value, scores_mask=scores_mask, training=training
        )
        if query_mask is not None:
            output = ops.where(ops.expand_dims(query_mask, -1), output, 0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        if isinstance(mask[0], KerasTensor):
            return mask[0]
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        query_shape, value_shape = input_shape[0], input_shape[1]
        return (*query_shape[:-1], value_shape[-1])

    def compute_output_spec(
        self,
        inputs,
        mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(
            self.compute_output_shape([query.shape, value.shape]), dtype=self.compute_dtype
        )
        if not return_attention_scores:
            return output
        scores = KerasTensor((*query.shape[:-1], key.shape[-2]), dtype=self.compute_dtype)
        return output, scores

    def _validate_inputs(self, inputs, mask=None):
        """Checks that `inputs` is `[query, value(, key)]` and `mask` a list of 2 or 3."""
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(
                f"{_common.layer_label(self)}: {name} layer must be called on a list of inputs, "
                f"namely [query, value] or [query, value, key]. Received: inputs={inputs}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{_common.layer_label(self)}: {name} layer accepts inputs list of length 2 or "
                "3, namely [query, value] or [query, value, key]. Received length: "
                f"{len(inputs)}."
            )
        if mask is None:
            return
        if not isinstance(mask, list):
            raise ValueError(
                f"{_common.layer_label(self)}: {name} layer mask must be a list, namely "
                f"[query_mask, value_mask]. Received: mask={mask}."
            )
        if not 2 <= len(mask) <= 3:
            raise ValueError(
                f"{_common.layer_label(self)}: {name} layer accepts mask list of length 2 or "
                f"3. Received: mask of length {len(mask)}."
            )

    def _check_query_and_key(self, input_shape):
        """The scores combine the query and key feature by feature: their last axes must match."""
        query_shape = tuple(input_shape[0])
        key_shape = tuple(input_shape[2] if len(input_shape) > 2 else input_shape[1])
        if None not in (query_shape[-1], key_shape[-1]) and query_shape[-1] != key_shape[-1]:
            which = "key" if len(input_shape) > 2 else "value (used as the key)"
            raise ValueError(
                f"{_common.layer_label(self)}: the last axis of the query ({query_shape[-1]}) "
                f"and of the {which} ({key_shape[-1]}) must be equal. Received shapes "
                f"query={query_shape}, key={key_shape}. Project them to one size first, e.g. "
                "with a Dense layer."
            )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
