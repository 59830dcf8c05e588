"""`Optimizer`: the base class of Keras 3's optimizers, and gradient clipping by global norm.

An optimizer owns non-trainable state (`variables`: the step counter ``iteration``, the
``learning_rate`` and per-weight slots such as Adam's moments) and updates trainable variables from
gradients with `apply`. Everything `apply` runs is traceable: value-dependent choices (gradient
accumulation, EMA overwrites) are made with `ops.where`, never with Python branches, so a trainer
can run `stateless_apply` as a pure function under a compiler.

Example:

>>> import kcore
>>> w = kcore.Variable([1.0, 2.0])
>>> opt = kcore.optimizers.SGD(learning_rate=0.5)
>>> opt.apply([kcore.ops.convert_to_tensor([1.0, 1.0])], [w])
>>> w.numpy().tolist()
[0.5, 1.5]
"""

from __future__ import annotations

import re
import warnings

from kcore import ops
from kcore.backend import bound, capabilities, floatx
from kcore.backend.scopes import StatelessScope, in_stateless_scope, name_scope
from kcore.backend.variables import Variable
from kcore.layers._state import to_snake_case, unique_name
from kcore.optimizers.optimizer_variables import OptimizerVariables
from kcore.optimizers.schedules import learning_rate_schedule
from kcore.saving import serialization

base_optimizer_keyword_args = """name: String, the name of the optimizer (and the name scope of
            its variables).
        weight_decay: Float. If set, weight decay is applied.
        clipnorm: Float. If set, the gradient of each weight is individually
            clipped so that its norm is no higher than this value.
        clipvalue: Float. If set, the gradient of each weight is clipped to be
            no higher than this value.
        global_clipnorm: Float. If set, the gradient of all weights is clipped
            so that their global norm is no higher than this value.
        use_ema: Boolean, defaults to `False`. If `True`, an exponential moving
            average (EMA) of the weights is kept, and the weights are periodically
            overwritten with it.
        ema_momentum: Float, defaults to 0.99. Only used if `use_ema=True`:
            `new_average = ema_momentum * old_average + (1 - ema_momentum) * value`.
        ema_overwrite_frequency: Int or None, defaults to None. Only used if
            `use_ema=True`: every `ema_overwrite_frequency` iterations the weights
            are overwritten with their moving average. With None they are
            overwritten only by `finalize_variable_values()` (which `fit()` calls
            at the end of training).
        loss_scale_factor: Float or `None`. If a float, `scale_loss` multiplies
            the loss by it and the gradients are divided by it before the update
            (mixed precision). `LossScaleOptimizer` sets a dynamic factor instead.
        gradient_accumulation_steps: Int or `None`. If an int, the weights are
            updated every `gradient_accumulation_steps` steps, with the mean of the
            gradients since the last update. Learning rate schedules see the real
            step count; `iterations` (and EMA) count the updates."""


def _default_int_dtype() -> str:
    return "int64" if "int64" in capabilities().dtypes else "int32"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Optimizer(OptimizerVariables):
    """The base class of optimizers.

    A new optimizer subclasses it and overrides `build` (create the slot variables with
    `add_variable_from_reference` or `add_optimizer_variables`), `update_step` (update one
    variable from its gradient) and `get_config`. Everything `update_step` does must be
    traceable: use `ops` functions and the optimizer's `assign*` methods, no Python ``if`` on
    tensor values.

    Args:
        learning_rate: a float, a `kcore.optimizers.schedules.LearningRateSchedule` (called with
            the step count) or a callable taking no argument that returns the learning rate.
        {{base_optimizer_keyword_args}}
        **kwargs: ``decay`` is accepted and ignored, with a warning, as in Keras 3.

    Example:

    >>> import kcore
    >>> class PlainSGD(kcore.optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         lr = kcore.ops.cast(learning_rate, variable.dtype)
    ...         self.assign_sub(variable, kcore.ops.multiply(gradient, lr))
    >>> w = kcore.Variable([1.0])
    >>> PlainSGD(learning_rate=0.1).apply([kcore.ops.convert_to_tensor([2.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.8]
    """

    _keras_module = "keras.optimizers"

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        self._lock = False
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored. Use a "
                "`kcore.optimizers.schedules.LearningRateSchedule` as `learning_rate` instead.",
                stacklevel=2,
            )
        if kwargs:
            raise ValueError(
                f"{type(self).__name__}: argument(s) not recognized: {sorted(kwargs)}. Check "
                "their spelling against the optimizer's signature."
            )
        if name is None:
            name = unique_name(to_snake_case(type(self).__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps is not None and (
            not isinstance(gradient_accumulation_steps, int) or gradient_accumulation_steps < 2
        ):
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2 (or None for no "
                f"accumulation). Received: gradient_accumulation_steps={gradient_accumulation_steps!r}"
            )
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(
                    f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency is not None and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency!r}"
                )
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        clip_args = {
            "clipnorm": clipnorm,
            "clipvalue": clipvalue,
            "global_clipnorm": global_clipnorm,
        }
        if sum(value is not None for value in clip_args.values()) > 1:
            given = ", ".join(f"{k}={v}" for k, v in clip_args.items() if v is not None)
            raise ValueError(
                f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"{given}. Keep the one you want and drop the others."
            )
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}

        with name_scope(self.name, caller=self):
            self._iterations = Variable(
                0,
                name="iteration",
                dtype=_default_int_dtype(),
                trainable=False,
                aggregation="only_first_replica",
            )
        self._track_variable(self._iterations)

        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            if not _is_number(learning_rate):
                raise ValueError(
                    "Argument `learning_rate` should be a float, a LearningRateSchedule, or a "
                    "callable taking no argument that returns the learning rate. Received: "
                    f"learning_rate={learning_rate!r}"
                )
            with name_scope(self.name, caller=self):
                self._learning_rate = Variable(
                    float(learning_rate),
                    name="learning_rate",
                    dtype=floatx(),
                    trainable=False,
                    aggregation="only_first_replica",
                )
            self._track_variable(self._learning_rate)

    # ----------------------------------------------------------------------------- state

    @property
    def iterations(self):
        """The number of updates applied: the ``iteration`` variable, or, with gradient
        accumulation, the number of real updates (steps // `gradient_accumulation_steps`)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    def build(self, var_list):
        """Creates the optimizer's variables for the trainable variables `var_list`.

        Subclasses call ``super().build(var_list)`` first, then create their slots.

        Args:
            var_list: the list of trainable variables the optimizer will update.
        """
        var_list = list(var_list)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = [
                self.add_variable_from_reference(v, name="gradient_accumulator") for v in var_list
            ]
        for i, variable in enumerate(var_list):
            self._trainable_variables_indices[self._var_key(variable)] = i
        self._trainable_variables = var_list
        self.built = True

    # ------------------------------------------------------------------------ learning rate

    @property
    def learning_rate(self):
        """The current learning rate: the ``learning_rate`` variable, or the schedule evaluated at
        the step count. Settable with a float (assigned to the variable), a schedule or a
        callable."""
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if callable(self._learning_rate):
            return self._learning_rate()
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            if previous is None:
                raise TypeError(
                    f"Optimizer '{self.name}' was created with a `LearningRateSchedule` (or "
                    "callable) as its `learning_rate`, so its learning rate cannot be set to a "
                    f"number (received {learning_rate!r}). Create the optimizer with a float "
                    "`learning_rate` to make it settable."
                )
            self._learning_rate.assign(learning_rate)
        if previous is not None and not isinstance(self._learning_rate, Variable):
            self._untrack_variable(previous)

    # ------------------------------------------------------------------------------ apply

    def update_step(self, gradient, variable, learning_rate):
        """Updates one `variable` from its `gradient`; subclasses implement it (traceably)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update_step(gradient, variable, learning_rate)."
        )

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns the ``iteration`` variable."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates the trainable variables from their gradients.

        Order, as in Keras 3: gradients that are None are skipped (with a warning), variables with
        ``overwrite_with_gradient`` take their gradient, the gradients are divided by
        `loss_scale_factor`, accumulated (`gradient_accumulation_steps`), clipped, weight decay
        is applied, `update_step` runs for each variable, constraints are applied, EMA is
        updated, and the step counter grows by one.

        Args:
            grads: the gradients, one per variable (or None).
            trainable_variables: the variables; optional once the optimizer is built (the list it
                was built with is used). The first call with them builds the optimizer.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `trainable_variables`, the optimizer must "
                    "already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first, or pass the variables."
                )
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"Received {len(grads)} gradients, but optimizer '{self.name}' was built "
                    f"with {len(self._trainable_variables)} trainable variables. Pass one "
                    "gradient per variable, in the order the optimizer was built with."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                with name_scope(self.name, caller=self):
                    self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)

        with name_scope(self.name, caller=self):
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
                grads, trainable_variables
            )
            if grads:
                if self.loss_scale_factor is not None:
                    grads = [ops.divide(g, self.loss_scale_factor) for g in grads]
                self._backend_apply_gradients(grads, trainable_variables)
                for variable in trainable_variables:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable.value))
        self._iterations.assign_add(1)

    def _check_variables_are_known(self, variables):
        for variable in variables:
            if self._var_key(variable) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {getattr(variable, 'path', variable)!r}. Optimizer "
                    f"'{self.name}' can only update the variables it was built with. To train a "
                    "new set of variables, create a new optimizer."
                )

    def _backend_apply_gradients(self, grads, trainable_variables):
        """Accumulation, clipping, weight decay, the update itself and EMA, all traceable."""
        if self.gradient_accumulation_steps:
            steps = self.gradient_accumulation_steps
            is_update_step = ops.equal(ops.mod(self._iterations.value + 1, steps), 0)
            # The update is computed on every step and kept only on update steps (ops.where), so
            # the step stays one traceable function with static shapes.
            # Copies: on backends with mutable variables the values change in place.
            old_trainable = [ops.copy(v.value) for v in trainable_variables]
            old_optimizer = [ops.copy(v.value) for v in self.variables]
            accumulators = [
                self._accumulated_gradients[self._get_variable_index(v)]
                for v in trainable_variables
            ]
            summed = [
                ops.add(ops.cast(g, acc.dtype), acc.value) for g, acc in zip(grads, accumulators)
            ]
            new_accumulators = [ops.where(is_update_step, ops.zeros_like(s), s) for s in summed]
            grads = [
                ops.where(is_update_step, ops.divide(s, steps), ops.cast(g, s.dtype))
                for g, s in zip(grads, summed)
            ]
            self._update_with_processed_gradients(grads, trainable_variables)
            for variable, old in zip(trainable_variables, old_trainable):
                variable.assign(ops.where(is_update_step, variable.value, old))
            for variable, old in zip(self.variables, old_optimizer):
                variable.assign(ops.where(is_update_step, variable.value, old))
            for accumulator, value in zip(accumulators, new_accumulators):
                accumulator.assign(value)
        else:
            self._update_with_processed_gradients(grads, trainable_variables)

        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                overwrite = ops.equal(
                    ops.mod(ops.add(self.iterations, 1), self.ema_overwrite_frequency), 0
                )
                for variable, average in zip(
                    self._trainable_variables, self._model_variables_moving_average
                ):
                    if average is not None:
                        variable.assign(ops.where(overwrite, average.value, variable.value))

    def _update_with_processed_gradients(self, grads, trainable_variables):
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(trainable_variables)
        self._backend_update_step(grads, trainable_variables, self.learning_rate)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        """Updates every variable: calls `update_step` for each pair.

        The one place the whole list goes through: outside stateless scopes, the backend may run
        a fused multi-tensor update of the whole list instead (`fused_update_step`); a subclass
        may override it too.
        """
        if not in_stateless_scope() and bound.fused_update_step(
            self, grads, trainable_variables, learning_rate
        ):
            return
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply` as a pure function of the given values; no variable changes.

        Args:
            optimizer_variables: values for `variables`, in order.
            grads: the gradients, one per trainable variable the optimizer was built with.
            trainable_variables: values for those trainable variables, in order.

        Returns:
            `(new trainable values, new optimizer variable values)`, two lists.
        """
        self._check_super_called()
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {type(self).__name__} must be built (its variables "
                "created). Build it with `optimizer.build(trainable_variables)`."
            )
        if len(optimizer_variables) != len(self.variables):
            raise ValueError(
                "Argument `optimizer_variables` must hold one value per variable of "
                f"`{type(self).__name__}().variables`: expected {len(self.variables)}, "
                f"received {len(optimizer_variables)}."
            )
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                "Argument `trainable_variables` must hold one value per trainable variable the "
                f"optimizer was built with: expected {len(self._trainable_variables)}, received "
                f"{len(trainable_variables)}."
            )
        mapping = list(zip(self._trainable_variables, trainable_variables)) + list(
            zip(self.variables, optimizer_variables)
        )
        with StatelessScope(state_mapping=mapping) as scope:
            self.apply(grads)
        new_trainable = [scope.get_current_value(v) for v in self._trainable_variables]
        new_optimizer = [scope.get_current_value(v) for v in self.variables]
        return new_trainable, new_optimizer

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (if set) before gradients are computed."""
        if self.loss_scale_factor is not None:
            return ops.multiply(loss, self.loss_scale_factor)
        return loss

    # -------------------------------------------------------------- gradient processing

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        """Variables with ``overwrite_with_gradient`` take their gradient (with accumulation: the
        running maximum, applied on update steps) and leave the list."""
        if not any(self._overwrite_variable_with_gradient(v) for v in variables):
            return grads, variables
        kept_grads, kept_vars = [], []
        for g, v in zip(grads, variables):
            if not self._overwrite_variable_with_gradient(v):
                kept_grads.append(g)
                kept_vars.append(v)
                continue
            if self.gradient_accumulation_steps:
                steps = self.gradient_accumulation_steps
                is_update_step = ops.equal(ops.mod(self._iterations.value + 1, steps), 0)
                accumulator = self._accumulated_gradients[self._get_variable_index(v)]
                running_max = ops.maximum(ops.cast(g, accumulator.dtype), accumulator.value)
                accumulator.assign(
                    ops.where(is_update_step, ops.zeros_like(running_max), running_max)
                )
                v.assign(ops.where(is_update_step, running_max, v.value))
            else:
                v.assign(g)
        return kept_grads, kept_vars

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError(
                "No gradients provided for any variable (every gradient is None). Check that the "
                "loss depends on the trainable variables."
            )
        if len(kept) < len(grads):
            missing = [getattr(v, "path", v.name) for g, v in zip(grads, variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If "
                "using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3,
            )
        return [g for g, _ in kept], [v for _, v in kept]

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _clip_by_norm(self, values):
        l2sum = ops.sum(ops.square(values), keepdims=True)
        positive = ops.greater(l2sum, 0)
        # Two-sided where: keeps the gradient of sqrt finite at 0.
        l2sum_safe = ops.where(positive, l2sum, ops.ones_like(l2sum))
        l2norm = ops.where(positive, ops.sqrt(l2sum_safe), l2sum)
        return ops.divide(ops.multiply(values, self.clipnorm), ops.maximum(l2norm, self.clipnorm))

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables from weight decay; call it before the optimizer is built.

        Args:
            var_list: variables to exclude.
            var_names: strings; a variable whose name contains any of them is excluded (e.g.
                ``["bias"]``).
        """
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the optimizer is "
                "built. Call it right after creating the optimizer."
            )
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(sorted(set(var_names)))) if var_names else None
        )
        self._exclude_from_weight_decay_cache = {}

    def _use_weight_decay(self, variable):
        cache = self.__dict__.setdefault("_exclude_from_weight_decay_cache", {})
        key = self._var_key(variable)
        if key not in cache:
            excluded = key in getattr(self, "_exclude_from_weight_decay", set())
            pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
            if pattern is not None and re.search(pattern, variable.name) is not None:
                excluded = True
            cache[key] = not excluded
        return cache[key]

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = ops.cast(self.learning_rate, variable.dtype)
                wd = ops.cast(self.weight_decay, variable.dtype)
                variable.assign(
                    ops.subtract(variable.value, ops.multiply(ops.multiply(variable.value, wd), lr))
                )

    # ------------------------------------------------------------------------------- EMA

    def _update_model_variables_moving_average(self, trainable_variables):
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is None:
                continue
            not_first_step = ops.cast(ops.not_equal(self.iterations, 0), variable.dtype)
            momentum = ops.multiply(not_first_step, self.ema_momentum)
            average.assign(
                ops.add(
                    ops.multiply(momentum, average.value),
                    ops.multiply(ops.subtract(1.0, momentum), variable.value),
                )
            )

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        if len(trainable_variables) != len(self._model_variables_moving_average):
            raise ValueError(
                f"Received {len(trainable_variables)} variables to overwrite with their moving "
                f"average, but optimizer '{self.name}' keeps "
                f"{len(self._model_variables_moving_average)} averages. Pass the variables the "
                "optimizer was built with."
            )
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is not None:
                variable.assign(average.value)

    def finalize_variable_values(self, var_list):
        """Sets the final values of the model's variables: with `use_ema`, their moving averages
        (`fit()` calls this at the end of training).

        Args:
            var_list: the model's trainable variables.
        """
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # ---------------------------------------------------------------------------- config

    def _check_super_called(self):
        if not hasattr(self, "_lock"):
            raise RuntimeError(
                f"In optimizer '{type(self).__name__}', `super().__init__()` was not called. Call "
                "it as the first statement of `__init__()`."
            )

    def get_config(self):
        """Returns the optimizer's constructor arguments as a JSON-serializable dict."""
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(lr)
        elif isinstance(lr, Variable):
            learning_rate = float(lr.numpy())
        elif ops.is_tensor(lr):
            learning_rate = float(ops.convert_to_numpy(lr))
        else:
            learning_rate = serialization.serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from its `get_config()` dict.

        Args:
            config: the dict `get_config()` returned.
            custom_objects: custom classes the config (a custom schedule) may name.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = serialization.deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


Optimizer.__doc__ = Optimizer.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer_keyword_args
)


def global_norm(value_list):
    """The L2 norm of all the tensors of `value_list` together (None entries skipped)."""
    squared = [ops.sum(ops.square(v)) for v in value_list if v is not None]
    return ops.sqrt(ops.sum(ops.stack(squared)))


def clip_by_global_norm(value_list, clip_norm):
    """Scales `value_list` so that its global norm is at most `clip_norm` (NaN for a non-finite
    norm, as Keras does, so a `LossScaleOptimizer` sees the step as non-finite)."""
    use_norm = global_norm(value_list)
    scale_for_finite = ops.multiply(
        clip_norm, ops.minimum(ops.divide(1.0, use_norm), 1.0 / clip_norm)
    )
    scale = ops.add(scale_for_finite, ops.subtract(use_norm, use_norm))
    return [ops.multiply(v, scale) if v is not None else v for v in value_list]
