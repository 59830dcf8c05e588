"""`IntegerLookup`: maps integers from a vocabulary to integer indices (and back), with
`kcore.ops`, so it runs inside models on every backend."""

from __future__ import annotations

import numpy as np

from kcore import ops
from kcore.backend import is_float_dtype
from kcore.layers.preprocessing._hashing import hash_values
from kcore.layers.preprocessing._inputs import concrete_values, host_values, int_dtype, to_backend
from kcore.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded) indices.

    Tokens of the vocabulary map to their index; the others to an out-of-vocabulary index
    (`token % num_oov_indices` among several, or hashed with ``oov_method="farmhash"``). The lookup
    is written with `kcore.ops` (a sorted search in the vocabulary), so the layer works inside
    models on every backend; only ``oov_method="farmhash"`` with several OOV indices hashes on the
    host. Indices are int64 (int32 on a backend without 64-bit integers).

    Args:
        max_tokens: the largest vocabulary size, special indices included (None: no limit).
        num_oov_indices: the number of out-of-vocabulary indices (0: OOV tokens are an error).
        mask_token: an integer for masked inputs (index 0 in ``"int"`` mode), or None.
        oov_token: the token `invert` returns for OOV indices.
        vocabulary: a list, tuple or 1-D array of integers, or the path of a text file with one
            integer a line; or learn it with `adapt()`.
        vocabulary_dtype: only ``"int64"``.
        idf_weights: in ``"tf_idf"`` mode with a `vocabulary`, the IDF weight of each token.
        invert: map indices to vocabulary integers instead.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: only False is supported.
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        oov_method: ``"floormod"`` or ``"farmhash"``: how several OOV indices are chosen.
        salt: with ``oov_method="farmhash"``, key the hashing with SipHash-2-4.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> kcore.ops.convert_to_numpy(layer([[12, 1138, 42], [42, 1000, 36]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _host_tokens(self, data) -> np.ndarray:
        values = host_values(data, self)
        if values.dtype.kind not in "iufb":
            raise ValueError(
                f"Layer {self.name!r} (IntegerLookup) expects integers, but received values of "
                f"dtype {values.dtype} and shape {values.shape}."
            )
        return values.astype(np.int64)

    def _parse_lines(self, lines) -> list:
        return [int(line) for line in lines]

    def _set_tokens(self, tokens, specials=None) -> None:
        super()._set_tokens(tokens, specials)
        # The vocabulary sorted, for a `searchsorted` lookup, with the index of each entry.
        order = np.argsort(self._tokens, kind="stable")
        self._sorted_tokens = self._tokens[order]
        self._sorted_indices = (order + self._token_start_index()).astype(np.int64)

    def _lookup(self, inputs):
        dtype = int_dtype()
        inputs = ops.convert_to_tensor(inputs)
        shape = ops.shape(inputs)
        flat = ops.reshape(ops.cast(inputs, dtype), (-1,))
        default = self._oov_start_index() if self.num_oov_indices == 1 else -1
        if len(self._tokens):
            keys = ops.convert_to_tensor(self._sorted_tokens, dtype=dtype)
            positions = ops.minimum(ops.searchsorted(keys, flat), len(self._tokens) - 1)
            found = ops.equal(ops.take(keys, positions), flat)
            values = ops.convert_to_tensor(self._sorted_indices, dtype=dtype)
            indices = ops.where(found, ops.take(values, positions), default)
        else:
            found = ops.zeros_like(flat, dtype="bool")
            indices = ops.full_like(flat, default)
        is_mask = None
        if self.mask_token is not None:
            is_mask = ops.equal(flat, self.mask_token)
        if self.num_oov_indices == 0:
            self._check_in_vocabulary(flat, found, is_mask)
        elif self.num_oov_indices > 1:
            indices = ops.where(found, indices, self._oov_indices(flat))
        if is_mask is not None:
            indices = ops.where(is_mask, 0 if self.output_mode == "int" else -1, indices)
        return ops.reshape(ops.cast(indices, dtype), shape)

    def _oov_indices(self, flat):
        if self.oov_method == "farmhash":
            values = host_values(flat, self)
            hashed = hash_values(values, self.num_oov_indices, self.salt)
            oov = to_backend(hashed)
        else:
            oov = ops.mod(flat, self.num_oov_indices)
        return ops.add(ops.cast(oov, flat.dtype), self._oov_start_index())

    def _check_in_vocabulary(self, flat, found, is_mask) -> None:
        known = found if is_mask is None else ops.logical_or(found, is_mask)
        checked = concrete_values(known, self)
        if checked is not None and not checked.all():
            values = host_values(flat, self)
            raise self._oov_error(np.unique(values[~checked]).tolist())

    def _invert(self, inputs):
        dtype = int_dtype()
        inputs = ops.convert_to_tensor(inputs)
        if is_float_dtype(inputs.dtype):
            inputs = ops.cast(inputs, "int32")
        table = np.asarray(self.get_vocabulary(), dtype=np.int64)
        if table.size == 0:
            return ops.full_like(inputs, self.oov_token, dtype=dtype)
        valid = ops.logical_and(ops.greater_equal(inputs, 0), ops.less(inputs, table.size))
        positions = ops.clip(inputs, 0, table.size - 1)
        found = ops.take(ops.convert_to_tensor(table, dtype=dtype), positions)
        return ops.cast(ops.where(valid, found, self.oov_token), dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
