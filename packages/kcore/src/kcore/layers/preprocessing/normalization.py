"""`Normalization`: shifts and scales features to zero mean and unit variance, with the mean and
variance given or learned by `adapt`."""

from __future__ import annotations

import itertools
import math

import numpy as np

from kcore import config, ops
from kcore.backend import bound, standardize_dtype
from kcore.layers.layer import Layer
from kcore.layers.preprocessing._inputs import concrete_values, is_dataset, iterate_batches


class Normalization(Layer):
    """A preprocessing layer that normalizes continuous features: `(x - mean) / sqrt(variance)`.

    The mean and variance are either given to the constructor or computed from data by `adapt()`
    (and then kept in the layer's non-trainable weights ``mean``, ``variance`` and ``count``, as
    Keras keeps them). The layer runs with `kcore.ops`, so it works inside models on every
    backend.

    Args:
        axis: the axis or axes that keep a separate mean and variance for each index (default
            ``-1``, the feature axis); ``None`` uses one scalar mean and variance for everything.
        mean, variance: the statistics to use, broadcast to the kept axes; give both or neither.
        invert: apply the inverse transformation, `mean + x * sqrt(variance)`.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> layer = kcore.layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    >>> outputs = layer(np.array([1.0, 3.0], "float32"))
    >>> [round(v, 4) for v in kcore.ops.convert_to_numpy(outputs).tolist()]
    [-1.4142, 0.0]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        # Whether the statistics are known: given, adapted or loaded (see `_check_adapted`).
        self._adapted = mean is not None
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. Received: "
                f"mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                    f"{np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                    f"{self.axis}"
                )

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Layer {self.name!r} (Normalization): all `axis` values must be in the range "
                f"[-ndim, ndim). Received inputs with ndim={ndim} (shape {input_shape}), while "
                f"axis={self.axis}. Pass an axis that exists in the inputs, or axis=None for one "
                "global mean and variance."
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    f"Layer {self.name!r} (Normalization): all `axis` values to be kept must have "
                    f"a known shape. Received axis={self.axis}, inputs.shape={input_shape}, with "
                    f"unknown axis at index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(
            input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)
        )
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._mean_and_var_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance",
                shape=self._mean_and_var_shape,
                initializer="ones",
                trainable=False,
            )
            # Kept (at zero) as Keras keeps it, so that weights files match.
            self.count = self.add_weight(
                name="count",
                shape=(),
                dtype=standardize_dtype(int),
                initializer="zeros",
                trainable=False,
            )
        else:
            self._mean_value = self._broadcast_statistic(self.input_mean, "mean")
            self._variance_value = self._broadcast_statistic(self.input_variance, "variance")

    def _broadcast_statistic(self, value, what) -> np.ndarray:
        """A given `mean` or `variance` broadcast to the input's rank: its dimensions fill the
        kept axes from the right."""
        value = np.asarray(value, dtype="float32")
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        try:
            return np.broadcast_to(value.reshape(expanded), self._broadcast_shape)
        except ValueError:
            raise ValueError(
                f"Layer {self.name!r} (Normalization): `{what}` of shape {value.shape} cannot be "
                f"broadcast to the kept axes {self._keep_axis} of inputs of shape "
                f"{self._build_input_shape} (expected a shape that broadcasts to "
                f"{self._mean_and_var_shape})."
            ) from None

    def adapt(self, data):
        """Computes the mean and variance of `data` over the reduced axes and stores them.

        Args:
            data: a numpy array, an eager tensor, a list of numbers, or batches: a
                `tf.data.Dataset`, a `kcore.utils.PyDataset` or an iterable of arrays (a list of
                arrays, a generator); from `(x, y)` batches, `x` is used. Batches are combined
                exactly as one array would be.

        Raises:
            ValueError: when the data's rank or kept dimensions differ from the layer's inputs.
        """
        batches = None
        if isinstance(data, list) and data and not hasattr(data[0], "shape"):
            data = np.asarray(data, dtype="float32")
        if isinstance(data, np.ndarray) or bound.is_tensor(data):
            data = np.asarray(ops.convert_to_numpy(data))
            input_shape = data.shape
        elif is_dataset(data) or hasattr(data, "__iter__"):
            batches = self._batches(data)
            first = next(batches, None)
            if first is None:
                raise ValueError(
                    f"Layer {self.name!r} (Normalization): adapt() received an empty iterable (no "
                    "batches). Pass a non-empty array or iterable of arrays, e.g. "
                    "layer.adapt(x) or layer.adapt([batch1, batch2])."
                )
            input_shape = first.shape
            batches = itertools.chain([first], batches)
        else:
            raise TypeError(
                f"Layer {self.name!r} (Normalization): unsupported adapt() data of type "
                f"{type(data).__name__}. Pass a numpy array, a tensor, a tf.data.Dataset, a "
                "kcore.utils.PyDataset, or an iterable of arrays."
            )
        if not self.built:
            self.build(input_shape)
        self._check_adapt_shape(input_shape)
        if batches is None:
            mean = np.mean(data, axis=self._reduce_axis, dtype="float64")
            variance = np.var(data, axis=self._reduce_axis, dtype="float64")
        else:
            mean, variance = self._combined_statistics(batches)
        self.adapt_mean.assign(np.asarray(mean, "float32").reshape(self._mean_and_var_shape))
        self.adapt_variance.assign(
            np.asarray(variance, "float32").reshape(self._mean_and_var_shape)
        )
        self._adapted = True

    def _batches(self, data):
        if hasattr(data, "element_spec"):  # a tf.data.Dataset of single samples: batch it
            spec = data.element_spec
            spec = spec[0] if isinstance(spec, tuple) else spec
            if len(spec.shape) == 1:
                data = data.batch(128)
        for batch in iterate_batches(data):
            yield np.asarray(ops.convert_to_numpy(batch) if bound.is_tensor(batch) else batch)

    def _check_adapt_shape(self, shape) -> None:
        built = self._build_input_shape
        if self.input_mean is not None:
            raise ValueError(
                f"Layer {self.name!r} (Normalization) was given `mean` and `variance`; it cannot "
                "also be adapted. Create it without them to learn the statistics from data."
            )
        if len(shape) != len(built) or any(shape[d] != built[d] for d in self._keep_axis):
            raise ValueError(
                f"Layer {self.name!r} (Normalization) was built with input_shape={built}, but "
                f"adapt() is being called with data with an incompatible shape, "
                f"data.shape={tuple(shape)}. Expected rank {len(built)} and the sizes "
                f"{self._mean_and_var_shape} on the kept axes {self._keep_axis}."
            )

    def _combined_statistics(self, batches):
        """The mean and variance of all batches together, merged batch by batch."""
        total_mean = np.zeros(self._mean_and_var_shape)
        total_var = np.zeros(self._mean_and_var_shape)
        total_count = 0
        for batch in batches:
            self._check_adapt_shape(batch.shape)
            batch_mean = np.mean(batch, axis=self._reduce_axis, dtype="float64")
            batch_var = np.var(batch, axis=self._reduce_axis, dtype="float64")
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total_count += batch_count
            weight = batch_count / total_count
            new_mean = total_mean * (1.0 - weight) + batch_mean * weight
            # Lack-of-fit sum of squares: each part's variance plus its mean's squared offset.
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1.0 - weight) + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * weight
            total_mean = new_mean
        return total_mean, total_var

    def load_own_variables(self, store) -> None:
        super().load_own_variables(store)
        self._adapted = True

    def set_weights(self, weights) -> None:
        super().set_weights(weights)
        self._adapted = True

    def _statistics(self):
        dtype = self.compute_dtype
        if self.input_mean is not None:
            return (
                ops.convert_to_tensor(self._mean_value, dtype=dtype),
                ops.convert_to_tensor(self._variance_value, dtype=dtype),
            )
        mean = ops.reshape(ops.cast(self.adapt_mean, dtype), self._broadcast_shape)
        variance = ops.reshape(ops.cast(self.adapt_variance, dtype), self._broadcast_shape)
        return mean, variance

    def _check_adapted(self) -> None:
        """Raises when the layer is called directly before its statistics are known. Weights
        assigned another way (e.g. a model's `set_weights`) count once they differ from the
        initial zeros and ones."""
        if self._adapted:
            return
        mean = concrete_values(self.adapt_mean, self)
        variance = concrete_values(self.adapt_variance, self)
        if mean is None or variance is None:
            return
        if np.any(mean != 0) or np.any(variance != 1):
            self._adapted = True
            return
        raise ValueError(
            f"Layer {self.name!r} (Normalization) has no mean and variance yet. Call "
            "`layer.adapt(data)` before using it, pass `mean=` and `variance=` to its "
            "constructor, or load its weights."
        )

    def call(self, inputs):
        if ops.ndim(inputs) != len(self._broadcast_shape):
            raise ValueError(
                f"Layer {self.name!r} (Normalization) was built for inputs of shape "
                f"{self._build_input_shape} (rank {len(self._broadcast_shape)}), but received "
                f"inputs of shape {tuple(inputs.shape)}. Pass inputs of the same rank."
            )
        self._check_adapted()
        inputs = ops.cast(inputs, self.compute_dtype)
        mean, variance = self._statistics()
        scale = ops.maximum(ops.sqrt(variance), config.epsilon())
        if self.invert:
            return ops.add(mean, ops.multiply(inputs, scale))
        return ops.divide(ops.subtract(inputs, mean), scale)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }
