"""`HashedCrossing`: crosses categorical features (integers or strings) into a fixed number of
bins, with Keras's bin numbers."""

from __future__ import annotations

from kcore.backend import KerasTensor
from kcore.layers.layer import Layer
from kcore.layers.preprocessing._encoding import encode, validate_choice
from kcore.layers.preprocessing._hashing import cross_hash
from kcore.layers.preprocessing._inputs import host_values, int_dtype, to_backend


class HashedCrossing(Layer):
    """A preprocessing layer which crosses features using the "hashing trick".

    Each row of the inputs (one value from each feature) is hashed together into one of
    `num_bins` bins, as TensorFlow's ``cross_hashed`` does, so the bins are the ones Keras gives.
    The hashing runs on the host: call the layer on numpy arrays, lists or eager tensors (for
    example in the data pipeline, before `fit`); the result is a backend tensor.

    Args:
        num_bins: the number of bins.
        output_mode: ``"int"`` (bin indices) or ``"one_hot"``.
        sparse: only False is supported.

    Call arguments:
        inputs: a list or tuple of at least two features of equal shape `()`, `(batch,)` or
            `(batch, 1)`, each of integers or strings.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.HashedCrossing(num_bins=5)
    >>> kcore.ops.convert_to_numpy(layer(([1, 2, 3], ["A", "B", "C"]))).tolist()
    [2, 3, 3]
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError(
                "HashedCrossing: `sparse=True` is not supported by kcore (its backends have no "
                f"sparse outputs here). Received: sparse={sparse}. Use sparse=False."
            )
        validate_choice(output_mode, ("int", "one_hot"), "HashedCrossing", "output_mode")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def build(self, input_shape=None):
        """No weights to create: the base class would trace `call` on symbolic inputs."""

    def _convert_inputs(self, args, kwargs):
        # Strings stay on the host: the layer reads its inputs as numpy arrays.
        return args, kwargs

    def _features(self, inputs) -> list:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"Layer {self.name!r}: `HashedCrossing` should be called on a list or tuple of "
                f"inputs. Received: inputs of type {type(inputs).__name__}"
            )
        if len(inputs) < 2:
            raise ValueError(
                f"Layer {self.name!r}: `HashedCrossing` should be called on at least two inputs. "
                f"Received: {len(inputs)} input(s)"
            )
        features = [host_values(x, self) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                f"Layer {self.name!r}: all `HashedCrossing` inputs should have shape `()`, "
                f"`(batch_size)` or `(batch_size, 1)`. Received shapes: "
                f"{[x.shape for x in features]}"
            )
        if any(x.shape != shape for x in features[1:]):
            raise ValueError(
                f"Layer {self.name!r}: all `HashedCrossing` inputs should have equal shape. "
                f"Received shapes: {[x.shape for x in features]}"
            )
        for x in features:
            if x.dtype.kind not in "iuUSO":
                raise ValueError(
                    f"Layer {self.name!r}: all `HashedCrossing` inputs should have an integer or "
                    f"string dtype. Received dtypes: {[str(x.dtype) for x in features]}"
                )
        return features

    def call(self, inputs):
        features = self._features(inputs)
        shape = features[0].shape
        bins = cross_hash([x.reshape(-1) for x in features], self.num_bins).reshape(shape)
        if self.output_mode == "int":
            return to_backend(bins.astype(self.dtype))
        return encode(to_backend(bins), self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) < 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f"Layer {self.name!r}: expected as input a list/tuple of at least 2 tensors. "
                f"Received input_shape={input_shape}"
            )
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        if not shape or shape[-1] != 1:
            return (*(shape or (1,)), self.num_bins)
        return (*shape[:-1], self.num_bins)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        dtype = int_dtype(self.dtype) if self.output_mode == "int" else self.dtype
        return KerasTensor(shape, dtype=dtype)

    def get_config(self) -> dict:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }
