"""`GroupedQueryAttention`: multi-head attention whose query heads share fewer key/value heads."""

from __future__ import annotations

import math

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.activations.softmax import Softmax
from kcore.layers.attention import _common
from kcore.layers.core.einsum_dense import EinsumDense
from kcore.layers.layer import Layer
from kcore.layers.regularization.dropout import Dropout
from kcore.saving.object_registration import keras_export


# Keras exports (and saves) the class as `keras.layers.GroupQueryAttention`.
@keras_export("keras.layers", name="GroupQueryAttention")
class GroupedQueryAttention(Layer):
    """Grouped-query attention (Ainslie et al., 2023).

    Like `MultiHeadAttention`, on `(batch, sequence, features)` inputs, except that the key and
    value have `num_key_value_heads` heads, each shared by `num_query_heads //
    num_key_value_heads` consecutive query heads (1 key/value head: multi-query attention;
    as many as query heads: multi-head attention). The sublayers are the `EinsumDense`
    projections ``query``, ``key``, ``value`` (``gate`` with `use_gate`) and
    ``attention_output``.

    Args:
        head_dim: the size of each attention head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads; it must divide
            `num_query_heads`.
        dropout: the dropout rate of the attention weights, in training.
        use_bias: whether the projections have biases.
        sliding_window: if set, each query position attends only to the key positions less
            than `sliding_window` away.
        flash_attention: True asks the backend for flash attention (no dropout, no scores);
            None lets it choose.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers of the
            projections (the activity regularizer also applies to the layer's output).
        kernel_constraint, bias_constraint: constraints of the projections.
        use_gate: whether the heads are gated by `sigmoid` of one more projection of the query.
        seed: an int seed for the dropout.

    Call arguments:
        query: `(B, T, dim)`; value: `(B, S, dim)`; key: `(B, S, dim)` (default `value`).
        query_mask, value_mask, key_mask: boolean padding masks `(B, T)`, `(B, S)`, `(B, S)`.
        attention_mask: a boolean mask broadcastable to `(B, T, S)`.
        return_attention_scores: also return the weights, `(B, num_query_heads, T, S)`.
        training: whether dropout is applied.
        use_causal_mask: whether position `t` may only attend to positions `s <= t`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.GroupedQueryAttention(head_dim=4, num_query_heads=4,
    ...                                            num_key_value_heads=2)
    >>> output = layer(kcore.ops.ones((2, 5, 8)), kcore.ops.ones((2, 3, 8)))
    >>> kcore.ops.shape(output)
    (2, 5, 8)
    >>> [tuple(w.shape) for w in layer.weights[2:4]]  # the key projection
    [(8, 2, 4), (2, 4)]
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        _common.check_positive_int(self, "head_dim", head_dim)
        _common.check_positive_int(self, "num_query_heads", num_query_heads)
        _common.check_positive_int(self, "num_key_value_heads", num_key_value_heads)
        if num_query_heads % num_key_value_heads:
            raise ValueError(
                f"{_common.layer_label(self)}: `num_query_heads` must be divisible by "
                f"`num_key_value_heads`. Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        _common.check_sliding_window(self, sliding_window)
        self._flash_attention = flash_attention or None
        _common.check_dropout_and_flash(self, dropout, self._flash_attention)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._projection_settings = _common.projection_settings(
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        # As in Keras, the projections' settings are attributes too, the activity regularizer
        # included: it regularizes the layer's own output besides the projections'.
        for name, value in self._projection_settings.items():
            setattr(self, name, value)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        for argument, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f"{_common.layer_label(self)}: `{argument}` must have rank 3 (batch, "
                    f"sequence, features), got shape {shape}."
                )
        self.feature_dim = query_shape[-1]
        # b: batch, q: query positions, k: key positions, m: features, u: query heads,
        # v: key/value heads, h: head size.
        query_heads = (None, self.num_query_heads, self.head_dim)
        kv_heads = (None, self.num_key_value_heads, self.head_dim)
        self._query_dense = self._projection("query", "bqm,muh->bquh", query_heads, "uh")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection("key", "bkm,mvh->bkvh", kv_heads, "vh")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._projection(
                "gate", "bqm,muh->bquh", query_heads, "uh", activation="sigmoid"
            )
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection("value", "bkm,mvh->bkvh", kv_heads, "vh")
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = self._projection(
            "attention_output", "bquh,uhm->bqm", (None, self.feature_dim), "m"
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def _projection(self, name, equation, output_shape, bias_axes, activation=None):
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            name=name,
            **_common.sublayer_kwargs(self._projection_settings, self.dtype_policy),
        )

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if key is None:
            key = value
        if attention_mask is not None:
            _common.check_attention_mask(
                self, attention_mask, self._scores_shape(query.shape, key.shape), 1
            )
        # A causal mask alone goes to the fused kernel as `is_causal`, never materialized.
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self.sliding_window is None
            and type(self)._compute_attention is GroupedQueryAttention._compute_attention
        )
        if not causal_only:
            attention_mask = _common.merged_attention_mask(
                self,
                query,
                value,
                query_mask=query_mask,
                value_mask=value_mask,
                key_mask=key_mask,
                attention_mask=attention_mask,
                use_causal_mask=use_causal_mask,
                sliding_window=self.sliding_window,
            )
        if self.use_gate:
            gate = self._gate_dense(query)
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        output, scores = self._compute_attention(
            query,
            key,
            value,
            attention_mask=attention_mask,
            training=training,
            use_causal_mask=causal_only,
            return_attention_scores=return_attention_scores,
        )
        if self.use_gate:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        use_causal_mask=False,
        return_attention_scores=False,
    ):
        """Attention over the projected `query` `(B, T, num_query_heads, head_dim)` and `key`,
        `value` `(B, S, num_key_value_heads, head_dim)`; returns `(output, scores)`, the scores
        None when the fused kernel ran."""
        _common.check_no_scores_with_flash(self, self._flash_attention, return_attention_scores)
        if not (self.dropout > 0 or return_attention_scores):
            # The fused kernel shares each key/value head between its group of query heads.
            output = _common.fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_head_dim,
                use_causal_mask,
                self._flash_attention,
            )
            return output, None
        key = ops.repeat(key, self.num_repeats, axis=2)
        value = ops.repeat(value, self.num_repeats, axis=2)
        if use_causal_mask:
            causal = _common.causal_mask(query, value)
            attention_mask = (
                causal
                if attention_mask is None
                else ops.logical_and(ops.cast(attention_mask, "bool"), causal)
            )
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, query, key)
        if attention_mask is not None:
            attention_mask = _common.expand_to_scores(attention_mask, 4, 1)
        scores = self._softmax(scores, mask=attention_mask)
        weights = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum(self._combine_equation, weights, value), scores

    def _scores_shape(self, query_shape, key_shape):
        return (query_shape[0], self.num_query_heads, query_shape[1], key_shape[1])

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"{_common.layer_label(self)}: the last dimension of `query_shape` and "
                f"`value_shape` must be equal, but are {query_shape[-1]} and "
                f"{value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}"
            )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"{_common.layer_label(self)}: all dimensions of `value` and `key`, except the "
                f"last one, must be equal. Received: value_shape={value_shape} and "
                f"key_shape={key_shape}"
            )
        return query_shape

    def compute_output_spec(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key_shape = None if key is None else key.shape
        output = KerasTensor(
            self.compute_output_shape(query.shape, value.shape, key_shape),
            dtype=self.compute_dtype,
        )
        if not return_attention_scores:
            return output
        scores_shape = self._scores_shape(query.shape, value.shape if key is None else key.shape)
        return output, KerasTensor(scores_shape, dtype=self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {
            **config,
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            **_common.projection_config(self._projection_settings),
            "seed": self.seed,
        }
