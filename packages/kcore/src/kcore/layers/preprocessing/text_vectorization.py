"""`TextVectorization`: turns raw strings into token indices or token vectors."""

from __future__ import annotations

import numpy as np

from kcore import ops
from kcore.backend import KerasTensor, bound
from kcore.config import floatx
from kcore.layers.layer import Layer
from kcore.layers.preprocessing import _text
from kcore.layers.preprocessing._encoding import encoded_shape, validate_choice
from kcore.layers.preprocessing._inputs import (
    host_strings,
    int_dtype,
    is_dataset,
    iterate_batches,
)
from kcore.layers.preprocessing.index_lookup import listify
from kcore.layers.preprocessing.string_lookup import StringLookup


class TextVectorization(Layer):
    """A preprocessing layer which maps text features to integer sequences or vectors.

    Each string is standardized, split into tokens, optionally turned into n-grams, and its
    tokens are looked up in a vocabulary (given, or learned by `adapt()`): index 0 is padding
    (the empty string), index 1 the out-of-vocabulary token ``"[UNK]"``.

    The layer runs on the host: call it on numpy arrays or lists of `str` (for example in the data
    pipeline: `x = vectorizer(texts)`, then `fit` on `x`); the result is a backend tensor.

    Args:
        max_tokens: the largest vocabulary size, padding and OOV included (None: no limit).
        standardize: ``"lower_and_strip_punctuation"``, ``"lower"``, ``"strip_punctuation"``,
            None, or a callable taking and returning a numpy array of `str`.
        split: ``"whitespace"``, ``"character"``, None (the inputs are tokens already), or a
            callable taking a 1-D numpy array of `str` and returning a list of token lists.
        ngrams: None, an integer `n` (all n-grams up to `n`) or a tuple of n-gram widths.
        output_mode: ``"int"`` (token indices), ``"multi_hot"``, ``"count"``, ``"tf_idf"`` or
            ``"one_hot"`` (vectors the size of the vocabulary).
        output_sequence_length: in ``"int"`` mode, pad or cut each sequence to this length
            (default: the longest sequence of the batch).
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        vocabulary: a list or 1-D array of tokens, or the path of a text file, one token a line.
        idf_weights: in ``"tf_idf"`` mode with a `vocabulary`, the IDF weight of each token.
        sparse, ragged: only False is supported.
        encoding: the text encoding of byte-string inputs.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog ran!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'ran', 'dog', 'cat']
    >>> kcore.ops.convert_to_numpy(layer(["the cat ran away"])).tolist()
    [[2, 6, 4, 1]]
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        for flag, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(
                    f"TextVectorization: `{flag}=True` is not supported by kcore (its backends "
                    f"have no {flag} tensors here). Received: {flag}={value}. Use {flag}=False."
                )
        validate_choice(
            standardize,
            ("lower_and_strip_punctuation", "lower", "strip_punctuation"),
            "TextVectorization",
            "standardize",
            allow_none=True,
            allow_callables=True,
        )
        validate_choice(
            split,
            ("whitespace", "character"),
            "TextVectorization",
            "split",
            allow_none=True,
            allow_callables=True,
        )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        validate_choice(
            output_mode,
            ("int", "one_hot", "multi_hot", "count", "tf_idf"),
            "TextVectorization",
            "output_mode",
        )
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or isinstance(ngrams, tuple)
            and all(isinstance(item, int) for item in ngrams)
        ):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. Received: "
                f"ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` "
                f"is 'int'. Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._has_input_vocabulary = has_input_vocabulary
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    def _convert_inputs(self, args, kwargs):
        # Strings stay on the host: the layer reads its inputs as numpy arrays.
        return args, kwargs

    # --- text to tokens ------------------------------------------------------------------------

    def _standardized(self, inputs) -> np.ndarray:
        texts = host_strings(inputs, self, self._encoding)
        if callable(self._standardize):
            return host_strings(self._standardize(texts), self, self._encoding)
        return _text.standardize(texts, self._standardize)

    def _tokens(self, inputs):
        """The tokens of `inputs`: a list of token lists (one per string) when splitting, else
        an array of `str` (the inputs are tokens already; n-grams along the last axis)."""
        texts = self._standardized(inputs)
        if self._split is None:
            if self._ngrams is None:
                return texts
            rows = [_text.ngrams(row, self._ngrams) for row in texts.reshape(-1, texts.shape[-1])]
            width = len(rows[0]) if rows else 0
            return np.asarray(rows, dtype=str).reshape(*texts.shape[:-1], width)
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(
                    f"Layer {self.name!r}: when using `TextVectorization` to tokenize strings, "
                    "the input rank must be 1 or the last shape dimension must be 1. Received: "
                    f"inputs.shape={texts.shape} with rank={texts.ndim}"
                )
            texts = np.squeeze(texts, axis=-1)
        texts = texts.reshape(-1)
        if callable(self._split):
            rows = [[str(token) for token in row] for row in self._split(texts)]
        else:
            rows = _text.split(texts, self._split)
        if self._ngrams is not None:
            rows = [_text.ngrams(row, self._ngrams) for row in rows]
        return rows

    def _padded(self, tokens) -> np.ndarray:
        """The tokens as an array of `str`, rows padded with the empty string (the padding
        token) and, in ``"int"`` mode, cut or padded to `output_sequence_length`."""
        length = self._output_sequence_length if self._output_mode == "int" else None
        if isinstance(tokens, np.ndarray):
            if length is None:
                return tokens
            tokens = tokens[..., :length]
            padding = [(0, 0)] * (tokens.ndim - 1) + [(0, length - tokens.shape[-1])]
            return np.pad(tokens, padding, constant_values="")
        if length is None:
            length = max((len(row) for row in tokens), default=0)
            if self._output_mode != "int":
                length = max(length, 1)
        padded = np.full((len(tokens), length), "", dtype=object)
        for i, row in enumerate(tokens):
            row = row[:length]
            padded[i, : len(row)] = row
        return padded.astype(str)

    # --- adapt ---------------------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from the texts of `data` (most frequent tokens first, ties: the
        larger token first); in ``"tf_idf"`` mode also the document frequencies.

        Args:
            data: a list, tuple or numpy array of strings, or batches of them: a
                `tf.data.Dataset`, a `kcore.utils.PyDataset` or another iterable.
            batch_size: unused (accepted for Keras compatibility).
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
            texts = host_strings(data, self, self._encoding)
            self.update_state(texts[:, None] if texts.ndim == 1 else texts)
        self.finalize_state()

    def update_state(self, data):
        tokens = self._tokens(data)
        if isinstance(tokens, np.ndarray):
            self._lookup_layer.update_state(tokens)
        else:
            self._lookup_layer._count_documents([np.asarray(row, dtype=str) for row in tokens])

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    # --- vocabulary ----------------------------------------------------------------------------

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary; with `include_special_tokens`, padding and OOV come first so that a
        token's position is its index."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The number of indices, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and IDF weights in ``"tf_idf"`` mode); see
        `StringLookup.set_vocabulary`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # --- calling -------------------------------------------------------------------------------

    def call(self, inputs):
        tokens = self._padded(self._tokens(inputs))
        lookup = self._lookup_layer
        if self._output_mode == "one_hot" and self._split is not None:
            # One vector per token: the token axis stays even when it has length 1.
            lookup._ensure_known_vocab_size()
            return ops.one_hot(lookup._lookup(tokens), lookup._depth(), dtype=int_dtype())
        return lookup.call(tokens)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            if self._split is None and self._output_sequence_length is None:
                return input_shape
            return (input_shape[0], self._output_sequence_length)
        if self._split is not None:
            input_shape = (input_shape[0] if input_shape else 1, None)
        return encoded_shape(input_shape, self._output_mode, self._lookup_layer._depth())

    def compute_output_spec(self, inputs):
        dtype = floatx() if self._output_mode == "tf_idf" else int_dtype()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # --- saving --------------------------------------------------------------------------------

    def get_config(self) -> dict:
        lookup = self._lookup_layer
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": listify(lookup.input_vocabulary),
            "idf_weights": listify(lookup.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config):
        from kcore.saving import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def save_own_variables(self, store) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path) -> None:
        self._lookup_layer.load_assets(dir_path)
