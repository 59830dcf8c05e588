"""`Embedding`: turns integer indices into rows of a trainable matrix."""

from __future__ import annotations

import warnings

from kcore import constraints, initializers, ops, regularizers
from kcore.backend.dtypes import standardize_dtype
from kcore.layers.core._unsupported import check_off
from kcore.layers.layer import Layer


class Embedding(Layer):
    """Turns nonnegative integers (indexes) into dense vectors of fixed size.

    An input of shape `(batch, length)` gives `(batch, length, output_dim)`: row `i` of the
    `embeddings` matrix for each index `i`.

    Args:
        input_dim: the vocabulary size (largest index + 1).
        output_dim: the size of each embedding vector.
        embeddings_initializer: the initializer of the `(input_dim, output_dim)` matrix
            (default ``"uniform"``).
        embeddings_regularizer, activity_regularizer: regularizers.
        embeddings_constraint: a constraint applied to the matrix after each update.
        mask_zero: whether index 0 is padding: the layer then outputs the mask `inputs != 0` for
            the layers after it (and index 0 is not a vocabulary entry).
        weights: an initial `(input_dim, output_dim)` matrix.
        lora_rank, lora_alpha, quantization_config: accepted for Keras compatibility; only None
            (off) is supported.

    Example:

    >>> import numpy as np, kcore
    >>> layer = kcore.layers.Embedding(1000, 64)
    >>> kcore.ops.shape(layer(np.array([[4, 20, 0]])))
    (1, 3, 64)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        activity_regularizer=None,
        **kwargs,
    ):
        check_off(
            "Embedding",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha if lora_rank else None,
            quantization_config=quantization_config,
        )
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Received an invalid value for `{name}`, expected a positive integer. "
                    f"Received: {name}={value}"
                )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        # Indices are never cast to the compute dtype.
        self.autocast = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )

    def call(self, inputs):
        if standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.embeddings, inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
