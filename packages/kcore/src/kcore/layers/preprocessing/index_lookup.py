"""`IndexLookup`: the vocabulary machinery shared by `StringLookup` and `IntegerLookup` (not a
public layer).

A lookup layer maps each token of a vocabulary to its index, after the special indices: the
mask token (index 0, in ``"int"`` mode, when there is one), then `num_oov_indices` indices for
out-of-vocabulary tokens. The vocabulary is given (a list, an array or a text file) or learned by
`adapt` (most frequent tokens first, ties broken by the larger token). It is saved as Keras saves
it: in the config when it was given as a list, otherwise as the asset ``vocabulary.txt``; the
TF-IDF weights are the layer's own variable ``idf_weights``.

Subclasses say how tokens are read (`_host_tokens`, `_parse_lines`) and looked up (`_lookup`,
`_invert`).
"""

from __future__ import annotations

import collections
import os
import types

import numpy as np

from kcore import config, ops
from kcore.backend import KerasTensor, bound
from kcore.layers.layer import Layer
from kcore.layers.preprocessing._encoding import encode, encoded_shape, validate_choice
from kcore.layers.preprocessing._inputs import int_dtype, is_dataset, iterate_batches

VOCABULARY_FILENAME = "vocabulary.txt"


class IndexLookup(Layer):
    """Maps values from a vocabulary to integer indices (the base of the lookup layers).

    Args:
        max_tokens: the largest vocabulary size, special indices included (None: no limit).
        num_oov_indices: how many indices out-of-vocabulary tokens share (hashed among them when
            more than one; 0 makes them an error).
        mask_token: a token that stands for masked inputs (index 0 in ``"int"`` mode, dropped
            in the other modes), or None.
        oov_token: the token `invert` gives for out-of-vocabulary indices.
        vocabulary_dtype: ``"string"`` or ``"int64"``.
        vocabulary: a list, tuple, 1-D array or tensor of tokens, or the path of a text file
            with one token a line.
        idf_weights: in ``"tf_idf"`` mode, the inverse document frequency of each token.
        invert: map indices back to tokens (``"int"`` mode only).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: only False is supported.
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        oov_method: for integer tokens with several OOV indices: ``"floormod"`` (the token
            modulo `num_oov_indices`) or ``"farmhash"`` (hashed, as strings always are).
        salt: key the OOV hashing with SipHash-2-4 (an integer or a pair of integers).
    """

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        caller = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                f"max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. Received: "
                f"num_oov_indices={num_oov_indices}"
            )
        validate_choice(oov_method, ("floormod", "farmhash"), caller, "oov_method")
        if salt is not None:
            if vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(
                    "`salt` can only be used when `oov_method='farmhash'`. Received: "
                    f"oov_method={oov_method}"
                )
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError(
                    f"The `salt` argument for `{caller}` can only be a tuple of 2 integers, or a "
                    f"single integer. Received: salt={salt}."
                )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        validate_choice(
            output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"), caller, "output_mode"
        )
        if invert and output_mode != "int":
            raise ValueError(
                "`output_mode` must be `'int'` when `invert` is true. Received: "
                f"output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                f"{caller}: `sparse=True` is not supported by kcore (its backends have no sparse "
                f"outputs here). Received: sparse={sparse}. Use sparse=False."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"{caller}: unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        # The vocabulary without special tokens (a numpy array), and the TF-IDF weights of every
        # index (special ones included).
        self._tokens = self._as_tokens([])
        self._index = types.MappingProxyType({})
        self.idf_weights = None
        self.reset_state()
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                "`idf_weights` argument must also be provided."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    # --- the vocabulary ------------------------------------------------------------------------

    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _as_tokens(self, values) -> np.ndarray:
        dtype = str if self.vocabulary_dtype == "string" else np.int64
        return np.asarray(values, dtype=dtype).reshape(-1)

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary: with `include_special_tokens`, the mask and OOV tokens come first, so
        that a token's position is its index."""
        specials = [self.mask_token] * self._oov_start_index()
        specials += [self.oov_token] * self.num_oov_indices
        vocabulary = specials + self._tokens.tolist()
        return vocabulary if include_special_tokens else vocabulary[self._token_start_index() :]

    def vocabulary_size(self) -> int:
        """The number of indices, mask and OOV indices included."""
        return len(self._tokens) + self._token_start_index()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, in ``"tf_idf"`` mode, the IDF weights), replacing any.

        Args:
            vocabulary: a list, tuple, 1-D array or tensor of tokens, optionally starting with
                the special tokens in index order; or the path of a text file, one token a line.
            idf_weights: in ``"tf_idf"`` mode, one weight per entry of `vocabulary`.

        Raises:
            ValueError: for an empty vocabulary, repeated tokens, the mask token (or, when
                inverting, the OOV token) among the tokens, or more than `max_tokens` indices.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            self._set_tokens(self._read_vocabulary_file(vocabulary))
            return
        if bound.is_tensor(vocabulary):
            vocabulary = ops.convert_to_numpy(vocabulary)
        vocabulary = self._as_tokens(vocabulary)
        if vocabulary.size == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        token_start = self._token_start_index()
        specials = self.get_vocabulary()[:token_start]
        found_specials = np.array_equal(self._as_tokens(specials), vocabulary[:token_start])
        tokens = vocabulary[token_start:] if found_specials else vocabulary
        self._set_tokens(tokens, specials)
        if idf_weights is not None:
            self._set_idf_weights(idf_weights, len(vocabulary), found_specials)

    def _read_vocabulary_file(self, path) -> np.ndarray:
        from kcore.saving.scopes import in_safe_mode

        if in_safe_mode():
            raise ValueError(
                "Requested the loading of a vocabulary file outside of the model archive. This "
                "carries a potential risk of loading arbitrary and sensitive files and thus it is "
                "disallowed by default. If you trust the source of the artifact, you can override "
                "this error by passing `safe_mode=False` to the loading function, or calling "
                f"`kcore.config.enable_unsafe_deserialization()`. Vocabulary file: '{path}'"
            )
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError(
                "output_mode `'tf_idf'` does not support loading a vocabulary from file."
            )
        with open(path, encoding="utf-8") as f:
            return self._parse_lines(f.read().splitlines())

    def _set_tokens(self, tokens, specials=None) -> None:
        tokens = self._as_tokens(tokens)
        if specials is None:
            specials = self.get_vocabulary()[: self._token_start_index()]
        counts = collections.Counter(tokens.tolist())
        repeated = [token for token, count in counts.items() if count > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {repeated}"
            )
        for what, token in (("mask", self.mask_token), ("OOV", self.oov_token)):
            if token is None or token not in counts or (what == "OOV" and not self.invert):
                continue
            raise ValueError(
                f"Found reserved {what} token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {specials}. Received: "
                f"{what.lower()}_token={token!r} at vocabulary index "
                f"{tokens.tolist().index(token) + len(specials)}"
            )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        self._tokens = tokens
        start = self._token_start_index()
        # A read-only view: layer-state walks look inside dicts, not into mapping proxies.
        self._index = types.MappingProxyType(
            {token: start + i for i, token in enumerate(tokens.tolist())}
        )
        self._record_vocabulary_size()

    def _set_idf_weights(self, idf_weights, vocabulary_length, found_specials) -> None:
        if bound.is_tensor(idf_weights):
            idf_weights = ops.convert_to_numpy(idf_weights)
        idf_weights = np.asarray(idf_weights)
        if len(idf_weights) != vocabulary_length:
            raise ValueError(
                "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                f"{len(idf_weights)}; len(vocabulary) is {vocabulary_length}"
            )
        if idf_weights.ndim != 1:
            raise ValueError(
                f"TF-IDF data must be a 1-index array. Received: idf_weights of shape "
                f"{idf_weights.shape}"
            )
        # Without real document frequencies for the special indices, they get the average.
        front = 0 if found_specials else self._token_start_index()
        front_value = 0 if found_specials else np.average(idf_weights)
        back = 0
        if self.pad_to_max_tokens and self.max_tokens is not None:
            back = self.max_tokens - front - len(idf_weights)
        weights = np.pad(idf_weights, (front, back), constant_values=(front_value, 0))
        self.idf_weights = weights.astype(config.floatx())

    def _record_vocabulary_size(self) -> None:
        size = self.vocabulary_size()
        vector_mode = self.output_mode != "int" and not self.pad_to_max_tokens
        if vector_mode and self._frozen_vocab_size not in (None, size):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                "vocabulary size cannot be changed after the layer is called. Old vocab size is "
                f"{self._frozen_vocab_size}, new vocab size is {size}"
            )
        self._frozen_vocab_size = size

    # --- adapt ---------------------------------------------------------------------------------

    def adapt(self, data, steps=None):
        """Learns the vocabulary from `data`: the most frequent tokens first (ties: the larger
        token first), at most `max_tokens` indices; in ``"tf_idf"`` mode also the document
        frequencies (a document is a row of the data).

        Args:
            data: a list, tuple, numpy array or tensor of tokens (a rank-1 array is a list of
                one-token documents), or batches: a `tf.data.Dataset`, a `kcore.utils.PyDataset`
                or another iterable of arrays.
            steps: the number of batches to read from batched data (default: all).
        """
        self.reset_state()
        if is_dataset(data) or (
            hasattr(data, "__iter__")
            and not isinstance(data, (list, tuple, np.ndarray))
            and not bound.is_tensor(data)
        ):
            for batch in iterate_batches(data, steps):
                self.update_state(batch)
        else:
            values = self._host_tokens(data)
            self.update_state(values[:, None] if values.ndim == 1 else values)
        self.finalize_state()

    def _documents(self, data) -> list:
        """The documents (1-D token arrays) of a batch: its rows, or the lists of a ragged list."""
        if isinstance(data, list) and data and isinstance(data[0], (list, tuple, np.ndarray)):
            if len({len(row) for row in data}) > 1:
                return [
                    self._host_tokens(row).reshape(-1) if len(row) else self._as_tokens([])
                    for row in data
                ]
        values = self._host_tokens(data)
        if values.ndim <= 1:
            return [values.reshape(-1)]
        return list(values.reshape(values.shape[0], -1))

    def update_state(self, data):
        """Counts the tokens of one batch (`adapt` calls it for each batch)."""
        self._count_documents(self._documents(data))

    def _count_documents(self, documents) -> None:
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        if not documents:
            return
        tokens, counts = np.unique(np.concatenate(documents), return_counts=True)
        self._token_counts.update(dict(zip(tokens.tolist(), counts.tolist())))
        if self.output_mode == "tf_idf":
            for document in documents:
                self._document_counts.update(np.unique(document).tolist())
            self._num_documents += len(documents)

    def finalize_state(self):
        """Builds the vocabulary from the counted tokens."""
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            self._token_counts.pop(special, None)
        ranked = sorted(self._token_counts.items(), key=lambda item: (item[1], item[0]))[::-1]
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        tokens = [token for token, _ in ranked]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            counts = np.array([self._document_counts[t] for t in tokens], dtype=np.int64)
            weights = np.log(1 + self._num_documents / (1 + counts)).astype(config.floatx())
            weights = np.pad(
                weights, (self._token_start_index(), 0), constant_values=np.mean(weights)
            )
            if self.pad_to_max_tokens and self.max_tokens is not None:
                weights = np.pad(weights, (0, self.max_tokens - len(weights)))
            self.idf_weights = weights
        self.reset_state()

    def reset_state(self):
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # --- calling -------------------------------------------------------------------------------

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def _oov_error(self, tokens) -> ValueError:
        return ValueError(
            f"Layer {self.name!r}: when `num_oov_indices=0` all inputs should be in vocabulary, "
            f"found OOV values {list(tokens)}, consider setting `num_oov_indices=1`."
        )

    def _ensure_known_vocab_size(self) -> None:
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(
                f"Layer {self.name!r}: when using `output_mode={self.output_mode}` and "
                "`pad_to_max_tokens=False`, you must set the layer's vocabulary before calling "
                "it. Either pass a `vocabulary` argument to the layer, or call `adapt` with some "
                "sample data."
            )

    def call(self, inputs):
        self._ensure_known_vocab_size()
        if self.invert:
            return self._invert(inputs)
        indices = self._lookup(inputs)
        if self.output_mode == "int":
            return indices
        return encode(
            indices,
            self.output_mode,
            self._depth(),
            int_dtype(),
            idf_weights=self.idf_weights if self.output_mode == "tf_idf" else None,
        )

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        if self.invert:
            dtype = "string" if self.vocabulary_dtype == "string" else int_dtype()
        elif self.output_mode == "tf_idf":
            dtype = config.floatx()
        else:
            dtype = int_dtype()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    # --- saving --------------------------------------------------------------------------------

    def save_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf":
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"])

    def save_assets(self, dir_path) -> None:
        """Writes an adapted or set vocabulary (one given to the constructor is in the config)
        to ``vocabulary.txt``, special tokens included."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, VOCABULARY_FILENAME), "w", encoding="utf-8") as f:
            f.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path) -> None:
        """Reads the vocabulary `save_assets` wrote."""
        if self.input_vocabulary is not None:
            return
        path = None if dir_path is None else os.path.join(dir_path, VOCABULARY_FILENAME)
        if path is None or not os.path.exists(path):
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): the saved model has no vocabulary "
                f"file for it (expected '{VOCABULARY_FILENAME}' in its assets). Save the model "
                "again as a `.keras` archive (weights files do not hold vocabularies)."
            )
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        idf_weights = None
        if self.output_mode == "tf_idf":
            # One weight per line: the padding to `max_tokens` is added back.
            idf_weights = self.idf_weights[: len(lines)]
        self.set_vocabulary(self._parse_lines(lines), idf_weights=idf_weights)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    # --- subclass hooks ------------------------------------------------------------------------

    def _host_tokens(self, data) -> np.ndarray:
        """`data` as a numpy array of tokens."""
        raise NotImplementedError

    def _parse_lines(self, lines) -> list:
        """The tokens of the lines of a vocabulary file."""
        raise NotImplementedError

    def _lookup(self, inputs):
        """The index of each token of `inputs`, as a backend tensor."""
        raise NotImplementedError

    def _invert(self, inputs):
        """The token of each index of `inputs`."""
        raise NotImplementedError


def listify(value):
    """Arrays and tensors of a config value as lists (other values as they are)."""
    if bound.is_tensor(value):
        value = ops.convert_to_numpy(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return value
