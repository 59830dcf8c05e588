"""`MultiHeadAttention`: scaled dot-product attention with several heads, over learned
projections of the query, key and value."""

from __future__ import annotations

import math
import string

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.layers.activations.softmax import Softmax
from kcore.layers.attention import _common
from kcore.layers.core.einsum_dense import EinsumDense
from kcore.layers.layer import Layer
from kcore.layers.regularization.dropout import Dropout


class MultiHeadAttention(Layer):
    """Multi-head attention, as in "Attention Is All You Need" (Vaswani et al., 2017).

    The query, key and value are each projected (`EinsumDense` sublayers named ``query``,
    ``key`` and ``value``) to `num_heads` heads; each query position attends to the key
    positions with weights `softmax(query . key / sqrt(key_dim))`, which average the values;
    the heads are then projected back (sublayer ``attention_output``) to the query's last axis,
    or to `output_shape`. With `query`, `key` and `value` the same tensor this is
    self-attention.

    Without dropout and attention scores, on `(batch, sequence, features)` inputs, the
    attention runs through `kcore.ops.dot_product_attention`, the backend's fused kernel.

    Args:
        num_heads: the number of attention heads.
        key_dim: the size of each head of the query and key projections.
        value_dim: the size of each head of the value projection (default `key_dim`).
        dropout: the dropout rate of the attention weights, in training.
        use_bias: whether the projections have biases.
        output_shape: the output's shape without the batch and attention axes, an int or a
            tuple (default: the query's last axis).
        attention_axes: the axes (of the inputs) attention runs over (default: all axes but
            the batch and feature axes).
        sliding_window: if set, each query position attends only to the key positions less
            than `sliding_window` away (combined with `use_causal_mask`, the causal sliding
            window).
        flash_attention: True asks the backend for flash attention (no dropout, no scores);
            None lets it choose.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers of the
            projections.
        kernel_constraint, bias_constraint: constraints of the projections.
        use_gate: whether the heads are gated by `sigmoid` of one more projection of the query
            (sublayer ``gate``), before the output projection.
        seed: an int seed for the dropout.

    Call arguments:
        query: `(B, T, dim)`, the query.
        value: `(B, S, dim)`, the value.
        key: `(B, S, dim)`, the key (default: `value`).
        query_mask, value_mask, key_mask: boolean padding masks of shapes `(B, T)`, `(B, S)`,
            `(B, S)`, False at padded positions. In a Functional model the masks of the inputs
            (`Embedding(mask_zero=True)`, `Masking`) are passed here automatically.
        attention_mask: a boolean mask broadcastable to `(B, T, S)` (or `(B, num_heads, T,
            S)`), True where query position `t` may attend to key position `s`.
        return_attention_scores: also return the attention weights, `(B, num_heads, T, S)`.
        training: whether dropout is applied.
        use_causal_mask: whether position `t` may only attend to positions `s <= t`.

    Returns:
        The output, `(B, T, dim)` (or `output_shape`), and the attention scores when asked.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    >>> query, value = kcore.ops.ones((3, 5, 8)), kcore.ops.ones((3, 7, 6))
    >>> output, scores = layer(query, value, return_attention_scores=True)
    >>> kcore.ops.shape(output), kcore.ops.shape(scores)
    ((3, 5, 8), (3, 2, 5, 7))
    >>> [w.path for w in layer.weights][:2]
    ['mha/query/kernel', 'mha/query/bias']
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        _common.check_positive_int(self, "num_heads", num_heads)
        _common.check_positive_int(self, "key_dim", key_dim)
        _common.check_positive_int(self, "value_dim", value_dim, allow_none=True)
        _common.check_sliding_window(self, sliding_window)
        self._flash_attention = flash_attention or None
        _common.check_dropout_and_flash(self, dropout, self._flash_attention)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = _standardize_output_shape(self, output_shape)
        self._attention_axes = _standardize_attention_axes(self, attention_axes)
        self._sliding_window = sliding_window
        self._projection_settings = _common.projection_settings(
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    @property
    def num_heads(self):
        return self._num_heads

    @property
    def key_dim(self):
        return self._key_dim

    @property
    def value_dim(self):
        return self._value_dim

    @property
    def dropout(self):
        return self._dropout

    @property
    def use_bias(self):
        return self._use_bias

    @property
    def attention_axes(self):
        return self._attention_axes

    # The projections are the attributes `query_dense`, `key_dense`, `value_dense` and
    # `output_dense`: the names under which Keras writes their weights. Keras's private names
    # read them too, for subclasses written against Keras.

    @property
    def _query_dense(self):
        return self.query_dense

    @property
    def _key_dense(self):
        return self.key_dense

    @property
    def _value_dense(self):
        return self.value_dense

    @property
    def _output_dense(self):
        return self.output_dense

    # --- building ----------------------------------------------------------------------------

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        _check_value_and_key(self, value_shape, key_shape)
        heads = [self._num_heads, self._key_dim]
        self.query_dense = self._projection("query", len(query_shape), heads)
        self.query_dense.build(query_shape)
        self.key_dense = self._projection("key", len(key_shape), heads)
        self.key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(
                "gate", len(query_shape), [self._num_heads, self._value_dim], "sigmoid"
            )
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection(
            "value", len(value_shape), [self._num_heads, self._value_dim]
        )
        self.value_dense.build(value_shape)
        self._build_attention(len(value_shape) + 1)
        self.output_dense = self._make_output_dense(
            query_shape,
            _common.sublayer_kwargs(self._projection_settings, self.dtype_policy),
            "attention_output",
        )
        heads_shape = list(self.query_dense.compute_output_shape(query_shape))
        heads_shape[-1] = self._value_dim
        self.output_dense.build(tuple(heads_shape))

    def _projection(self, name, input_rank, heads, activation=None):
        """An `EinsumDense` from the last axis of a rank-`input_rank` input to `heads` axes."""
        equation, bias_axes, output_rank = _projection_equation(input_rank - 1, 1, 2)
        return EinsumDense(
            equation,
            output_shape=[None] * (output_rank - 1 - len(heads)) + list(heads),
            bias_axes=bias_axes if self._use_bias else None,
            activation=activation,
            name=name,
            **_common.sublayer_kwargs(self._projection_settings, self.dtype_policy),
        )

    def _make_output_dense(self, query_shape, common_kwargs, name=None):
        """The projection from the heads back to the query's last axis (or `output_shape`)."""
        output_shape = self._output_shape or [query_shape[-1]]
        equation, bias_axes, output_rank = _projection_equation(
            len(query_shape) - 1, 2, len(output_shape)
        )
        return EinsumDense(
            equation,
            output_shape=[None] * (output_rank - 1 - len(output_shape)) + list(output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **common_kwargs,
        )

    def _build_attention(self, rank):
        """Prepares the attention over projected tensors of rank `rank`: the attention axes,
        the einsum equations, the softmax and the dropout."""
        axes = self._axes_for_rank(rank)
        if not axes or any(not 1 <= axis <= rank - 3 for axis in axes):
            raise ValueError(
                f"{_common.layer_label(self)}: `attention_axes` must name axes of the inputs "
                f"other than the batch and feature axes, i.e. in [1, {rank - 3}] (or negative) "
                f"for inputs of rank {rank - 1}. Received: attention_axes="
                f"{self._attention_axes}"
            )
        self._attention_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equations(
            rank, axes
        )
        self._softmax = Softmax(
            axis=tuple(range(scores_rank - len(axes), scores_rank)), dtype=self.dtype_policy
        )
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    def _axes_for_rank(self, rank):
        """The attention axes, non-negative, for projected tensors of rank `rank`."""
        if self._attention_axes is None:
            return tuple(range(1, rank - 2))
        return tuple(axis if axis >= 0 else rank - 1 + axis for axis in self._attention_axes)

    # --- calling -----------------------------------------------------------------------------

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
                self,
                attention_mask,
                self._scores_shape(_common.static_shape(query), _common.static_shape(key)),
                len(self._attention_axes),
            )
        # A causal mask alone goes to the fused kernel as `is_causal`, never materialized.
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self._sliding_window is None
            and type(self)._compute_attention is MultiHeadAttention._compute_attention
        )
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query,
                value,
                query_mask=query_mask,
                value_mask=value_mask,
                key_mask=key_mask,
                attention_mask=attention_mask,
                use_causal_mask=use_causal_mask,
            )
        if self._use_gate:
            gate = self._gate_dense(query)
        query = self.query_dense(query)
        key = self.key_dense(key)
        value = self.value_dense(value)
        extra = {"use_causal_mask": True} if causal_only else {}
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, **extra
        )
        if self._use_gate:
            output = ops.multiply(output, gate)
        output = self.output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention_mask(
        self,
        query,
        value,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        use_causal_mask=False,
    ):
        """The boolean mask, broadcastable to `(B, T, S)`, merging the padding masks of the
        inputs, `attention_mask`, and the causal and sliding-window masks; None if none."""
        return _common.merged_attention_mask(
            self,
            query,
            value,
            query_mask=query_mask,
            value_mask=value_mask,
            key_mask=key_mask,
            attention_mask=attention_mask,
            use_causal_mask=use_causal_mask,
            sliding_window=self._sliding_window,
        )

    def _compute_causal_mask(self, query, value=None):
        """`(1, T, S)` booleans, True where position `t` may attend to position `s <= t`."""
        return _common.causal_mask(query, query if value is None else value)

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        """Attention over the projected `query` `(B, T, N, key_dim)`, `key` `(B, S, N,
        key_dim)` and `value` `(B, S, N, value_dim)`; returns `(output, scores)`, the scores
        None when the fused kernel ran. Override it for another attention function."""
        _common.check_no_scores_with_flash(self, self._flash_attention, return_attention_scores)
        fused = (
            len(query.shape) == 4
            and self._attention_axes == (1,)
            and not (self._dropout > 0 or return_attention_scores)
        )
        if fused:
            output = _common.fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_key_dim,
                use_causal_mask,
                self._flash_attention,
            )
            return output, None
        if use_causal_mask:
            causal = _common.causal_mask(query, value)
            attention_mask = (
                causal
                if attention_mask is None
                else ops.logical_and(ops.cast(attention_mask, "bool"), causal)
            )
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        weights = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, weights, value), scores

    def _masked_softmax(self, attention_scores, attention_mask=None):
        """The softmax of the scores over the key axes, 0 where `attention_mask` is False."""
        if attention_mask is not None:
            attention_mask = _common.expand_to_scores(
                attention_mask, len(attention_scores.shape), len(self._attention_axes)
            )
        return self._softmax(attention_scores, mask=attention_mask)

    # --- shapes and config -------------------------------------------------------------------

    def _scores_shape(self, query_shape, key_shape):
        """The shape of the attention scores for inputs of these shapes: the batch and other
        non-attention axes, the heads, the query's attention axes, the key's attention axes."""
        rank = len(query_shape) + 1
        axes = self._axes_for_rank(rank)
        query_heads = (*query_shape[:-1], self._num_heads)
        key_heads = (*key_shape[:-1], self._num_heads)
        batch_axes = [i for i in range(rank - 1) if i not in axes]
        return (
            *(query_heads[i] for i in batch_axes),
            *(query_heads[i] for i in axes),
            *(key_heads[i] for i in axes),
        )

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        _check_value_and_key(self, value_shape, key_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
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
        shape = self.compute_output_shape(query.shape, value.shape, key_shape)
        output = KerasTensor(shape, dtype=self.compute_dtype)
        if not return_attention_scores:
            return output
        scores_shape = self._scores_shape(
            tuple(query.shape), tuple(value.shape if key is None else key.shape)
        )
        return output, KerasTensor(scores_shape, dtype=self.compute_dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            **_common.projection_config(self._projection_settings),
            "seed": self.seed,
        }


def _standardize_output_shape(layer, output_shape):
    if not output_shape:
        return output_shape
    if isinstance(output_shape, int):
        return (output_shape,)
    try:
        return tuple(output_shape)
    except TypeError:
        raise ValueError(
            f"{_common.layer_label(layer)}: invalid `output_shape` {output_shape!r}; give an "
            "int, or a tuple or list of ints."
        ) from None


def _standardize_attention_axes(layer, attention_axes):
    if isinstance(attention_axes, int):
        return (attention_axes,)
    if attention_axes and not isinstance(attention_axes, (list, tuple)):
        raise ValueError(
            f"{_common.layer_label(layer)}: `attention_axes` must be an int, a list or a tuple. "
            f"Received: attention_axes={attention_axes!r}"
        )
    return attention_axes


def _check_value_and_key(layer, value_shape, key_shape):
    if value_shape[1:-1] != key_shape[1:-1]:
        raise ValueError(
            f"{_common.layer_label(layer)}: all dimensions of `value` and `key`, except the last "
            f"one, must be equal. Received: value_shape={value_shape} and key_shape={key_shape}"
        )


def _projection_equation(free_dims: int, bound_dims: int, output_dims: int):
    """`(equation, bias_axes, output_rank)` of an einsum that keeps the first `free_dims` axes,
    contracts the next `bound_dims` with the kernel and adds `output_dims` kernel axes."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims : free_dims + bound_dims]
    new = letters[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def _attention_equations(rank: int, attention_axes: tuple):
    """The einsum equations of attention over projected tensors `(batch, <other axes>,
    <attention axes>, heads, channels)` of rank `rank`:

    - scores = einsum(dot, key, query): `(<batch axes>, heads, <query attention axes>, <key
      attention axes>)`, the batch axes being every axis but the attention and channel ones;
    - output = einsum(combine, scores, value): shaped as the query.

    Returns `(dot, combine, scores_rank)`.
    """
    letters = iter(string.ascii_lowercase)
    query = [next(letters) for _ in range(rank)]
    key = [next(letters) if i in attention_axes else query[i] for i in range(rank)]
    batch_axes = [i for i in range(rank - 1) if i not in attention_axes]
    scores = (
        [query[i] for i in batch_axes]
        + [query[i] for i in attention_axes]
        + [key[i] for i in attention_axes]
    )
    query, key, scores = "".join(query), "".join(key), "".join(scores)
    return f"{key},{query}->{scores}", f"{scores},{key}->{query}", len(scores)
