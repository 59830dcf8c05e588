"""`Adagrad`: per-parameter learning rates that shrink with the accumulated squared gradients."""

from __future__ import annotations

from kcore import initializers, ops
from kcore.optimizers import base_optimizer


class Adagrad(base_optimizer.Optimizer):
    """The Adagrad algorithm (Duchi et al., 2011).

    ``accumulator = accumulator + g**2``, then ``w = w - lr * g / sqrt(accumulator + epsilon)``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        initial_accumulator_value: the starting value of the accumulators (non-negative).
            Defaults to `0.1`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([1.0])
    >>> opt = kcore.optimizers.Adagrad(learning_rate=0.1, initial_accumulator_value=0.0)
    >>> opt.apply([kcore.ops.convert_to_tensor([2.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.9]
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
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
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates an ``accumulator`` slot per variable, filled with `initial_accumulator_value`."""
        if self.built:
            return
        super().build(var_list)
        initializer = initializers.Constant(self.initial_accumulator_value)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=initializer
        )

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        self.assign_add(accumulator, ops.square(gradient))
        self.assign_sub(
            variable,
            ops.divide(ops.multiply(lr, gradient), ops.sqrt(ops.add(accumulator, self.epsilon))),
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}
        )
        return config


Adagrad.__doc__ = Adagrad.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
