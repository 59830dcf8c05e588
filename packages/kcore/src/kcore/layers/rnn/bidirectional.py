"""`Bidirectional`: runs a recurrent layer forwards and a copy of it backwards over a sequence, and
merges the two outputs."""

from __future__ import annotations

import copy

from kcore import ops, saving
from kcore.layers.layer import Layer
from kcore.layers.rnn.rnn import shapes_to_specs

MERGE_MODES = ("sum", "mul", "ave", "concat", None)
_RECURRENT_ATTRIBUTES = ("go_backwards", "return_sequences", "return_state")


def _renamed_copy(layer, name, **changes):
    """A new layer made from `layer`'s config, named `name`, with `changes` to its config."""
    config = saving.serialize_keras_object(layer)
    config["config"].update(changes, name=name)
    return saving.deserialize_keras_object(config)


def _check_recurrent(layer, argument: str) -> None:
    if not isinstance(layer, Layer):
        raise ValueError(
            f"Bidirectional: `{argument}` must be a `kcore.layers.Layer` instance (a recurrent "
            f"layer such as LSTM or GRU). Received: {argument}={layer!r}"
        )
    missing = [name for name in _RECURRENT_ATTRIBUTES if not hasattr(layer, name)]
    if missing:
        raise ValueError(
            f"Bidirectional: `{argument}` must be a recurrent layer (RNN, LSTM, GRU, ...), "
            f"with the attributes {list(_RECURRENT_ATTRIBUTES)}; layer {layer.name!r} of type "
            f"{type(layer).__name__} lacks {missing}."
        )


def _merge(mode, forward, backward):
    if mode == "concat":
        return ops.concatenate([forward, backward], axis=-1)
    if mode == "sum":
        return forward + backward
    if mode == "ave":
        return (forward + backward) / 2
    if mode == "mul":
        return forward * backward
    return (forward, backward)


class Bidirectional(Layer):
    """Bidirectional wrapper for recurrent layers.

    The wrapped layer reads the sequence forwards; a copy of it (or `backward_layer`) reads it
    backwards, and the two outputs are merged. With `return_sequences`, the backward outputs
    are put back in the input's time order before merging, and masked steps give zeros.

    Args:
        layer: a recurrent layer (`RNN`, `LSTM`, `GRU`, ...; any layer with `go_backwards`,
            `return_sequences` and `return_state` attributes and a config). A new layer is made
            from its config: `layer`'s own weights are not used.
        merge_mode: how the outputs are combined: ``"concat"`` (default), ``"sum"``,
            ``"mul"``, ``"ave"``, or None (a pair `(forward, backward)`).
        weights: the initial weights (forward layer's, then backward layer's), set when the
            layer is built.
        backward_layer: the layer that reads backwards (default: a copy of `layer` with
            `go_backwards=True`). It must share `layer`'s `stateful`, `return_sequences` and
            `return_state`, and differ in `go_backwards`.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: the forward layer's initial states followed by the backward layer's.
        mask, training: passed to both layers.

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Bidirectional(kcore.layers.LSTM(4, return_sequences=True))
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 5, 3))))
    (2, 5, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        _check_recurrent(layer, "layer")
        if backward_layer is not None:
            _check_recurrent(backward_layer, "backward_layer")
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Bidirectional: invalid merge mode. Received: merge_mode={merge_mode!r}. Merge "
                'mode should be one of {"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        self.forward_layer = _renamed_copy(layer, f"forward_{layer.name.removeprefix('forward_')}")
        if backward_layer is None:
            backward_layer = _renamed_copy(
                layer, f"backward_{layer.name.removeprefix('backward_')}", go_backwards=True
            )
        self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for sublayer in (self.forward_layer, self.backward_layer):
            if getattr(sublayer, "zero_output_for_mask", None) is not None:
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Bidirectional {self.name!r}: the forward and backward layers should have "
                f"different `go_backwards` values. Received: forward_layer.go_backwards="
                f"{forward.go_backwards}, backward_layer.go_backwards={backward.go_backwards}"
            )
        for name in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, name, None) != getattr(backward, name, None):
                raise ValueError(
                    f"Bidirectional {self.name!r}: the forward and backward layers should have "
                    f"the same value for attribute {name!r}, got "
                    f"{getattr(forward, name, None)!r} for the forward layer and "
                    f"{getattr(backward, name, None)!r} for the backward layer."
                )

    # --- states ------------------------------------------------------------------------------

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)
        return None

    def reset_state(self) -> None:
        if not self.stateful:
            raise AttributeError(f"Bidirectional {self.name!r}: the layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        self.reset_state()

    # --- building and shapes -----------------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        for sublayer in (self.forward_layer, self.backward_layer):
            if not sublayer.built:
                sublayer.build(sequences_shape)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(tuple(sequences_shape))
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        elif self.merge_mode is None:
            output_shape = (output_shape, output_shape)
        if not self.return_state:
            return output_shape
        if self.merge_mode is None:
            return (*output_shape, *state_shapes, *state_shapes)
        return (output_shape, *state_shapes, *state_shapes)

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shapes = self.compute_output_shape(tuple(sequences.shape))
        return shapes_to_specs(shapes, self.compute_dtype)

    def compute_mask(self, _, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        if self.return_sequences:
            output_mask = mask if self.merge_mode else (mask, mask)
        else:
            output_mask = None if self.merge_mode else (None, None)
        if not self.return_state:
            return output_mask
        state_masks = (None,) * (2 * len(self.forward_layer.state_size))
        if self.merge_mode is None:
            return (*output_mask, *state_masks)
        return (output_mask, *state_masks)

    # --- calling -----------------------------------------------------------------------------

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._call_has_training_arg:
            kwargs["training"] = training
        if self.forward_layer._call_has_mask_arg:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(initial_state)
            if len(initial_state) % 2:
                raise ValueError(
                    f"Bidirectional {self.name!r}: `initial_state` holds the forward layer's "
                    "states followed by the backward layer's, so it needs an even number of "
                    f"tensors; received {len(initial_state)}."
                )
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        forward = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        backward = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(forward[1:]) + tuple(backward[1:])
            forward, backward = forward[0], backward[0]
        forward = ops.cast(forward, self.compute_dtype)
        backward = ops.cast(backward, self.compute_dtype)
        if self.return_sequences:
            backward = ops.flip(backward, axis=1)
        output = _merge(self.merge_mode, forward, backward)
        if not self.return_state:
            return output
        if self.merge_mode is None:
            return output + states
        return (output, *states)

    # --- config ------------------------------------------------------------------------------

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": saving.serialize_keras_object(self.forward_layer),
            "backward_layer": saving.serialize_keras_object(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = saving.deserialize_keras_object(
            config["layer"], custom_objects=custom_objects
        )
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = saving.deserialize_keras_object(
                backward, custom_objects=custom_objects
            )
        return cls(**config)
