"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer (mixed precision)."""

from __future__ import annotations

from kcore import initializers, ops
from kcore.backend.scopes import name_scope
from kcore.optimizers import base_optimizer
from kcore.saving import serialization

_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(base_optimizer.Optimizer):
    """Wraps an optimizer and scales the loss dynamically, so float16 gradients do not underflow.

    `scale_loss` multiplies the loss by the current scale; `apply` divides the gradients by it
    before the inner optimizer's update. When a gradient holds an inf or NaN, the step is skipped
    (no variable changes) and the scale is halved; after `dynamic_growth_steps` finite steps in a
    row the scale is doubled. The choice is made with `ops.where`, so `apply` stays traceable.

    Args:
        inner_optimizer: the `kcore.optimizers.Optimizer` to wrap.
        initial_scale: the initial loss scale. Defaults to `2.0**15`.
        dynamic_growth_steps: the number of finite steps after which the scale doubles. Defaults
            to `2000`.
        name: the optimizer's name.

    Example:

    >>> import kcore
    >>> opt = kcore.optimizers.LossScaleOptimizer(kcore.optimizers.SGD(), initial_scale=8.0)
    >>> float(opt.scale_loss(kcore.ops.convert_to_tensor(0.5)))
    4.0
    """

    def __init__(
        self,
        inner_optimizer,
        initial_scale=2.0**15,
        dynamic_growth_steps=2000,
        name=None,
        **kwargs,
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        # Older configs list the base optimizer's arguments with their defaults: accept those.
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Set `{arg}` on the "
                    "`inner_optimizer` instead."
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: {sorted(kwargs)}. It takes "
                "`inner_optimizer`, `initial_scale`, `dynamic_growth_steps` and `name`."
            )
        if not isinstance(inner_optimizer, base_optimizer.Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be a kcore.optimizers.Optimizer. "
                f"Received: {inner_optimizer!r}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The gradients are unscaled here: the inner optimizer must not unscale them again.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        """Creates ``step_counter`` and ``dynamic_scale``, then builds the inner optimizer."""
        if self.built:
            return
        var_list = list(var_list)
        self.step_counter = self.add_variable(
            shape=(),
            dtype=base_optimizer._default_int_dtype(),
            initializer=initializers.Zeros(),
            name="step_counter",
        )
        self.dynamic_scale = self.add_variable(
            shape=(),
            dtype="float32",
            initializer=initializers.Constant(self.initial_scale),
            name="dynamic_scale",
        )
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        """Its own variables, then the inner optimizer's."""
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        """A boolean scalar tensor: whether every gradient is finite."""
        finite = [ops.all(ops.isfinite(g)) for g in grads if g is not None]
        return ops.all(ops.stack(finite))

    def apply(self, grads, trainable_variables=None):
        """Applies the unscaled gradients through the inner optimizer, unless one of them is not
        finite; then updates the loss scale.

        Args:
            grads: the gradients of the scaled loss, one per variable (or None).
            trainable_variables: the variables; optional once the optimizer is built.
        """
        grads = list(grads)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    "When passing `grads` without `trainable_variables`, the optimizer must "
                    "already be built. Call `optimizer.build(trainable_variables)` first."
                )
            with name_scope(self.name, caller=self):
                self.build(trainable_variables)
        variables = (
            self._trainable_variables if trainable_variables is None else list(trainable_variables)
        )
        finite = self.check_finite(grads)
        inner_variables = self.inner_optimizer.variables
        # The inner update runs on every step and is kept only when the gradients are finite.
        # Copies: on backends with mutable variables the values change in place.
        old_trainable = [ops.copy(v.value) for v in variables]
        old_inner = [ops.copy(v.value) for v in inner_variables]
        scale = self.dynamic_scale.value
        unscaled = [
            g if g is None or self._overwrite_variable_with_gradient(v) else ops.divide(g, scale)
            for g, v in zip(grads, variables)
        ]
        self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)
        for variable, old in zip(variables, old_trainable):
            variable.assign(ops.where(finite, variable.value, old))
        for variable, old in zip(inner_variables, old_inner):
            variable.assign(ops.where(finite, variable.value, old))

        counter = self.step_counter.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        new_counter = ops.where(
            ops.logical_and(finite, ops.logical_not(grow)),
            ops.add(counter, 1),
            ops.zeros_like(counter),
        )
        new_scale = ops.where(
            finite, ops.where(grow, ops.multiply(scale, 2.0), scale), ops.divide(scale, 2.0)
        )
        self.step_counter.assign(new_counter)
        self.dynamic_scale.assign(new_scale)

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate (settable)."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        """The inner optimizer's step count."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """Multiplies the loss by the current scale (`initial_scale` before the first build)."""
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        """Delegates to the inner optimizer (EMA)."""
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner_optimizer = serialization.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects
        )
        return cls(inner_optimizer, **config)
