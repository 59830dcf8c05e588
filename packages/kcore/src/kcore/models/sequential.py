"""`Sequential`: a plain stack of layers, each with one input and one output."""

from __future__ import annotations

from kcore.backend.keras_tensor import KerasTensor
from kcore.layers import _state
from kcore.layers.core.input_layer import InputLayer
from kcore.layers.layer import Layer
from kcore.models.model import Model


class Sequential(Model):
    """A linear stack of layers.

    It builds as soon as it knows its input shape (from an `Input`/`InputLayer` first layer, or a
    first layer given `input_shape`), else on its first call; then it runs as a Functional model.

    Args:
        layers: the layers, in order (or add them with `add`).
        trainable: whether its weights are trainable.
        name: the model's name.

    Example:

    >>> import kcore
    >>> model = kcore.Sequential([kcore.Input((784,)), kcore.layers.Dense(64)])
    >>> model.count_params()
    50240
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack: list = []
        self._functional = None
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True) -> None:
        """Appends `layer` (or an `Input` tensor) to the stack."""
        if (
            isinstance(layer, KerasTensor)
            and layer._keras_history is not None
            and isinstance(layer._keras_history[0].operation, InputLayer)
        ):
            layer = layer._keras_history[0].operation
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `kcore.Layer` can be added to a Sequential model. Received: "
                f"{layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError(
                f"Sequential model {self.name!r}: an InputLayer can only be the first layer, but "
                f"the model already has layers {[x.name for x in self._stack]}."
            )
        names = {x.name for x in self._stack}
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update the `name` '
                "argument to pass a unique name."
            )
        if not self._stack and not isinstance(layer, InputLayer) and layer._input_shape_arg:
            self._stack.append(
                InputLayer(shape=layer._input_shape_arg, batch_size=layer._batch_size_arg)
            )
        self._stack.append(layer)
        _state.structure_changed()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        _state.structure_changed()
        self.built = False
        self._functional = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        if self._stack and isinstance(self._stack[0], InputLayer) and len(self._stack) > 1:
            self.build(self._stack[0].batch_shape)

    @property
    def layers(self) -> list:
        """The layers of the stack (without the input layer)."""
        return [x for x in self._stack if not isinstance(x, InputLayer)]

    def build(self, input_shape=None):
        if input_shape is None:
            raise ValueError(
                f"Sequential model {self.name!r} cannot be built without an input shape: add an "
                "Input first (kcore.Input(shape=...)), or call the model on data."
            )
        from kcore.models.functional import Functional

        input_shape = tuple(input_shape)
        if self._stack and isinstance(self._stack[0], InputLayer):
            inputs = self._stack[0].output
            if tuple(inputs.shape[1:]) != tuple(input_shape[1:]):
                raise ValueError(
                    f"Sequential model {self.name!r} has input shape {inputs.shape}, but it was "
                    f"built with input shape {input_shape}."
                )
        else:
            dtype = self.layers[0].compute_dtype if self.layers else None
            layer = InputLayer(batch_shape=(None, *input_shape[1:]), dtype=dtype)
            self._stack.insert(0, layer)
            inputs = layer.output
        x = inputs
        for layer in self.layers:
            try:
                x = layer(x)
            except NotImplementedError:
                # A layer that cannot run symbolically: run the stack eagerly instead.
                self._functional = None
                self.built = True
                return
            if isinstance(x, (list, tuple, dict)):
                raise ValueError(
                    "All layers in a Sequential model should have a single output tensor. For "
                    f"multi-output layers, use the functional API. Layer {layer.name!r} returned "
                    f"{type(x).__name__}."
                )
        self._functional = Functional(inputs, x, name=f"{self.name}_functional")
        self._build_shapes = (None, *input_shape[1:])
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        x = inputs
        for layer in self.layers:
            kwargs = {}
            if layer._call_has_mask_arg and mask is not None:
                kwargs["mask"] = mask
            y = layer(x, **kwargs)
            mask = layer.compute_mask(x, mask) if layer.supports_masking or mask is None else None
            x = y
        return x

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs, training=training, mask=mask)
        return super().compute_output_spec(inputs, training=training, mask=mask)

    def compute_mask(self, inputs, previous_mask=None):
        if self._functional is not None:
            return self._functional.compute_mask(inputs, previous_mask)
        return None

    @property
    def inputs(self):
        return self._functional.inputs if self._functional is not None else None

    @property
    def outputs(self):
        return self._functional.outputs if self._functional is not None else None

    @property
    def input_shape(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model {self.name!r} is not built yet.")
        return self._functional.input_shape

    @property
    def output_shape(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model {self.name!r} is not built yet.")
        return self._functional.output_shape

    @property
    def input_dtype(self):
        layer = self._stack[0] if self._stack else None
        return layer.dtype if isinstance(layer, InputLayer) else self.compute_dtype

    def get_config(self) -> dict:
        from kcore.saving import serialize_keras_object

        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": super().get_config()["dtype"],
            "layers": [serialize_keras_object(layer) for layer in self._stack],
        }
        if self._build_shapes_known():
            config["build_input_shape"] = self._build_shapes
        return config

    def _build_shapes_known(self) -> bool:
        return getattr(self, "_build_shapes", None) is not None

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kcore.saving import deserialize_keras_object

        config = dict(config)
        layers = [
            deserialize_keras_object(layer, custom_objects=custom_objects)
            for layer in config.pop("layers", [])
        ]
        build_input_shape = config.pop("build_input_shape", None)
        model = cls(layers=layers, **config)
        if not model.built and build_input_shape is not None:
            model.build(build_input_shape)
        return model
