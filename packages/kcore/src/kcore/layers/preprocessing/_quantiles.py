"""Approximate quantiles for `Discretization.adapt`: a mergeable weighted summary of the values
seen, compressed to a bounded size, from which the bin boundaries are read.

A summary is a float32 array of shape ``(2, n)``: sorted values (row 0) and the number of data
values each stands for (row 1). The arithmetic follows Keras 3's, so that adapting on the same
data gives the same boundaries.

Example:

>>> import numpy as np
>>> from kcore.layers.preprocessing import _quantiles
>>> summary = _quantiles.summarize(np.arange(10.0), epsilon=0.01)
>>> _quantiles.bin_boundaries(summary, num_bins=2).tolist()
[4.0]
"""

from __future__ import annotations

import numpy as np


def empty_summary() -> np.ndarray:
    return np.zeros((2, 0), dtype="float32")


def summarize(values, epsilon) -> np.ndarray:
    """A summary of `values` (any shape) with about `1 / epsilon` entries: every `step`-th
    sorted value, each standing for `step` values (all values, each for one, when there are
    fewer)."""
    ordered = np.sort(np.reshape(np.asarray(values, dtype="float32"), [-1]))
    step = max(ordered.size / (1.0 / epsilon), 1)
    kept = ordered[int(step - 1) :: int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def merge(summary, other, epsilon) -> np.ndarray:
    """One summary of the data of both, compressed to `epsilon`."""
    both = np.concatenate((summary, other), axis=1)
    both = np.take(both, np.argsort(both[0]), axis=1)
    return compress(both, epsilon)


def compress(summary, epsilon) -> np.ndarray:
    """`summary` reduced to `1 / epsilon` entries at evenly spaced cumulative weights (values and
    weights interpolated), unless it is already that small."""
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    values = np.interp(targets, fractions, summary[0])
    cumulative = np.interp(targets, fractions, cumulative)
    weights = cumulative - np.concatenate((np.array([0]), cumulative[:-1]))
    return np.stack((values, weights)).astype("float32")


def bin_boundaries(summary, num_bins) -> np.ndarray:
    """The `num_bins - 1` boundaries that split the summarized data into equal-weight bins."""
    return compress(summary, 1.0 / num_bins)[0, :-1]
