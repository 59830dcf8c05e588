"""Contract group ``nn`` on torch, part three: CTC loss (`torch.nn.functional.ctc_loss`) and CTC
decoding (greedy, and prefix beam search with fixed-size beams, batched on the device)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kbackend_torch._compute import dtype_name, to_torch, torch_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = to_torch(output)
    dtype = torch_dtype(result_type(dtype_name(output), "float32"))
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    log_probs = F.log_softmax(output.to(compute), dim=-1)
    device = output.device
    target = to_torch(target).to(device=device, dtype=torch.int64)
    target_length = to_torch(target_length).to(device=device, dtype=torch.int64).reshape(-1)
    output_length = to_torch(output_length).to(device=device, dtype=torch.int64).reshape(-1)
    blank = int(mask_index)
    in_target = torch.arange(target.shape[1], device=device) < target_length[:, None]
    if bool(torch.any((target == blank) & in_target)):
        # torch's kernel assumes no label is the blank; the recursion handles it as the contract.
        loss = _ctc_recursion(target, log_probs, target_length, output_length, blank)
    else:
        loss = F.ctc_loss(
            log_probs.transpose(0, 1),
            target,
            output_length,
            target_length,
            blank=blank,
            reduction="none",
            zero_infinity=False,
        )
    return loss.to(dtype)


def _log_sum_exp(stacked):
    """`logsumexp` over the first axis, with zero (not NaN) gradients where all terms are -inf."""
    dead = torch.all(stacked == -torch.inf, dim=0)
    total = torch.logsumexp(torch.where(dead, 0.0, stacked), dim=0)
    return torch.where(dead, -torch.inf, total)


def _ctc_recursion(target, log_probs, target_length, output_length, blank):
    """The CTC forward recursion over the labels with blanks around and between them."""
    batch, steps = log_probs.shape[:2]
    labels = target.shape[1]
    extended = torch.full((batch, 2 * labels + 1), blank, dtype=torch.int64, device=target.device)
    extended[:, 1::2] = target
    previous_two = F.pad(extended, (2, 0), value=blank)[:, :-2]
    can_skip = (extended != blank) & (extended != previous_two)
    emissions = torch.gather(log_probs, 2, extended[:, None, :].expand(-1, steps, -1))
    positions = torch.arange(extended.shape[1], device=target.device)
    alpha = torch.where(positions < 2, emissions[:, 0], -torch.inf)
    for t in range(1, steps):
        one_back = F.pad(alpha, (1, 0), value=-torch.inf)[:, :-1]
        two_back = F.pad(alpha, (2, 0), value=-torch.inf)[:, :-2]
        two_back = torch.where(can_skip, two_back, -torch.inf)
        combined = _log_sum_exp(torch.stack([alpha, one_back, two_back]))
        alpha = torch.where((t < output_length)[:, None], combined + emissions[:, t], alpha)
    end = 2 * target_length
    last_blank = torch.gather(alpha, 1, end[:, None])[:, 0]
    last_label = torch.gather(alpha, 1, torch.clamp(end - 1, min=0)[:, None])[:, 0]
    both = _log_sum_exp(torch.stack([last_blank, last_label]))
    loss = -torch.where(target_length > 0, both, last_blank)
    # An empty output explains only an empty label sequence.
    empty = torch.where(target_length > 0, torch.inf, 0.0).to(loss.dtype)
    return torch.where(output_length > 0, loss, empty)


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    inputs = to_torch(inputs)
    lengths = to_torch(sequence_lengths).to(device=inputs.device, dtype=torch.int64).reshape(-1)
    if mask_index is None:
        mask_index = inputs.shape[-1] - 1
    score_dtype = inputs.dtype if inputs.dtype.is_floating_point else torch.float32
    if strategy == "greedy":
        paths, scores = _ctc_greedy(inputs, lengths, merge_repeated, mask_index)
    elif strategy == "beam_search":
        paths, scores = _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    else:
        raise ValueError(f"Invalid strategy {strategy!r}; expected 'greedy' or 'beam_search'.")
    return paths, scores.to(score_dtype)


def _compact(labels, keep):
    """Moves the kept labels of each row to its front, padding with -1."""
    order = torch.argsort((~keep).to(torch.uint8), dim=-1, stable=True)
    moved = torch.gather(labels, -1, order)
    count = torch.sum(keep, dim=-1, keepdim=True)
    slots = torch.arange(labels.shape[-1], device=labels.device)
    return torch.where(slots < count, moved, -1).int()


def _ctc_greedy(inputs, lengths, merge_repeated, blank):
    steps = inputs.shape[1]
    top, best = torch.max(inputs, dim=-1)
    valid = torch.arange(steps, device=inputs.device)[None, :] < lengths[:, None]
    keep = valid & (best != blank)
    if merge_repeated:
        previous = F.pad(best, (1, 0), value=-1)[:, :-1]
        keep = keep & (best != previous)
    scores = -torch.sum(torch.where(valid, top.float(), 0.0), dim=1, keepdim=True)
    return _compact(best, keep)[None], scores


def _rank(total, alive, count):
    """The indices of the `count` best candidates per row: alive first, then by descending
    score, then by position (two stable sorts)."""
    order = torch.argsort(-total, dim=-1, stable=True)
    dead = (~torch.gather(alive, -1, order)).to(torch.uint8)
    return torch.gather(order, -1, torch.argsort(dead, dim=-1, stable=True))[:, :count]


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, blank):
    """Prefix beam search: each of `beam_width` prefixes keeps the log-probabilities of ending in
    a blank and in a label; each step scores every prefix kept or grown by one label, merges the
    duplicates (a grown prefix equal to a kept one), and keeps the best `beam_width`."""
    batch, steps, classes = inputs.shape
    device = inputs.device
    log_probs = F.log_softmax(inputs.float(), dim=-1)
    width = int(beam_width)
    labels = torch.arange(classes, device=device)
    slots = torch.arange(steps, device=device)
    beams = torch.arange(width, device=device)
    state = {
        "prefixes": torch.full((batch, width, steps), -1, dtype=torch.int64, device=device),
        "sizes": torch.zeros((batch, width), dtype=torch.int64, device=device),
        "alive": (beams == 0).expand(batch, width),
        "p_blank": torch.where(beams == 0, 0.0, -torch.inf).expand(batch, width),
        "p_label": torch.full((batch, width), -torch.inf, device=device),
    }
    for t in range(steps):
        updated = _beam_step(state, log_probs[:, t], labels, slots, blank)
        active = (t < lengths).reshape(batch, 1)
        state = {
            name: torch.where(active.reshape(batch, *[1] * (old.ndim - 1)), updated[name], old)
            for name, old in state.items()
        }
    total = torch.logaddexp(state["p_blank"], state["p_label"])
    order = _rank(total, state["alive"], int(top_paths))
    index = order[..., None].expand(-1, -1, steps)
    paths = torch.gather(state["prefixes"], 1, index).transpose(0, 1).int()
    return paths, torch.gather(total, 1, order)


def _beam_step(state, emission, labels, slots, blank):
    """One time step of the beam search over a batch; `emission` is (batch, classes)."""
    prefixes, sizes, alive = state["prefixes"], state["sizes"], state["alive"]
    p_blank, p_label = state["p_blank"], state["p_label"]
    batch, width, steps = prefixes.shape
    classes = emission.shape[-1]
    total = torch.logaddexp(p_blank, p_label)
    last = torch.gather(prefixes, 2, torch.clamp(sizes - 1, min=0)[..., None])[..., 0]
    last = torch.where(sizes > 0, last, -1)
    repeat = last[..., None] == labels  # (B, W, K)
    # Kept prefixes: a blank, or the repeated last label, extends them.
    stay_blank = total + emission[:, blank : blank + 1]
    last_emission = torch.gather(emission, 1, torch.clamp(last, min=0))
    stay_label = torch.where(last >= 0, p_label + last_emission, -torch.inf)
    # Grown prefixes (B, W, K): prefix + label.
    grow = torch.where(repeat, p_blank[..., None], total[..., None]) + emission[:, None, :]
    grow_alive = alive[..., None] & (labels != blank)
    # [b, i, j]: prefix i is prefix j without its last label.
    same_start = (prefixes[:, :, None, :] == prefixes[:, None, :, :]) | (
        slots >= sizes[:, :, None, None]
    )
    parent_of = (
        (sizes[:, None, :] == sizes[:, :, None] + 1)
        & alive[:, :, None]
        & alive[:, None, :]
        & torch.all(same_start, dim=-1)
    )
    merge = parent_of[..., None] & (last[:, None, :, None] == labels)  # (B, W_i, W_j, K)
    merged_in = torch.where(merge, grow[:, :, None, :], -torch.inf)
    stay_label = torch.logaddexp(stay_label, torch.logsumexp(merged_in, dim=(1, 3)))
    grow_alive = grow_alive & ~torch.any(merge, dim=2)
    # Rank all candidates: kept prefix then each grown one, per beam.
    minus_inf = torch.full((batch, width, classes), -torch.inf, device=emission.device)
    cand_blank = torch.cat([stay_blank[..., None], minus_inf], dim=-1).reshape(batch, -1)
    cand_label = torch.cat([stay_label[..., None], grow], dim=-1).reshape(batch, -1)
    cand_alive = torch.cat([alive[..., None], grow_alive], dim=-1).reshape(batch, -1)
    order = _rank(torch.logaddexp(cand_blank, cand_label), cand_alive, width)
    source, kind = order // (classes + 1), order % (classes + 1)
    grown = kind > 0
    new_prefixes = torch.gather(prefixes, 1, source[..., None].expand(-1, -1, steps))
    new_sizes = torch.gather(sizes, 1, source)
    put = grown[..., None] & (slots == new_sizes[..., None])
    return {
        "prefixes": torch.where(put, (kind - 1)[..., None], new_prefixes),
        "sizes": new_sizes + grown,
        "alive": torch.gather(cand_alive, 1, order),
        "p_blank": torch.gather(cand_blank, 1, order),
        "p_label": torch.gather(cand_label, 1, order),
    }


__all__ = exported(globals())
