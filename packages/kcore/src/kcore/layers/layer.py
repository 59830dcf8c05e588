"""`Layer`: the base class of every layer and model.

A layer holds state (variables, created in `__init__` or `build`) and computation (`call`). Calling
it builds it on first use from the input shapes, checks its `input_spec`, resolves the `training`
flag and masks, and either runs `call` (eager tensors) or infers output shapes and records a graph
node (symbolic `KerasTensor`s, for Functional models).

Example:

>>> import kcore
>>> class Scale(kcore.layers.Layer):
...     def build(self, input_shape):
...         self.factor = self.add_weight(shape=(), initializer="ones", name="factor")
...     def call(self, x):
...         return x * self.factor
>>> layer = Scale(name="scale")
>>> kcore.ops.convert_to_numpy(layer(kcore.ops.ones((2,)) * 3)).tolist()
[3.0, 3.0]
>>> [w.path for w in layer.weights]
['scale/factor']
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import warnings

import optree

from kcore.backend import backend, bound, scopes
from kcore.backend.backend_bases import BackendLayer
from kcore.backend.keras_tensor import KerasTensor
from kcore.backend.variables import Variable
from kcore.layers import _state
from kcore.layers.input_spec import InputSpec, assert_input_compatibility
from kcore.ops._dispatch import SYMBOLIC, scan
from kcore.ops.node import Node, is_leaf
from kcore.random.seed_generator import SeedGenerator

_NOT_BUILT_STATE = (
    "You cannot add new elements of state (variables or sub-layers) to a layer that is already "
    "built. All state must be created in the `__init__()` method or in the `build()` method."
)


def _map(fn, structure):
    return optree.tree_map(fn, structure, is_leaf=is_leaf, none_is_leaf=True)


def _shapes(structure):
    return _map(lambda x: tuple(x.shape) if hasattr(x, "shape") else x, structure)


class Layer(_state.LayerState, BackendLayer):
    """The class every layer inherits from.

    Args:
        activity_regularizer: a regularizer applied to the layer's outputs (its value is added to
            the layer's `losses`).
        trainable: whether the layer's variables are updated by training.
        dtype: the dtype policy: a `DTypePolicy`, a policy name such as ``"mixed_float16"`` or a
            dtype (default: the global policy, floatx).
        autocast: whether float inputs are cast to the compute dtype, and float variables read in
            it under a mixed policy.
        name: the layer's name (default: the class name in snake case, made unique).
    """

    _keras_module = "keras.layers"
    # The shapes the layer was built with, and whether build took them by name.
    _build_shapes = None
    _build_shapes_by_name = False

    def __new__(cls, *args, **kwargs):
        # The backend's layer base (torch's nn.Module) joins the bases when it is activated: the
        # backend is active before the first layer exists.
        backend()
        layer = super().__new__(cls)
        # Wrap the subclass's `build` once per instance so that it runs in the layer's name scope
        # and marks the layer built, whoever calls it.
        build = layer.build

        @functools.wraps(build)
        def build_wrapper(*build_args, **build_kwargs):
            with scopes.name_scope(layer.name, caller=layer):
                build(*build_args, **build_kwargs)
            layer.built = True
            if len(build_args) == 1 and not build_kwargs:
                layer._build_shapes, layer._build_shapes_by_name = build_args[0], False
            elif build_kwargs and not build_args:
                layer._build_shapes, layer._build_shapes_by_name = dict(build_kwargs), True

        layer.build = build_wrapper
        layer._auto_config = _auto_config(cls, args, kwargs)
        return layer

    def __setattr__(self, name, value):
        # What the layer holds changes with this attribute (see `_state.structure_generation`).
        if name not in _state._UNTRACKED and (
            isinstance(value, _HOLDINGS) or isinstance(self.__dict__.get(name), _HOLDINGS)
        ):
            _state.structure_changed()
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if isinstance(self.__dict__.get(name), _HOLDINGS):
            _state.structure_changed()
        object.__delattr__(self, name)

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        from kcore import dtype_policies, regularizers

        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        input_shape = (input_dim,) if input_dim is not None else input_shape
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        self._batch_size_arg = batch_size
        self.name = (
            name
            if name is not None
            else _state.unique_name(_state.to_snake_case(type(self).__name__))
        )
        if not isinstance(self.name, str) or "/" in self.name:
            raise ValueError(f"A layer's name must be a string without '/', got {self.name!r}.")
        self.built = False
        self._trainable = bool(trainable)
        self.dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._own_variables: list[Variable] = []
        self._losses: list = []
        self.supports_masking = False
        self.input_spec = None
        signature = inspect.signature(self.call)
        self._call_signature = signature
        self._call_has_training_arg = "training" in signature.parameters
        self._call_has_mask_arg = "mask" in signature.parameters

    # --- state -------------------------------------------------------------------------------

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight variable of this layer and returns it.

        Args:
            shape: the shape (default ``()``).
            initializer: an initializer or its name (default ``"glorot_uniform"`` for floats,
                ``"zeros"`` otherwise).
            dtype: the variable's dtype (default: the policy's variable dtype).
            trainable: whether training updates it.
            autocast: whether it is read in the compute dtype under a mixed policy.
            regularizer, constraint: a regularizer / constraint (or name) applied to it.
            aggregation: how distributed replicas combine it.
            overwrite_with_gradient: optimizers replace it with its gradient.
            name: its name (its path is ``"<layer name>/<name>"``).
        """
        from kcore import constraints, initializers, regularizers
        from kcore.backend.dtypes import is_float_dtype, standardize_dtype

        if self.built:
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): {_NOT_BUILT_STATE} "
                f"Tried to add weight {name!r} after build."
            )
        dtype = standardize_dtype(dtype or self.dtype_policy.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        with scopes.name_scope(self.name, caller=self):
            variable = Variable(
                initializer,
                shape=tuple(shape or ()),
                dtype=dtype,
                trainable=trainable,
                autocast=autocast,
                aggregation=aggregation,
                name=name,
            )
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        if not self._trainable:
            variable.trainable = False
        self._own_variables.append(variable)
        _state.structure_changed()
        return variable

    add_variable = add_weight

    def save_own_variables(self, store) -> None:
        """Writes the layer's own variables (not its sublayers') into `store`, a mapping, under
        the keys ``"0"``, ``"1"``, ...: own trainable, then own non-trainable variables (Keras 3's
        weights-file layout). Override it, with `load_own_variables`, to save other state."""
        own = self._own_state_variables()
        variables = [v for v in own if v.trainable] + [v for v in own if not v.trainable]
        for index, variable in enumerate(variables):
            store[str(index)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Assigns the layer's own variables from `store`, as `save_own_variables` wrote them.

        Raises:
            ValueError: when `store` does not hold exactly one array of the right shape for each
                variable (nothing is assigned then).
        """
        own = self._own_state_variables()
        variables = [v for v in own if v.trainable] + [v for v in own if not v.trainable]
        where = f"layer {self.name!r}"
        if getattr(store, "path", None) is not None:
            where += f" (weights file path {store.path or '/'!r})"
        shapes = store.shapes() if hasattr(store, "shapes") else {k: store[k].shape for k in store}
        found = [(key, tuple(shape)) for key, shape in shapes.items()]
        expected = [(v.path, v.shape) for v in variables]
        if len(found) != len(variables):
            hint = ""
            if not variables and not self.built:
                hint = (
                    " The layer was never built, so it has no variables yet: make sure its "
                    "parent's `build()` builds it, or give it `build_from_config()` (and "
                    "`get_build_config()`) so that loading can rebuild it."
                )
            raise ValueError(
                f"The {where} expected {len(variables)} variables, but the weights file has "
                f"{len(found)} for it. Expected (variable path, shape): {expected}. Found "
                f"(key, shape): {found}.{hint}"
            )
        for (key, shape), variable in zip(found, variables):
            if shape != tuple(variable.shape):
                raise ValueError(
                    f"The {where}: variable {variable.path!r} has shape {variable.shape}, but "
                    f"the weights file has shape {shape} for it (key {key!r}). Expected "
                    f"(variable path, shape): {expected}. Found (key, shape): {found}."
                )
        for (key, _), variable in zip(found, variables):
            variable.assign(store[key])

    # --- dtype -------------------------------------------------------------------------------

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights (the policy's variable dtype)."""
        return self.dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self.dtype_policy.variable_dtype

    # --- losses ------------------------------------------------------------------------------

    def add_loss(self, loss) -> None:
        """Adds a scalar loss (a regularization term) that training adds to the model's loss."""
        scope = scopes.get_stateless_scope()
        if scope is not None:
            if scope.collect_losses:
                scope.add_loss(loss, owner=self)
            return
        self._losses.append(loss)
        _state.holding_losses.add(self)

    @property
    def losses(self) -> list:
        """Losses added by `add_loss` during the last call (this layer and its sublayers), plus the
        weight regularization terms."""
        result = []
        scope = scopes.get_stateless_scope()
        collecting = scope is not None and scope.collect_losses
        for layer in self._flatten_layers():
            # Inside a stateless scope (a traced step) the losses of this call live in the scope.
            result.extend(scope.losses_of(layer) if collecting else layer._losses)
        for variable in self.weights:
            if variable.regularizer is not None:
                result.append(variable.regularizer(variable.value))
        return result

    def _clear_losses(self) -> None:
        if not _state.holding_losses:
            return  # No layer holds eager losses: nothing to walk.
        for layer in self._flatten_layers():
            layer._losses.clear()
            _state.holding_losses.discard(layer)

    # --- building ----------------------------------------------------------------------------

    def build(self, input_shape=None):
        """Creates the layer's weights from the input shape. The default builds any sublayers by
        running `call` on symbolic inputs of that shape."""
        if input_shape is None or not self._layers and type(self).call is Layer.call:
            return
        try:
            self._symbolic_call((_map_shapes_to_tensors(input_shape, self.compute_dtype),), {})
        except Exception as error:
            warnings.warn(
                f"`build()` was called on layer {self.name!r}, however the layer does not have a "
                "`build()` method implemented and it looks like it has unbuilt state "
                f"({type(error).__name__}: {error}). This will cause the layer to be marked as "
                "built, despite not being actually built, which may cause failures down the line. "
                "Make sure to implement a proper `build()` method.",
                stacklevel=2,
            )

    def _maybe_build(self, args, kwargs) -> None:
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        input_shape = _shapes(first)
        build_params = inspect.signature(self.build).parameters
        params = list(build_params)
        if not params:
            self.build()
        elif len(params) == 1:
            self.build(input_shape)
        else:
            # build(self, query_shape, value_shape): one shape per call argument of that name.
            arguments = self._call_signature.bind(*args, **kwargs).arguments
            shapes = {}
            for param in params:
                key = param[: -len("_shape")] if param.endswith("_shape") else param
                optional = build_params[param].default is not inspect.Parameter.empty
                if optional and arguments.get(key) is None:
                    continue  # an optional input left out, such as `key` of attention layers
                if key not in arguments:
                    raise ValueError(
                        f"Layer {self.name!r}: its build() argument {param!r} does not name an "
                        f"argument of call() (expected '<call argument>_shape')."
                    )
                shapes[param] = _shapes(arguments[key])
            self.build(**shapes)
        self.built = True

    # --- calling -----------------------------------------------------------------------------

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not implement `call()`. Define "
            "`call(self, inputs)` in your layer."
        )

    def __call__(self, *args, **kwargs):
        args, kwargs = self._convert_inputs(args, kwargs)
        first = args[0] if args else (next(iter(kwargs.values())) if kwargs else None)
        symbolic = bool(scan(args) & SYMBOLIC or (kwargs and scan(kwargs.values()) & SYMBOLIC))

        # The graph node records the call as the user wrote it: `training` and `mask` are filled
        # in again each time the graph runs (a default recorded now would freeze them).
        call_kwargs = dict(kwargs) if symbolic else kwargs
        context = _state.get_call_context()
        is_entry = context is None
        if is_entry:
            context = _state.CallContext(self)
            _state.set_call_context(context)
        try:
            if is_entry and not symbolic:
                self._clear_losses()
            training = kwargs.get("training")
            if training is None:
                training = context.training
                if training is None and self._call_has_training_arg:
                    training = self._call_signature.parameters["training"].default
                    training = None if training is inspect.Parameter.empty else training
            previous_training = context.training
            context.training = training
            if self._call_has_training_arg and training is not None:
                kwargs["training"] = training
            elif "training" in kwargs and not self._call_has_training_arg:
                kwargs.pop("training")

            # Masks ride on symbolic tensors (and on eager tensors that accept attributes).
            wants_mask = self._call_has_mask_arg and "mask" not in kwargs
            previous_mask = None
            if wants_mask or (symbolic and self.supports_masking):
                previous_mask = _map(lambda x: getattr(x, "_keras_mask", None), first)
            if wants_mask and any(
                m is not None for m in optree.tree_leaves(previous_mask, none_is_leaf=True)
            ):
                kwargs["mask"] = previous_mask

            if not self.built:
                self._maybe_build(args, kwargs)
            if self.input_spec:
                assert_input_compatibility(self.input_spec, first, self.name)
            try:
                if symbolic:
                    outputs = self._symbolic_call(args, kwargs)
                else:
                    with self._autocast_scope():
                        outputs = self.call(*args, **kwargs)
                    if self.activity_regularizer is not None:
                        for output in optree.tree_leaves(outputs):
                            loss = self.activity_regularizer(output)
                            if len(output.shape):
                                # Keras 3 divides it by the batch size (a strength that does
                                # not depend on the batch size).
                                batch_size = bound.cast(bound.shape(output)[0], loss.dtype)
                                loss = bound.divide_no_nan(loss, batch_size)
                            self.add_loss(loss)
            finally:
                context.training = previous_training
            if symbolic:
                if self.supports_masking:
                    self._set_mask_metadata(first, outputs, previous_mask)
                Node(self, args, call_kwargs, outputs)
            return outputs
        finally:
            if is_entry:
                _state.set_call_context(None)

    def _autocast_scope(self):
        if self.autocast and self.compute_dtype != self.variable_dtype:
            return scopes.AutocastScope(self.compute_dtype)
        return (
            scopes.AutocastScope(None) if scopes.get_autocast_scope() else contextlib.nullcontext()
        )

    def _convert_inputs(self, args, kwargs):
        """Turns numpy and Python inputs of the first argument into tensors, and float ones into
        the compute dtype (when `autocast`)."""
        if not args:
            return args, kwargs
        dtype = self.compute_dtype

        def convert(x):
            if isinstance(x, (KerasTensor, Variable)) or x is None:
                if isinstance(x, KerasTensor):
                    return self.dtype_policy.convert_input(x, self.autocast, dtype)
                return x
            if not bound.is_tensor(x):
                if not hasattr(x, "shape") and not isinstance(x, (int, float, bool)):
                    return x
                x = bound.convert_to_tensor(x)
            return self.dtype_policy.convert_input(x, self.autocast, dtype)

        first = args[0]
        if isinstance(first, (list, tuple, dict)):
            return (_map(convert, first), *args[1:]), kwargs
        return (convert(first), *args[1:]), kwargs

    def _symbolic_call(self, args, kwargs):
        # Shape inference never changes state: assignments and losses go to a throwaway scope.
        with scopes.StatelessScope():
            return self.compute_output_spec(*args, **kwargs)

    def _set_mask_metadata(self, inputs, outputs, previous_mask) -> None:
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        flat_outputs = optree.tree_leaves(outputs, none_is_leaf=True)
        flat_masks = optree.tree_leaves(masks, none_is_leaf=True)
        if len(flat_masks) != len(flat_outputs):
            flat_masks = flat_masks[:1] * len(flat_outputs)
        for output, mask in zip(flat_outputs, flat_masks):
            try:
                output._keras_mask = mask
            except AttributeError:
                pass

    def compute_mask(self, inputs, previous_mask):
        """The output mask: the input mask passed through when `supports_masking`, else None."""
        return previous_mask if self.supports_masking else None

    def compute_output_shape(self, *args, **kwargs):
        """The output shape(s) for input shape(s); by default found by running `call` on
        symbolic inputs."""
        specs = _map_shapes_to_tensors(args[0] if args else None, self.compute_dtype)
        outputs = self._symbolic_call((specs, *args[1:]), kwargs)
        return _shapes(outputs)

    def compute_output_spec(self, *args, **kwargs):
        """The output `KerasTensor`(s) for symbolic inputs: from `compute_output_shape` when the
        layer defines it, else by running `call` on placeholders."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            # `training` and `mask` steer `call`, they are no shapes.
            shape_kwargs = {k: v for k, v in kwargs.items() if k not in ("training", "mask")}
            shapes = self.compute_output_shape(*_shapes(args), **shape_kwargs)
            dtype = self.compute_dtype
            if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
                return KerasTensor(shapes, dtype=dtype)
            return optree.tree_map(
                lambda s: KerasTensor(s, dtype=dtype),
                shapes,
                is_leaf=lambda s: (
                    isinstance(s, tuple) and all(d is None or isinstance(d, int) for d in s)
                ),
            )

        def run(*call_args, **call_kwargs):
            with self._autocast_scope():
                return self.call(*call_args, **call_kwargs)

        return bound.compute_output_spec(run, *args, **kwargs)

    def stateless_call(
        self,
        trainable_variables,
        non_trainable_variables,
        *args,
        return_losses=False,
        **kwargs,
    ):
        """Calls the layer as a pure function of the given variable values.

        Returns `(outputs, non_trainable_variables)` (the new values of the non-trainable
        variables, e.g. moving statistics and seed states), plus the losses with
        `return_losses=True`. The layer's own variables are not changed: this is the form a
        jit-compiled step needs.
        """
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(non_trainable_variables) != len(
            non_trainable
        ):
            raise ValueError(
                f"stateless_call on {self.name!r}: expected {len(trainable)} trainable and "
                f"{len(non_trainable)} non-trainable variable values, got "
                f"{len(trainable_variables)} and {len(non_trainable_variables)}."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(
            zip(non_trainable, non_trainable_variables)
        )
        with scopes.StatelessScope(mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            new_values = [
                scope.get_current_value(v) if scope.get_current_value(v) is not None else value
                for v, value in zip(non_trainable, non_trainable_variables)
            ]
        if return_losses:
            return outputs, new_values, scope.losses
        return outputs, new_values

    # --- config ------------------------------------------------------------------------------

    def get_config(self) -> dict:
        """The layer's constructor arguments, so that `from_config(get_config())` recreates it."""
        from kcore import dtype_policies

        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policies.serialize(self.dtype_policy),
        }
        if self.activity_regularizer is not None:
            from kcore import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if type(self).get_config is Layer.get_config and type(self).__init__ is not Layer.__init__:
            # A subclass without get_config: its constructor arguments, as Keras does.
            if self._auto_config is None:
                raise NotImplementedError(
                    f"Layer {type(self).__name__} was created by passing non-serializable "
                    "argument values in `__init__()`, and therefore the layer must override "
                    "`get_config()` in order to be serializable."
                )
            config.update(self._auto_config)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        """What `build_from_config` needs to rebuild the layer (its input shape)."""
        shapes = getattr(self, "_build_shapes", None)
        if shapes is None:
            return None
        if self._build_shapes_by_name:
            return {"shapes_dict": shapes}
        return {"input_shape": shapes}

    def build_from_config(self, config):
        if not config or self.built:
            return
        if config.get("shapes_dict") is not None:
            self.build(**config["shapes_dict"])
        elif config.get("input_shape") is not None:
            self.build(config["input_shape"])

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# What a layer attribute can hold that is part of the layer's state (see `_state.collect_state`).
_HOLDINGS = (Layer, Variable, SeedGenerator, list, tuple, dict)


def _map_shapes_to_tensors(shape, dtype):
    if shape is None:
        return None
    if isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape):
        return KerasTensor(tuple(shape), dtype=dtype)
    if isinstance(shape, dict):
        return {k: _map_shapes_to_tensors(v, dtype) for k, v in shape.items()}
    return type(shape)(_map_shapes_to_tensors(s, dtype) for s in shape)


def _auto_config(cls, args, kwargs):
    """The constructor arguments of a layer, when they are all plain (JSON-like) values."""
    try:
        call = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return None
    config = {}
    for name, value in list(call.arguments.items())[1:]:
        kind = inspect.signature(cls.__init__).parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            config.update(value)
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None
        else:
            config[name] = value
    plain = (str, int, float, bool, type(None))
    leaves = optree.tree_leaves(config, none_is_leaf=True)
    return config if all(isinstance(x, plain) for x in leaves) else None


__all__ = ["InputSpec", "Layer"]
