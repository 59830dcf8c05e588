"""`Hashing`: hashes strings or integers into a fixed number of bins, with Keras's bin numbers."""

from __future__ import annotations

import numpy as np

from kcore import config
from kcore.backend import KerasTensor
from kcore.layers.layer import Layer
from kcore.layers.preprocessing._encoding import encode, encoded_shape, validate_choice
from kcore.layers.preprocessing._hashing import hash_values
from kcore.layers.preprocessing._inputs import host_strings, host_values, int_dtype, to_backend


class Hashing(Layer):
    """A preprocessing layer which hashes and bins categorical features.

    Each value goes to bin `hash(value) % num_bins`, with FarmHash Fingerprint64 of the value's
    string form (SipHash-2-4 keyed by `salt` when given), so the bins are the ones Keras gives.
    Numbers hash through their decimal string (floats are truncated to integers first).

    The hashing runs on the host: call the layer on numpy arrays, lists or eager tensors (for
    example in the data pipeline, before `fit`); the result is a backend tensor.

    Args:
        num_bins: the number of bins, including the mask bin when `mask_value` is set.
        mask_value: a value that goes to bin 0 (the others then hash into bins 1 to
            `num_bins - 1`).
        salt: an integer or a pair of integers: hash with SipHash-2-4 keyed by it instead.
        output_mode: ``"int"`` (bin indices), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: only False is supported.
        **kwargs: base layer arguments; `dtype` defaults to int64 in ``"int"`` mode (int32 on a
            backend without 64-bit integers) and floatx otherwise.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Hashing(num_bins=3)
    >>> kcore.ops.convert_to_numpy(layer([["A"], ["B"], ["C"], ["D"], ["E"]])).tolist()
    [[1], [0], [1], [1], [2]]
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: "
                f"num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'int64'. Received: dtype={kwargs['dtype']}"
            )
        validate_choice(
            output_mode, ("int", "one_hot", "multi_hot", "count"), "Hashing", "output_mode"
        )
        if sparse:
            raise ValueError(
                "Hashing: `sparse=True` is not supported by kcore (its backends have no sparse "
                f"outputs here). Received: sparse={sparse}. Use sparse=False."
            )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, "
                    f"or a single integer. Received: salt={salt}."
                )

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    def _convert_inputs(self, args, kwargs):
        # Strings stay on the host: the layer reads its inputs as numpy arrays.
        return args, kwargs

    def _bins(self, values: np.ndarray) -> np.ndarray:
        num_bins = self.num_bins
        mask = None
        if self.mask_value is not None and num_bins > 1:
            num_bins -= 1
            mask = values == np.asarray(self.mask_value, dtype=values.dtype)
        bins = hash_values(values, num_bins, self.salt)
        if mask is not None:
            bins = np.where(mask, 0, bins + 1)
        return bins

    def call(self, inputs):
        values = host_values(inputs, self)
        if values.dtype.kind in "SO":
            values = host_strings(values, self)
        bins = self._bins(values)
        if self.output_mode == "int":
            return to_backend(bins.astype(self.compute_dtype))
        return encode(to_backend(bins), self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        dtype = int_dtype(self.compute_dtype) if self.output_mode == "int" else self.dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
