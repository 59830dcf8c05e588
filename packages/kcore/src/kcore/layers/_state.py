"""What a layer's state is made of, found by walking its attributes (`LayerState`: weights,
variables, freezing, get/set_weights); the per-thread call context; automatic names."""

from __future__ import annotations

import collections
import threading
import weakref

from kcore.utils.naming import to_snake_case  # noqa: F401 - re-exported

_local = threading.local()

# Counts changes to what layers hold: bumped whenever a layer attribute is set to (or from) a layer,
# variable, seed generator or container, a layer creates a weight, or a Sequential model gains
# or loses a layer. Whoever keeps a list of a model's variables between calls (`predict`'s cached
# runner) checks it instead of walking every layer again.
structure_generation = 0


def structure_changed() -> None:
    global structure_generation
    structure_generation += 1


# The layers whose `_losses` list is not empty: an outermost call clears its layers' losses, and
# skips walking its sublayers while no layer holds any (the common case).
holding_losses: weakref.WeakSet = weakref.WeakSet()


class frozen_state:
    """While it is active, each layer's state is walked once and then read from `cache`: the
    steps of fit, evaluate and predict run many times on a model whose structure does not
    change (so an eager step does not walk every layer's attributes several times). A class, not
    a generator: it wraps every step, and costs a third as much."""

    __slots__ = ("cache", "previous")

    def __init__(self, cache: dict):
        self.cache = cache

    def __enter__(self):
        self.previous = getattr(_local, "state_cache", None)
        _local.state_cache = self.cache

    def __exit__(self, *exc_info):
        _local.state_cache = self.previous


def cached(owner, what: str, compute):
    """`compute()`, computed once per `frozen_state` for `owner` and `what` (always computed when
    no `frozen_state` is active)."""
    cache = getattr(_local, "state_cache", None)
    if cache is None:
        return compute()
    key = (id(owner), what)
    value = cache.get(key)
    if value is None:
        value = cache[key] = compute()
    return value


def collect_state(layer):
    """The sublayers, variables and seed generators `layer` holds in its attributes (also in
    lists, tuples and dicts), in attribute order, each once."""
    return cached(layer, "state", lambda: _collect_state(layer))


def _collect_state(layer):
    from kcore.backend.variables import Variable
    from kcore.layers.layer import Layer
    from kcore.random.seed_generator import SeedGenerator

    layers, variables, generators = [], [], []
    seen = {id(layer)}

    def visit(value):
        if id(value) in seen:
            return
        if isinstance(value, Layer):
            seen.add(id(value))
            layers.append(value)
        elif isinstance(value, Variable):
            seen.add(id(value))
            variables.append(value)
        elif isinstance(value, SeedGenerator):
            seen.add(id(value))
            generators.append(value)
        elif isinstance(value, (list, tuple)):
            seen.add(id(value))
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            seen.add(id(value))
            for item in value.values():
                visit(item)

    for name, value in vars(layer).items():
        if name not in _UNTRACKED:
            visit(value)
    return layers, variables, generators


class LayerState:
    """The state API of `Layer`: sublayers, weights and variables, found in its attributes."""

    def _state(self):
        return collect_state(self)

    @property
    def _layers(self) -> list:
        return self._state()[0]

    def _own_state_variables(self) -> list:
        layers, attribute_variables, _ = self._state()
        variables = list(self._own_variables)
        ids = {id(v) for v in variables}
        variables += [v for v in attribute_variables if id(v) not in ids]
        return variables

    @property
    def weights(self) -> list:
        """Every weight of the layer and its sublayers: own trainable, own non-trainable, then
        each sublayer's."""
        return list(cached(self, "weights", self._collect_weights))

    def _collect_weights(self) -> list:
        own = self._own_state_variables()
        result = [v for v in own if v.trainable] + [v for v in own if not v.trainable]
        seen = {id(v) for v in result}
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    result.append(v)
        return result

    @property
    def trainable_weights(self) -> list:
        return [v for v in self.weights if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        return [v for v in self.weights if not v.trainable] if self.trainable else self.weights

    @property
    def variables(self) -> list:
        """Every variable: the weights plus random-seed states."""
        return list(cached(self, "variables", self._collect_variables))

    def _collect_variables(self) -> list:
        result = list(self.weights)
        seen = {id(v) for v in result}
        for layer in [self, *self._flatten_layers(include_self=False)]:
            for variable in layer._non_weight_variables():
                if id(variable) not in seen:
                    seen.add(id(variable))
                    result.append(variable)
        return result

    def _non_weight_variables(self) -> list:
        """The layer's own variables that are state but not weights (not in `weights`, not
        saved): its seed generators' states. A layer with other such state (a stateful RNN's
        states) extends it."""
        return [generator.state for generator in self._state()[2]]

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        trainable = {id(v) for v in self.trainable_variables}
        return [v for v in self.variables if id(v) not in trainable]

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._own_state_variables():
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def _flatten_layers(self, include_self=True, recursive=True) -> list:
        result, seen = ([self] if include_self else []), {id(self)}
        pending = list(self._layers)
        while pending:
            layer = pending.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            if recursive:
                pending = layer._layers + pending
        return result

    def get_weights(self) -> list:
        """The values of `weights`, as numpy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights) -> None:
        """Sets `weights` from a list of arrays, in the order of `weights`."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer {self.name!r} expects {len(own)} weight arrays, but set_weights received "
                f"{len(weights)}. Expected shapes: {[v.shape for v in own]}."
            )
        for variable, value in zip(own, weights):
            shape = tuple(getattr(value, "shape", ()))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer {self.name!r} weight {variable.path!r} has shape {variable.shape}, "
                    f"but the array given for it has shape {shape}."
                )
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in the layer's weights (the layer must be built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name!r}, but the layer isn't "
                "built. You can build it manually via: `layer.build(input_shape)`."
            )
        return sum(_size(v.shape) for v in self.weights)


def _size(shape) -> int:
    count = 1
    for d in shape:
        count *= d
    return count


# Attributes that reference other objects without owning them.
_UNTRACKED = frozenset(
    {
        "_plan",
        "_input_tensors",
        "_output_tensors",
        "_inputs_struct",
        "_outputs_struct",
        "_input_layers",
        "_functional",
        "_runners",
        "_output_specs",
        "_compile_arguments",
        "_eval_iterator",
    }
)


class CallContext:
    """The state of the outermost layer call in progress: its layer and the `training` flag that
    inner layers inherit."""

    def __init__(self, entry_layer):
        self.entry_layer = entry_layer
        self.training = None


def get_call_context():
    return getattr(_local, "call_context", None)


def set_call_context(context) -> None:
    _local.call_context = context


_uids: collections.Counter = collections.Counter()


def unique_name(prefix: str) -> str:
    """``prefix`` the first time, then ``prefix_1``, ``prefix_2``, ... (as Keras names layers)."""
    _uids[prefix] += 1
    count = _uids[prefix]
    return prefix if count == 1 else f"{prefix}_{count - 1}"


def reset_names() -> None:
    _uids.clear()
