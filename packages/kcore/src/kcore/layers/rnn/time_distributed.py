"""`TimeDistributed`: applies a layer to every time step of a sequence, with the same weights."""

from __future__ import annotations

from kcore import ops, saving
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer


def _swap_batch_and_time(x):
    return ops.transpose(x, axes=[1, 0, *range(2, len(x.shape))])


class TimeDistributed(Layer):
    """Applies `layer` to every temporal slice of an input.

    The input is at least 3D, `(batch, time, ...)`; axis 1 is the time axis. The wrapped layer
    sees `(batch, ...)` slices, one call per time step (so layers that look at the whole batch,
    such as `BatchNormalization` in training, see one time step at a time), and its outputs are
    stacked back along axis 1.

    Args:
        layer: a `kcore.layers.Layer` instance.

    Call arguments:
        inputs: `(batch, time, ...)`.
        training: passed to the wrapped layer when its `call` takes it.
        mask: a boolean `(batch, time)` tensor; each step's slice is passed to the wrapped layer
            when its `call` takes a mask.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.TimeDistributed(kcore.layers.Dense(8))
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 10, 3))))
    (2, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `kcore.layers.Layer` "
                f"instance. Received: {layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def _child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"Layer {self.name!r} (TimeDistributed) expects an input of rank 3 or more, "
                f"(batch, time, ...), with the time steps on axis 1; received input shape "
                f"{input_shape}. Wrap the layer only where a time axis exists."
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        child_shape = self._child_input_shape(tuple(input_shape))
        if not self.layer.built:
            self.layer.build(child_shape)

    def compute_output_shape(self, input_shape):
        child_output = self.layer.compute_output_shape(self._child_input_shape(tuple(input_shape)))
        return (child_output[0], input_shape[1], *child_output[1:])

    def call(self, inputs, training=None, mask=None):
        if mask is not None:
            self._check_mask(inputs, mask)
            mask = _swap_batch_and_time(mask)
        steps = _swap_batch_and_time(inputs)

        def step(index):
            kwargs = {}
            if self.layer._call_has_mask_arg and mask is not None:
                kwargs["mask"] = mask[index]
            if self.layer._call_has_training_arg:
                kwargs["training"] = training
            return self.layer.call(steps[index], **kwargs)

        if steps.shape[0] is not None:
            outputs = ops.stack([step(index) for index in range(steps.shape[0])])
        else:
            outputs = ops.vectorized_map(step, ops.arange(ops.shape(steps)[0]))
        return _swap_batch_and_time(outputs)

    def _check_mask(self, inputs, mask) -> None:
        mask_shape, input_shape = tuple(mask.shape), tuple(inputs.shape)
        if len(mask_shape) < 2:
            raise ValueError(
                f"The `mask` passed to the `TimeDistributed` layer {self.name!r} must be at least "
                f"2D (batch_size, timesteps), but it has shape {mask_shape}."
            )
        for axis, what in ((0, "batch size"), (1, "timesteps")):
            if None not in (mask_shape[axis], input_shape[axis]):
                if mask_shape[axis] != input_shape[axis]:
                    raise ValueError(
                        f"The `mask` passed to the `TimeDistributed` layer {self.name!r} has "
                        f"shape {mask_shape}, incompatible with the input shape {input_shape}: "
                        f"its {what} must match the input's. Expected mask shape prefix: "
                        f"({input_shape[0]}, {input_shape[1]})."
                    )

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": saving.serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = saving.deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
