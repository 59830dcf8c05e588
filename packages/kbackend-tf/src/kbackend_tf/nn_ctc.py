"""Contract group ``nn`` on TensorFlow, part three: CTC loss (the forward recursion under
`tf.foldl`, any blank index) and CTC decoding (greedy, and TF's prefix beam search)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import shape_of, to_tf
from kbackend_tf._utils import tf_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

_MINUS_INF = float("-inf")


def _logaddexp(*values):
    """log(sum(exp(values))), exact for -inf terms."""
    peak = values[0]
    for value in values[1:]:
        peak = tf.maximum(peak, value)
    safe = tf.where(tf.math.is_finite(peak), peak, tf.zeros_like(peak))
    total = tf.add_n([tf.exp(value - safe) for value in values])
    return tf.math.log(total) + safe


def _shift_right(x, count, fill):
    """`x` shifted right by `count` along its last axis, filled with `fill`."""
    pad = tf.fill(tf.concat([tf.shape(x)[:-1], [count]], 0), tf.cast(fill, x.dtype))
    return tf.concat([pad, x[..., :-count]], axis=-1)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = tf.cast(to_tf(target), tf.int32)
    output = to_tf(output)
    dtype = tf_dtype(result_type(output.dtype.name, "float32"))
    log_probs = tf.nn.log_softmax(tf.cast(output, tf.float32), axis=-1)
    target_length = tf.reshape(tf.cast(to_tf(target_length), tf.int32), [-1])
    output_length = tf.reshape(tf.cast(to_tf(output_length), tf.int32), [-1])
    batch, labels = shape_of(target)
    # The label sequence with blanks around and between the labels: (batch, 2 * labels + 1).
    blanks = tf.fill([batch, labels], tf.constant(mask_index, tf.int32))
    interleaved = tf.reshape(tf.stack([blanks, target], axis=-1), [batch, 2 * labels])
    extended = tf.concat([interleaved, blanks[:, :1]], axis=1)
    can_skip = tf.not_equal(extended, mask_index) & tf.not_equal(
        extended, _shift_right(extended, 2, mask_index)
    )
    emissions = tf.gather(log_probs, extended, axis=2, batch_dims=1)  # (B, T, S)
    positions = tf.range(tf.shape(extended)[1])
    minus_inf = tf.constant(_MINUS_INF, tf.float32)
    alpha = tf.where(positions[None, :] < 2, emissions[:, 0], minus_inf)

    def step(alpha, inputs):
        emission, t = inputs
        one_back = _shift_right(alpha, 1, _MINUS_INF)
        two_back = tf.where(can_skip, _shift_right(alpha, 2, _MINUS_INF), minus_inf)
        updated = _logaddexp(alpha, one_back, two_back) + emission
        return tf.where((t < output_length)[:, None], updated, alpha)

    steps = tf.shape(log_probs)[1]
    time_major = tf.transpose(emissions, [1, 0, 2])[1:]
    alpha = tf.foldl(step, (time_major, tf.range(1, steps)), initializer=alpha)
    end = 2 * target_length
    last_blank = tf.gather(alpha, end, axis=1, batch_dims=1)
    last_label = tf.gather(alpha, tf.maximum(end - 1, 0), axis=1, batch_dims=1)
    both = _logaddexp(last_blank, last_label)
    log_likelihood = tf.where(target_length > 0, both, last_blank)
    # An empty output explains only an empty label sequence.
    empty = tf.where(target_length > 0, np.inf, 0.0)
    loss = tf.where(output_length > 0, -log_likelihood, empty)
    return tf.cast(loss, dtype)


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    inputs = to_tf(inputs)
    lengths = tf.reshape(tf.cast(to_tf(sequence_lengths), tf.int32), [-1])
    classes = inputs.shape[-1]
    if mask_index is None:
        mask_index = classes - 1
    score_dtype = inputs.dtype if inputs.dtype.is_floating else tf.float32
    if strategy == "greedy":
        paths, scores = _ctc_greedy(inputs, lengths, merge_repeated, mask_index)
    elif strategy == "beam_search":
        paths, scores = _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    else:
        raise ValueError(f"Invalid strategy {strategy!r}; expected 'greedy' or 'beam_search'.")
    return paths, tf.cast(scores, score_dtype)


def _compact(labels, keep):
    """Moves the kept labels of each row to its front, padding with -1."""
    order = tf.argsort(tf.cast(~keep, tf.int32), axis=-1, stable=True)
    moved = tf.gather(labels, order, axis=-1, batch_dims=1)
    count = tf.reduce_sum(tf.cast(keep, tf.int32), axis=-1, keepdims=True)
    return tf.where(tf.range(tf.shape(labels)[-1])[None, :] < count, moved, -1)


def _ctc_greedy(inputs, lengths, merge_repeated, blank):
    steps = tf.shape(inputs)[1]
    best = tf.argmax(inputs, axis=-1, output_type=tf.int32)
    top = tf.cast(tf.reduce_max(inputs, axis=-1), tf.float32)
    valid = tf.range(steps)[None, :] < lengths[:, None]
    keep = valid & tf.not_equal(best, blank)
    if merge_repeated:
        keep = keep & tf.not_equal(best, _shift_right(best, 1, -1))
    scores = -tf.reduce_sum(tf.where(valid, top, 0.0), axis=1, keepdims=True)
    return _compact(best, keep)[None], scores


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, blank):
    """`tf.nn.ctc_beam_search_decoder`, whose blank is the last class: the classes are reordered
    to put `blank` last, and the decoded labels mapped back."""
    classes = inputs.shape[-1]
    blank = blank % classes
    order = [c for c in range(classes) if c != blank] + [blank]
    logits = tf.gather(tf.cast(inputs, tf.float32), order, axis=-1)
    decoded, log_probabilities = tf.nn.ctc_beam_search_decoder(
        tf.transpose(logits, [1, 0, 2]), lengths, beam_width=int(beam_width), top_paths=top_paths
    )
    batch, steps = shape_of(inputs)[:2]
    paths = []
    for sparse in decoded:
        # Labels at or above the blank's original index were shifted down by one.
        values = sparse.values + tf.cast(sparse.values >= blank, sparse.values.dtype)
        sparse = tf.SparseTensor(sparse.indices, values, [batch, steps])
        paths.append(tf.sparse.to_dense(sparse, default_value=-1))
    return tf.cast(tf.stack(paths), tf.int32), log_probabilities


__all__ = exported(globals())
