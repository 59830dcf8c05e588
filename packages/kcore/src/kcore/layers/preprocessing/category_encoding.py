"""`CategoryEncoding`: integer category ids in [0, num_tokens) to one-hot, multi-hot or count
vectors."""

from __future__ import annotations

from kcore import ops
from kcore.backend import KerasTensor, is_float_dtype
from kcore.layers.layer import Layer
from kcore.layers.preprocessing._encoding import encode, encoded_shape, validate_choice
from kcore.layers.preprocessing._inputs import concrete_values


class CategoryEncoding(Layer):
    """A preprocessing layer which encodes integer features.

    Inputs are integer ids in `[0, num_tokens)`. Called directly on concrete values, ids outside
    that range are an error; inside a model (where values are not read), they encode to zeros.
    For ids whose range is not known in advance, use `IntegerLookup`.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"one_hot"`` (each id to a vector; a last axis of size 1 is replaced),
            ``"multi_hot"`` (each sample, the last axis of a batch, to one vector with a 1 for
            each id present) or ``"count"`` (as multi-hot, with the number of occurrences).
        sparse: only False is supported.

    Call arguments:
        inputs: integer ids, of rank 1 (one sample) or 2 (a batch).
        count_weights: in ``"count"`` mode, a weight for each id, shaped like `inputs`.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> kcore.ops.convert_to_numpy(layer([[0, 1], [0, 0], [3, 1]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        validate_choice(
            output_mode, ("count", "one_hot", "multi_hot"), "CategoryEncoding", "output_mode"
        )
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known "
                "beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError(
                "CategoryEncoding: `sparse=True` is not supported by kcore (its backends have no "
                f"sparse outputs here). Received: sparse={sparse}. Use sparse=False."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    def _check_range(self, inputs) -> None:
        values = concrete_values(inputs, self)
        if values is None or values.size == 0:
            return
        low, high = values.min(), values.max()
        if low < 0 or high >= self.num_tokens:
            raise ValueError(
                f"Layer {self.name!r} (CategoryEncoding): input values must be in the range "
                f"0 <= value < num_tokens ({self.num_tokens}), but the inputs of shape "
                f"{values.shape} hold values from {low} to {high}. Raise `num_tokens`, or map the "
                "values to ids first (e.g. with `IntegerLookup`)."
            )

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. Received "
                    f"`count_weights={count_weights}`."
                )
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        inputs = ops.convert_to_tensor(inputs)
        if is_float_dtype(inputs.dtype):
            inputs = ops.cast(inputs, "int32")
        self._check_range(inputs)
        return encode(
            inputs, self.output_mode, self.num_tokens, self.dtype, count_weights=count_weights
        )

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        dtype = self.compute_dtype if count_weights is not None else self.dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }
