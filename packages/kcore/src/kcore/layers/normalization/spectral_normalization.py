"""`SpectralNormalization`: a wrapper that divides a layer's kernel by its spectral norm
(Miyato et al., 2018)."""

from __future__ import annotations

from kcore import initializers, ops
from kcore.backend.dtypes import is_float_dtype, standardize_dtype
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


class SpectralNormalization(Layer):
    """Wraps a layer that has a `kernel` (`Dense`, `Conv2D`...) or `embeddings` (`Embedding`)
    and keeps that weight's spectral norm (its largest singular value) near 1, which bounds the
    layer's Lipschitz constant and stabilizes e.g. GAN training.

    Each call with `training=True` runs `power_iterations` steps of power iteration from the
    non-trainable estimate `vector_u` (shape `(1, kernel.shape[-1])`), stores the new estimate,
    and replaces the kernel by `kernel / sigma`, its estimated spectral norm, before calling the
    wrapped layer. An all-zero kernel is left as it is. At inference the wrapped layer runs on its
    current kernel.

    Args:
        layer: the layer to wrap; it must have a `kernel` or an `embeddings` weight once built.
        power_iterations: the number of power-iteration steps per training call (at least 1).
        **kwargs: base layer arguments.

    Example:

    >>> import numpy as np
    >>> import kcore
    >>> dense = kcore.layers.Dense(4, name="dense")
    >>> layer = kcore.layers.SpectralNormalization(dense, name="spectral")
    >>> kcore.ops.shape(layer(np.ones((2, 3), "float32")))
    (2, 4)
    >>> [w.path for w in layer.weights]
    ['spectral/dense/kernel', 'spectral/vector_u', 'spectral/dense/bias']
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"SpectralNormalization: the layer to wrap must be a kcore layer, got {layer!r} "
                f"(type {type(layer).__name__})."
            )
        super().__init__(**kwargs)
        if (
            isinstance(power_iterations, bool)
            or not isinstance(power_iterations, int)
            or power_iterations <= 0
        ):
            raise ValueError(
                "SpectralNormalization: `power_iterations` should be an integer greater than "
                f"zero. Received: `power_iterations={power_iterations}`"
            )
        self.layer = layer
        self.power_iterations = power_iterations

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f'Layer "{self.name}" (SpectralNormalization): the wrapped layer '
                f'"{self.layer.name}" ({type(self.layer).__name__}) has no `kernel` nor '
                "`embeddings` weight to normalize. Wrap a layer with a kernel, such as Dense, "
                "Conv2D or Embedding."
            )
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        self.kernel = kernel
        self.kernel_shape = tuple(kernel.shape)
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:
            kernel = self.kernel.value
            vector_u, kernel = ops.cond(
                ops.all(ops.equal(kernel, 0)),
                lambda: (self.vector_u.value, kernel),
                self.normalized_weights,
            )
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        outputs = self.layer(inputs)
        # Float outputs come back in the input's dtype (token ids into an Embedding are no
        # float dtype to keep).
        dtype = standardize_dtype(inputs.dtype)
        if is_float_dtype(dtype) and standardize_dtype(outputs.dtype) != dtype:
            outputs = ops.cast(outputs, dtype)
        return outputs

    def normalized_weights(self):
        """The new `(vector_u, kernel)`: the power-iteration estimate and the kernel divided by
        the spectral norm it gives."""
        matrix = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(matrix)), axis=-1)
            vector_u = ops.normalize(ops.matmul(vector_v, matrix), axis=-1)
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, matrix), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(self.kernel, sigma), self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        from kcore.saving import serialize_keras_object

        return {
            **super().get_config(),
            "layer": serialize_keras_object(self.layer),
            "power_iterations": self.power_iterations,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kcore.saving import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
