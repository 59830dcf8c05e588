"""`Model`: a layer with the model API (layers, summary, weights); `Model(inputs, outputs)` makes a
Functional model, and subclassing `Model` makes a subclassed one."""

from __future__ import annotations

from kcore.layers.layer import Layer
from kcore.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """A model: groups layers and trains them (`compile`, `fit`, `evaluate`, `predict`).

    Two ways to make one:

    - Functional: `kcore.Model(inputs, outputs)` with `kcore.Input` tensors.
    - Subclassing: define layers in `__init__` and the forward pass in `call`.

    Example:

    >>> import kcore
    >>> class TwoLayers(kcore.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = kcore.layers.Dense(8, activation="relu")
    ...         self.out = kcore.layers.Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> model = TwoLayers()
    >>> kcore.ops.shape(model(kcore.ops.ones((2, 3))))
    (2, 1)
    >>> model.count_params()
    41
    """

    _keras_module = "keras"

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_arguments(args, kwargs):
            from kcore.models.functional import Functional

            # Python then runs Functional.__init__ on it (it is an instance of Model).
            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__ got inputs/outputs: to build a Functional model "
                "call kcore.Model(inputs, outputs) (or a Functional subclass); a subclassed model "
                "takes no inputs or outputs."
            )
        super().__init__(**kwargs)

    @property
    def layers(self) -> list:
        """The model's direct sublayers, in the order they were set."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """The layer named `name`, or the one at position `index` of `layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints Keras's table of the model's layers, output shapes and parameter counts."""
        from kcore.utils.summary_utils import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    # --- saving ------------------------------------------------------------------------------

    def save(self, filepath, overwrite=True, zipped=True, **kwargs):
        """Saves the model (config, weights, optimizer state) as a `.keras` file."""
        from kcore.saving import saving_api

        return saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and the optimizer's state) as a `.weights.h5` file."""
        from kcore.saving import saving_api

        return saving_api.save_weights(
            self, filepath, overwrite=overwrite, max_shard_size=max_shard_size
        )

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights saved by `save_weights` (kcore or Keras 3)."""
        from kcore.saving import saving_api

        return saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Recreates a model from `get_config()`: a Functional config (with ``layers``,
        ``input_layers`` and ``output_layers``) rebuilds the graph; any other config is passed to
        the constructor."""
        if {"layers", "input_layers", "output_layers"} <= set(config):
            from kcore.models.functional import Functional
            from kcore.models.functional_config import functional_from_config

            target = cls if issubclass(cls, Functional) else Functional
            return functional_from_config(target, config, custom_objects=custom_objects)
        return cls(**config)

    def build(self, input_shape=None):
        """Builds a subclassed model by running `call` on symbolic inputs of `input_shape`."""
        if input_shape is None:
            raise ValueError(
                f"Model {self.name!r} cannot be built without an input shape: call it on data, "
                "or call `model.build(input_shape)` with the shape of a batch, e.g. (None, 784)."
            )
        super().build(input_shape)


def _functional_arguments(args, kwargs) -> bool:
    return (
        (len(args) == 2)
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )
