"""Contract group ``nn`` on JAX, part three: CTC loss (forward recursion under `lax.scan`) and CTC
decoding (greedy, and prefix beam search with fixed-size beams)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from kbackend_jax._compute import to_jax
from kbackend_jax._utils import jnp_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type, standardize_dtype


def _logaddexp(*values):
    result = values[0]
    for value in values[1:]:
        result = jnp.logaddexp(result, value)
    return result


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = to_jax(target).astype(jnp.int32)
    output = to_jax(output)
    dtype = jnp_dtype(result_type(standardize_dtype(output.dtype), "float32"))
    log_probs = jax.nn.log_softmax(output.astype(jnp.float32), axis=-1)
    target_length = to_jax(target_length).astype(jnp.int32).reshape(-1)
    output_length = to_jax(output_length).astype(jnp.int32).reshape(-1)
    batch, steps = log_probs.shape[:2]
    labels = target.shape[1]
    # The label sequence with blanks around and between the labels: (batch, 2 * labels + 1).
    extended = jnp.full((batch, 2 * labels + 1), mask_index, jnp.int32)
    extended = extended.at[:, 1::2].set(target)
    previous_two = jnp.pad(extended, ((0, 0), (2, 0)), constant_values=mask_index)[:, :-2]
    can_skip = (extended != mask_index) & (extended != previous_two)
    emissions = jnp.take_along_axis(log_probs, extended[:, None, :], axis=2)  # (B, T, S)
    minus_inf = jnp.float32(-jnp.inf)
    positions = jnp.arange(extended.shape[1])
    alpha = jnp.where(positions < 2, emissions[:, 0], minus_inf)

    def step(alpha, inputs):
        emission, t = inputs
        one_back = jnp.pad(alpha, ((0, 0), (1, 0)), constant_values=-jnp.inf)[:, :-1]
        two_back = jnp.pad(alpha, ((0, 0), (2, 0)), constant_values=-jnp.inf)[:, :-2]
        two_back = jnp.where(can_skip, two_back, minus_inf)
        updated = _logaddexp(alpha, one_back, two_back) + emission
        return jnp.where((t < output_length)[:, None], updated, alpha), None

    alpha, _ = lax.scan(step, alpha, (jnp.swapaxes(emissions, 0, 1)[1:], jnp.arange(1, steps)))
    end = 2 * target_length
    last_blank = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    last_label = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    log_likelihood = jnp.where(target_length > 0, jnp.logaddexp(last_blank, last_label), last_blank)
    loss = -log_likelihood
    # An empty output explains only an empty label sequence.
    loss = jnp.where(output_length > 0, loss, jnp.where(target_length > 0, jnp.inf, 0.0))
    return loss.astype(dtype)


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    inputs = to_jax(inputs)
    lengths = to_jax(sequence_lengths).astype(jnp.int32).reshape(-1)
    if mask_index is None:
        mask_index = inputs.shape[-1] - 1
    score_dtype = inputs.dtype if jnp.issubdtype(inputs.dtype, jnp.floating) else jnp.float32
    if strategy == "greedy":
        paths, scores = _ctc_greedy(inputs, lengths, merge_repeated, mask_index)
    elif strategy == "beam_search":
        paths, scores = _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    else:
        raise ValueError(f"Invalid strategy {strategy!r}; expected 'greedy' or 'beam_search'.")
    return paths, scores.astype(score_dtype)


def _compact(labels, keep):
    """Moves the kept labels of each row to its front, padding with -1."""
    order = jnp.argsort(~keep, axis=-1, stable=True)
    moved = jnp.take_along_axis(labels, order, axis=-1)
    count = jnp.sum(keep, axis=-1, keepdims=True)
    return jnp.where(jnp.arange(labels.shape[-1]) < count, moved, -1).astype(jnp.int32)


def _ctc_greedy(inputs, lengths, merge_repeated, blank):
    steps = inputs.shape[1]
    best = jnp.argmax(inputs, axis=-1).astype(jnp.int32)
    top = jnp.max(inputs, axis=-1).astype(jnp.float32)
    valid = jnp.arange(steps)[None, :] < lengths[:, None]
    keep = valid & (best != blank)
    if merge_repeated:
        previous = jnp.pad(best, ((0, 0), (1, 0)), constant_values=-1)[:, :-1]
        keep = keep & (best != previous)
    scores = -jnp.sum(jnp.where(valid, top, 0.0), axis=1, keepdims=True)
    return _compact(best, keep)[None], scores


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, blank):
    """Prefix beam search: each of `beam_width` prefixes keeps the log-probabilities of ending in
    a blank and in a label; each step scores every prefix kept or grown by one label, merges the
    duplicates (a grown prefix equal to a kept one), and keeps the best `beam_width`."""
    batch, steps, classes = inputs.shape
    log_probs = jax.nn.log_softmax(inputs.astype(jnp.float32), axis=-1)
    width = int(beam_width)
    minus_inf = jnp.float32(-jnp.inf)
    labels = jnp.arange(classes)
    slots = jnp.arange(steps)

    def decode(log_probs, length):
        prefixes = jnp.full((width, steps), -1, jnp.int32)
        sizes = jnp.zeros(width, jnp.int32)
        alive = jnp.arange(width) == 0
        p_blank = jnp.where(alive, 0.0, minus_inf)
        p_label = jnp.full(width, minus_inf)

        def step(carry, inputs):
            prefixes, sizes, alive, p_blank, p_label = carry
            emission, t = inputs
            total = jnp.logaddexp(p_blank, p_label)
            last = jnp.take_along_axis(prefixes, jnp.maximum(sizes - 1, 0)[:, None], axis=1)[:, 0]
            last = jnp.where(sizes > 0, last, -1)
            repeat = last[:, None] == labels[None, :]  # (W, K)
            # Kept prefixes: a blank, or the repeated last label, extends them.
            stay_blank = total + emission[blank]
            stay_label = jnp.where(last >= 0, p_label + emission[jnp.maximum(last, 0)], minus_inf)
            # Grown prefixes (W, K): prefix + label.
            grow = jnp.where(repeat, p_blank[:, None], total[:, None]) + emission[None, :]
            grow_alive = alive[:, None] & (labels[None, :] != blank)
            # Grown prefix (i, last_j) equals kept prefix j when prefix_i is prefix_j minus its
            # last label.
            parent_of = (
                (sizes[None, :] == sizes[:, None] + 1)
                & alive[:, None]
                & alive[None, :]
                & jnp.all(
                    (prefixes[:, None, :] == prefixes[None, :, :])
                    | (slots[None, None, :] >= sizes[:, None, None]),
                    axis=-1,
                )
            )  # [i, j]: prefix_i is the parent of prefix_j
            merge = parent_of[:, :, None] & (last[None, :, None] == labels[None, None, :])
            merged_in = jnp.where(merge, grow[:, None, :], minus_inf)  # (W_i, W_j, K)
            stay_label = jnp.logaddexp(stay_label, jax.nn.logsumexp(merged_in, axis=(0, 2)))
            grow_alive = grow_alive & ~jnp.any(merge, axis=1)
            # Rank all candidates: alive first, then by score, then by position.
            cand_blank = jnp.concatenate(
                [stay_blank[:, None], jnp.full((width, classes), minus_inf)], axis=1
            ).reshape(-1)
            cand_label = jnp.concatenate([stay_label[:, None], grow], axis=1).reshape(-1)
            cand_alive = jnp.concatenate([alive[:, None], grow_alive], axis=1).reshape(-1)
            cand_total = jnp.logaddexp(cand_blank, cand_label)
            position = jnp.arange(cand_total.shape[0])
            order = jnp.lexsort((position, -cand_total, ~cand_alive))[:width]
            source, kind = order // (classes + 1), order % (classes + 1)
            grown = kind > 0
            new_prefixes = prefixes[source]
            new_sizes = sizes[source]
            put = grown[:, None] & (slots[None, :] == new_sizes[:, None])
            new_prefixes = jnp.where(put, (kind - 1)[:, None], new_prefixes)
            new_sizes = new_sizes + grown
            updated = (
                new_prefixes,
                new_sizes,
                cand_alive[order],
                cand_blank[order],
                cand_label[order],
            )
            active = t < length
            carry = jax.tree_util.tree_map(
                lambda new, old: jnp.where(active, new, old), updated, carry
            )
            return carry, None

        carry = (prefixes, sizes, alive, p_blank, p_label)
        (prefixes, sizes, alive, p_blank, p_label), _ = lax.scan(
            step, carry, (log_probs, jnp.arange(steps))
        )
        total = jnp.logaddexp(p_blank, p_label)
        order = jnp.lexsort((jnp.arange(width), -total, ~alive))[:top_paths]
        return prefixes[order], total[order]

    paths, scores = jax.vmap(decode)(log_probs, lengths)
    return jnp.swapaxes(paths, 0, 1), scores


__all__ = exported(globals())
