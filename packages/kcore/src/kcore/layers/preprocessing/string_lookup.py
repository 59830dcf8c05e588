"""`StringLookup`: maps strings from a vocabulary to integer indices (and back)."""

from __future__ import annotations

import numpy as np

from kcore.layers.preprocessing._hashing import hash_values
from kcore.layers.preprocessing._inputs import host_strings, host_values, to_backend
from kcore.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    Tokens of the vocabulary map to their index; the others to an out-of-vocabulary index
    (hashed with FarmHash among `num_oov_indices` of them, as Keras does). The lookup runs on the
    host: call the layer on numpy arrays or lists of `str` (for example in the data pipeline,
    before `fit`); the indices come back as a backend tensor (int64, or int32 on a backend
    without 64-bit integers), the vector modes as backend tensors too. With `invert=True` the
    result is a numpy array of `str`.

    Args:
        max_tokens: the largest vocabulary size, special indices included (None: no limit).
        num_oov_indices: the number of out-of-vocabulary indices (0: OOV tokens are an error).
        mask_token: a token for masked inputs (index 0 in ``"int"`` mode), or None.
        oov_token: the token `invert` returns for OOV indices.
        vocabulary: a list, tuple or 1-D array of strings, or the path of a text file with one
            token a line; or learn it with `adapt()`.
        idf_weights: in ``"tf_idf"`` mode with a `vocabulary`, the IDF weight of each token.
        invert: map indices to strings instead.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        sparse: only False is supported.
        encoding: the text encoding of byte-string inputs.
        salt: key the OOV hashing with SipHash-2-4 (an integer or a pair of integers).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> kcore.ops.convert_to_numpy(layer([["a", "c", "d"], ["d", "z", "b"]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    >>> layer.get_vocabulary()
    ['[UNK]', 'a', 'b', 'c', 'd']
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )
        self.encoding = encoding

    def _convert_inputs(self, args, kwargs):
        # Strings stay on the host: the layer reads its inputs as numpy arrays.
        return args, kwargs

    def _host_tokens(self, data) -> np.ndarray:
        return host_strings(data, self, self.encoding)

    def _parse_lines(self, lines) -> list:
        return list(lines)

    def _lookup(self, inputs):
        values = self._host_tokens(inputs)
        tokens, inverse = np.unique(values.reshape(-1), return_inverse=True)
        indices = np.array([self._index.get(t, -1) for t in tokens.tolist()], dtype=np.int64)
        missing = indices == -1
        masked = np.zeros_like(missing)
        if self.mask_token is not None:
            masked = tokens == self.mask_token
            missing &= ~masked
        if missing.any():
            if self.num_oov_indices == 0:
                raise self._oov_error(tokens[missing].tolist())
            oov = np.full(int(missing.sum()), self._oov_start_index(), dtype=np.int64)
            if self.num_oov_indices > 1:
                oov += hash_values(tokens[missing], self.num_oov_indices, self.salt)
            indices[missing] = oov
        indices[masked] = 0 if self.output_mode == "int" else -1
        return to_backend(indices[inverse.reshape(-1)].reshape(values.shape))

    def _invert(self, inputs):
        indices = host_values(inputs, self).astype(np.int64)
        vocabulary = np.asarray(self.get_vocabulary(), dtype=str)
        if vocabulary.size == 0:
            return np.full(indices.shape, self.oov_token, dtype=str)
        valid = (indices >= 0) & (indices < vocabulary.size)
        found = vocabulary[np.clip(indices, 0, vocabulary.size - 1)]
        return np.where(valid, found, np.asarray(self.oov_token, dtype=str))

    def get_config(self) -> dict:
        config = super().get_config()
        # Strings have one vocabulary dtype: Keras leaves it out.
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
