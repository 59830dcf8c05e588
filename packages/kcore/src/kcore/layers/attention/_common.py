"""What the attention layers share: argument checks, the masks of their inputs merged into one
attention mask (padding, causal and sliding-window masks), the fused attention call, and the
keyword arguments of their projection sublayers."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers


def layer_label(layer) -> str:
    """``Layer "name" (ClassName)``, how errors name a layer."""
    return f'Layer "{layer.name}" ({type(layer).__name__})'


def check_positive_int(layer, argument: str, value, allow_none: bool = False) -> None:
    """Raises ValueError unless `value` is a positive int (or None, with `allow_none`)."""
    if allow_none and value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return
    expected = "a positive integer" + (" or `None`" if allow_none else "")
    raise ValueError(
        f"{layer_label(layer)}: received an invalid value for argument `{argument}`, expected "
        f"{expected}. Received: {argument}={value!r}"
    )


def static_shape(x) -> tuple:
    """The shape of `x` as a tuple of ints, with None for the sizes not known yet."""
    return tuple(d if isinstance(d, int) else None for d in x.shape)


def check_broadcastable(layer, argument: str, shape, target) -> None:
    """Raises ValueError unless a mask of `shape` broadcasts to `target` (right-aligned, each
    size equal or 1; None matches anything)."""
    shape, target = tuple(shape), tuple(target)
    fits = len(shape) <= len(target) and all(
        a is None or b is None or a == 1 or a == b
        for a, b in zip(reversed(shape), reversed(target))
    )
    if not fits:
        raise ValueError(
            f"{layer_label(layer)}: `{argument}` has shape {shape}, which does not broadcast to "
            f"{target}. Pass a mask of shape {target} (or one that broadcasts to it), True "
            "where attention is allowed."
        )


# The arguments of the attention layers that configure their projection sublayers.
PROJECTION_ARGUMENTS = (
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
)
_GETTERS = {
    "initializer": initializers.get,
    "regularizer": regularizers.get,
    "constraint": constraints.get,
}
_SERIALIZERS = {
    "initializer": initializers.serialize,
    "regularizer": regularizers.serialize,
    "constraint": constraints.serialize,
}


def projection_settings(**arguments) -> dict:
    """The `PROJECTION_ARGUMENTS`, as initializer, regularizer and constraint objects."""
    return {name: _GETTERS[name.split("_")[1]](arguments[name]) for name in PROJECTION_ARGUMENTS}


def projection_config(settings: dict) -> dict:
    """The config entries of `projection_settings`."""
    return {name: _SERIALIZERS[name.split("_")[1]](value) for name, value in settings.items()}


def sublayer_kwargs(settings: dict, dtype_policy) -> dict:
    """The keyword arguments of a projection sublayer: `settings` with fresh copies of the
    initializers (so that no two kernels start equal), and the layer's dtype policy."""
    kwargs = dict(settings, dtype=dtype_policy)
    for name in ("kernel_initializer", "bias_initializer"):
        kwargs[name] = type(settings[name]).from_config(settings[name].get_config())
    return kwargs


def check_dropout_and_flash(layer, dropout, flash_attention) -> None:
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
        raise ValueError(
            f"{layer_label(layer)}: `dropout` must be a float between 0 and 1. Received: "
            f"dropout={dropout!r}"
        )
    if flash_attention and dropout > 0:
        raise ValueError(
            f"{layer_label(layer)}: dropout is not supported when flash attention is enabled. "
            "Set dropout=0.0 to use flash attention, or flash_attention=None."
        )


def check_sliding_window(layer, sliding_window) -> None:
    check_positive_int(layer, "sliding_window", sliding_window, allow_none=True)


def causal_mask(query, value):
    """`(1, T, S)` booleans, True where query position `i` may attend to key position `j <= i`."""
    rows, columns = _positions(query, value)
    return ops.greater_equal(rows, columns)


def sliding_window_mask(query, value, window: int):
    """`(1, T, S)` booleans, True where `|i - j| < window`."""
    rows, columns = _positions(query, value)
    return ops.less(ops.abs(ops.subtract(rows, columns)), window)


def _positions(query, value):
    q_len, v_len = ops.shape(query)[1], ops.shape(value)[1]
    rows = ops.reshape(ops.arange(q_len, dtype="int32"), (1, -1, 1))
    columns = ops.reshape(ops.arange(v_len, dtype="int32"), (1, 1, -1))
    return rows, columns


def merged_attention_mask(
    layer,
    query,
    value,
    query_mask=None,
    value_mask=None,
    key_mask=None,
    attention_mask=None,
    use_causal_mask=False,
    sliding_window=None,
):
    """One boolean attention mask (broadcastable to `(B, T, S)`), True where attention is
    allowed: the `attention_mask`, the query's padding mask as `(B, T, 1)`, the value's and the
    key's as `(B, 1, S)`, and the causal and sliding-window masks as `(1, T, S)`; None when there
    is no mask at all."""
    merged = None
    if query_mask is not None:
        check_broadcastable(layer, "query_mask", static_shape(query_mask), static_shape(query)[:-1])
        merged = ops.expand_dims(ops.cast(query_mask, "bool"), -1)
    for argument, mask in (("value_mask", value_mask), ("key_mask", key_mask)):
        if mask is not None:
            check_broadcastable(layer, argument, static_shape(mask), static_shape(value)[:-1])
            mask = ops.expand_dims(ops.cast(mask, "bool"), -2)
            merged = mask if merged is None else ops.logical_and(merged, mask)
    if use_causal_mask:
        mask = causal_mask(query, value)
        merged = mask if merged is None else ops.logical_and(merged, mask)
    if sliding_window is not None:
        mask = sliding_window_mask(query, value, sliding_window)
        merged = mask if merged is None else ops.logical_and(merged, mask)
    if attention_mask is not None:
        attention_mask = ops.cast(attention_mask, "bool")
        if merged is not None:
            attention_mask = ops.logical_and(attention_mask, merged)
        return attention_mask
    return merged


def check_attention_mask(layer, attention_mask, scores_shape, num_attention_axes: int) -> None:
    """Checks that `attention_mask` broadcasts to the attention scores once the heads axis is
    added (it may leave out the batch and heads axes)."""
    shape = static_shape(attention_mask)
    # The mask has no heads axis: it sits just before the query and key attention axes.
    heads_axis = len(scores_shape) - 2 * num_attention_axes - 1
    without_heads = scores_shape[:heads_axis] + scores_shape[heads_axis + 1 :]
    if len(shape) == len(scores_shape):
        check_broadcastable(layer, "attention_mask", shape, scores_shape)
    else:
        check_broadcastable(layer, "attention_mask", shape, without_heads)


def expand_to_scores(mask, scores_rank: int, num_attention_axes: int):
    """`mask` with a heads axis (and leading axes) inserted until it has the scores' rank."""
    axis = -2 * num_attention_axes - 1
    for _ in range(scores_rank - len(mask.shape)):
        mask = ops.expand_dims(mask, axis)
    return mask


def fused_attention(query, key, value, mask, scale, is_causal, flash_attention):
    """`ops.dot_product_attention` on `(B, T, N, H)` projections, with a `(B, T, S)`-like mask
    given a heads axis (the backend's fused kernel where it has one)."""
    if mask is not None:
        mask = expand_to_scores(ops.cast(mask, "bool"), 4, 1)
    return ops.dot_product_attention(
        query,
        key,
        value,
        mask=mask,
        scale=scale,
        is_causal=is_causal,
        flash_attention=flash_attention,
    )


def check_no_scores_with_flash(layer, flash_attention, return_attention_scores) -> None:
    if flash_attention and return_attention_scores:
        raise ValueError(
            f"{layer_label(layer)}: returning attention scores is not supported when flash "
            "attention is enabled. Pass flash_attention=None to get the attention scores."
        )
