"""`Discretization`: buckets continuous values into ranges, given as boundaries or learned as
quantiles by `adapt`."""

from __future__ import annotations

import numpy as np

from kcore import ops
from kcore.backend import KerasTensor, bound
from kcore.layers.layer import Layer
from kcore.layers.preprocessing import _quantiles
from kcore.layers.preprocessing._encoding import encode, encoded_shape, validate_choice
from kcore.layers.preprocessing._inputs import host_values, is_dataset, iterate_batches


class Discretization(Layer):
    """A preprocessing layer which buckets continuous features by ranges.

    Each value is replaced by the index of its bin: with `bin_boundaries=[0., 1., 2.]` the bins
    are `(-inf, 0)`, `[0, 1)`, `[1, 2)` and `[2, inf)`. Runs with `kcore.ops` inside models on
    every backend.

    Args:
        bin_boundaries: the sorted bin boundaries (do not call `adapt` then).
        num_bins: the number of bins to learn with `adapt()` (instead of `bin_boundaries`).
        epsilon: the error tolerance of the approximate quantiles `adapt()` computes.
        output_mode: ``"int"`` (bin indices, int32), ``"one_hot"``, ``"multi_hot"`` or
            ``"count"`` (float vectors of size `num_bins`).
        sparse: only False is supported.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> kcore.ops.convert_to_numpy(layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))).tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError(
                "Discretization: `sparse=True` is not supported by kcore (its backends have no "
                f"sparse outputs here). Received: sparse={sparse}. Use sparse=False."
            )
        validate_choice(
            output_mode, ("int", "one_hot", "multi_hot", "count"), "Discretization", "output_mode"
        )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(
                "You need to set either `num_bins` (and call `adapt()`) or `bin_boundaries`."
            )
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else _quantiles.empty_summary()

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    @property
    def output_dtype(self) -> str:
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps=None):
        """Learns `num_bins` bins of equal weight from the approximate quantiles of `data`.

        Args:
            data: a numpy array or eager tensor, or batches: a `tf.data.Dataset`, a
                `kcore.utils.PyDataset` or any iterable of arrays (e.g. a list of arrays).
            steps: the number of batches to read from an iterable (default: all).
        """
        if self.num_bins is None:
            raise ValueError(
                f"Layer {self.name!r}: cannot adapt a Discretization layer that has been "
                "initialized with `bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, np.ndarray) or bound.is_tensor(data):
            self.update_state(data)
        elif is_dataset(data) or hasattr(data, "__iter__"):
            for batch in iterate_batches(data, steps):
                self.update_state(batch)
        else:
            raise TypeError(
                f"Layer {self.name!r} (Discretization): unsupported adapt() data of type "
                f"{type(data).__name__}. Pass a numpy array, a tensor, a tf.data.Dataset, a "
                "kcore.utils.PyDataset or an iterable of arrays."
            )
        self.finalize_state()

    def update_state(self, data):
        values = host_values(data, self).astype("float32")
        self.summary = _quantiles.merge(
            _quantiles.summarize(values, self.epsilon), self.summary, self.epsilon
        )

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = _quantiles.bin_boundaries(self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is None:
            return
        self.summary = _quantiles.empty_summary()

    def load_own_variables(self, store) -> None:
        # Files from older Keras versions kept the quantile summary as a weight.
        if len(store) == 1:
            self.summary = np.asarray(store["0"])

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"Layer {self.name!r}: you need to either pass the `bin_boundaries` argument at "
                "construction time or call `adapt(dataset)` before you can start using the "
                "`Discretization` layer."
            )
        boundaries = np.asarray(self.bin_boundaries, dtype="float32")
        indices = ops.digitize(ops.cast(inputs, self.compute_dtype), boundaries)
        return encode(indices, self.output_mode, len(boundaries) + 1, self.output_dtype)

    def _depth(self) -> int:
        if self.bin_boundaries is not None:
            return len(self.bin_boundaries) + 1
        return self.num_bins

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self) -> dict:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            # An adapted layer has both; the constructor takes one, the boundaries come after.
            config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
