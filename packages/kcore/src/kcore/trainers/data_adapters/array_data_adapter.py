"""`ArrayDataAdapter`: batches from in-memory arrays (numpy, pandas, lists, backend tensors)."""

from __future__ import annotations

import math

import numpy as np
import optree

from kcore.trainers.data_adapters import data_adapter_utils as utils
from kcore.trainers.data_adapters.data_adapter import DataAdapter

_SHUFFLE_CHOICES = "True, False or 'batch'"


class ArrayDataAdapter(DataAdapter):
    """Slices nested structures of arrays into batches.

    Every leaf of `x`, `y` and `sample_weight` becomes a numpy array once, at creation (float64
    arrays are cast to `kcore.config.floatx()`); batches are slices along the first axis, the last
    one partial when the batch size does not divide the number of samples.

    Shuffling is reproducible: with `shuffle` set, the adapter draws one seed from numpy's global
    generator when it is created (`kcore.utils.set_random_seed` fixes it), and epoch `e` uses
    `np.random.default_rng((seed, e))`. `shuffle=True` permutes all samples each epoch;
    `shuffle="batch"` (as in Keras 3) keeps each batch-sized chunk of consecutive samples together
    and permutes the samples within it.

    Args:
        x: the inputs: an array or a nested dict/list/tuple of arrays.
        y: the targets (same kinds), or `None`.
        sample_weight: per-sample weights (one array, or one per output of `y`), or `None`.
        batch_size: samples per batch; defaults to `ceil(samples / steps)` when `steps` is
            given, else 32.
        steps: the number of steps in an epoch, used only to derive a default `batch_size`.
        shuffle: `True`, `False` or `"batch"`.
        class_weight: dict mapping class indices to weights, turned into sample weights (single
            output only, labels sparse or one-hot).

    Example:

    >>> import numpy as np
    >>> adapter = ArrayDataAdapter(np.zeros((5, 2)), np.ones((5,)), batch_size=2)
    >>> [batch[0].shape for batch in adapter.get_numpy_iterator()]
    [(2, 2), (2, 2), (1, 2)]
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps=None,
        shuffle=False,
        class_weight=None,
    ):
        if shuffle not in (True, False, "batch"):
            raise ValueError(
                f"`shuffle` must be one of {_SHUFFLE_CHOICES}. Received: shuffle={shuffle!r}."
            )
        if batch_size is not None and (
            not isinstance(batch_size, (int, np.integer)) or batch_size < 1
        ):
            raise ValueError(
                f"`batch_size` must be a positive int or None. Received: batch_size={batch_size!r}."
            )
        bad = [
            leaf
            for leaf in utils.flatten((x, y, sample_weight))
            if not utils.can_convert_to_array(leaf)
        ]
        if bad:
            raise ValueError(
                "Expected all elements of `x`, `y` and `sample_weight` to be array-like (NumPy "
                "arrays, tensors, pandas objects or lists of numbers). Received an element of "
                f"type {utils.type_name(bad[0])}."
            )
        x, y, sample_weight = utils.map_structure(utils.convert_to_array, (x, y, sample_weight))
        for leaf in utils.flatten((x, y, sample_weight)):
            if leaf is not None and leaf.ndim == 0:
                raise ValueError(
                    "Every array passed as data needs a first (sample) axis. Received a scalar "
                    f"array {leaf!r}. Wrap it as `[value]` or reshape it to `(samples, ...)`."
                )
        sample_weight = _standardize_sample_weight(y, sample_weight, class_weight)
        if class_weight is not None:
            if not utils.is_structure_leaf(y):
                raise ValueError(
                    "`class_weight` is only supported for Models with a single output. Pass one "
                    "`sample_weight` array per output instead."
                )
            if y is None:
                raise ValueError(
                    "`class_weight` needs targets: pass `y` along with `class_weight`, or drop "
                    "`class_weight`."
                )
            sample_weight = utils.class_weight_to_sample_weights(y, class_weight)

        self._inputs = (x, y, sample_weight)
        num_samples = utils.check_data_cardinality(self._inputs)
        if not batch_size:
            batch_size = int(math.ceil(num_samples / steps)) if steps else 32
        self._num_samples = num_samples
        self._batch_size = max(1, int(batch_size))
        self._num_batches = int(math.ceil(num_samples / self._batch_size))
        self._partial_batch_size = num_samples % self._batch_size
        self._shuffle = shuffle
        self._seed = int(np.random.randint(2**31 - 1)) if shuffle else None

    def _epoch_order(self, epoch):
        """The sample order of epoch `epoch`: `None` (in order) or a permutation."""
        if not self._shuffle:
            return None
        rng = np.random.default_rng((self._seed, epoch))
        if self._shuffle == "batch":
            order = np.arange(self._num_samples)
            for start in range(0, self._num_samples, self._batch_size):
                chunk = order[start : start + self._batch_size]
                order[start : start + self._batch_size] = rng.permutation(chunk)
            return order
        return rng.permutation(self._num_samples)

    def get_numpy_iterator(self):
        return self._iterate(self._epoch_order(self._epoch))

    def _iterate(self, order):
        # Flatten once per epoch: each batch is then one slice per array.
        leaves, treedef = optree.tree_flatten(
            self._inputs, is_leaf=utils.is_structure_leaf, none_is_leaf=True
        )
        for start in range(0, self._num_samples, self._batch_size):
            stop = min(start + self._batch_size, self._num_samples)
            index = slice(start, stop) if order is None else order[start:stop]
            sliced = [None if a is None else a[index] for a in leaves]
            x_batch, y_batch, sw_batch = optree.tree_unflatten(treedef, sliced)
            if sw_batch is not None:
                yield (x_batch, y_batch, sw_batch)
            elif y_batch is not None:
                yield (x_batch, y_batch)
            else:
                yield (x_batch,)

    @property
    def num_batches(self):
        return self._num_batches

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def has_partial_batch(self):
        return self._partial_batch_size > 0

    @property
    def partial_batch_size(self):
        return self._partial_batch_size or None


def _standardize_sample_weight(y, sample_weight, class_weight):
    """Checks `sample_weight` against `y`; one array for several outputs is used for each."""
    if sample_weight is None:
        return None
    if class_weight is not None:
        raise ValueError(
            "You cannot `class_weight` and `sample_weight` at the same time. Fold the class "
            "weights into `sample_weight`, or drop one of them."
        )
    if utils.is_structure_leaf(y):
        return sample_weight
    if not utils.is_structure_leaf(sample_weight):
        y_spec = utils.map_structure(lambda _: "*", y)
        sw_spec = utils.map_structure(lambda _: "*", sample_weight)
        if y_spec != sw_spec:
            raise ValueError(
                "You should provide one `sample_weight` array per output in `y`. The two "
                f"structures did not match: y: {y_spec}, sample_weight: {sw_spec}."
            )
        return sample_weight
    if not (sample_weight.ndim == 1 or (sample_weight.ndim == 2 and sample_weight.shape[1] == 1)):
        raise ValueError(
            "For a model with multiple outputs, when providing a single `sample_weight` array, "
            "it should only have one scalar score per sample (i.e. shape `(num_samples,)`). "
            f"Received shape {sample_weight.shape}. If you want to use non-scalar sample "
            "weights, pass a `sample_weight` argument with one array per model output."
        )
    return utils.map_structure(lambda _: sample_weight, y)
