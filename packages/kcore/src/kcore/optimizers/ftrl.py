"""`Ftrl`: Follow The Regularized Leader (McMahan et al., 2013)."""

from __future__ import annotations

from kcore import initializers, ops
from kcore.optimizers import base_optimizer


class Ftrl(base_optimizer.Optimizer):
    """The FTRL algorithm, with online L2 and shrinkage-type L2 regularization.

    With ``g2 = g + 2 * l2_shrinkage * w`` and ``p = -learning_rate_power``:
    ``n_new = n + g**2``, ``z = z + g2 - (n_new**p - n**p) / lr * w``,
    ``w = (clip(z, -l1, l1) - z) / (n_new**p / lr + 2 * (l2 + beta / (2 * lr)))``, ``n = n_new``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        learning_rate_power: a float <= 0; how the learning rate decreases. Defaults to `-0.5`.
        initial_accumulator_value: the starting value of the accumulators (>= 0). Defaults to
            `0.1`.
        l1_regularization_strength: a float >= 0. Defaults to `0.0`.
        l2_regularization_strength: a float >= 0. Defaults to `0.0`.
        l2_shrinkage_regularization_strength: a float >= 0, a magnitude penalty. Defaults to
            `0.0`.
        beta: the beta of the paper. Defaults to `0.0`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> kcore.optimizers.Ftrl().get_config()["learning_rate_power"]
    -0.5
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            **kwargs,
        )
        checks = (
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
            ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
            ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
            (
                "l2_shrinkage_regularization_strength",
                l2_shrinkage_regularization_strength,
                "positive or zero",
            ),
        )
        for arg, value, expected in checks:
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be {expected}. Received: {arg}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        """Creates the ``accumulator`` and ``linear`` slots, interleaved per variable."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list,
            ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"],
        )

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        accum = self._accumulators[index]
        linear = self._linears[index]
        lr_power = self.learning_rate_power
        l2_reg = ops.add(
            self.l2_regularization_strength, ops.divide(self.beta, ops.multiply(2.0, lr))
        )
        grad_to_use = ops.add(
            gradient, ops.multiply(2 * self.l2_shrinkage_regularization_strength, variable)
        )
        new_accum = ops.add(accum, ops.square(gradient))
        self.assign_add(
            linear,
            ops.subtract(
                grad_to_use,
                ops.multiply(
                    ops.divide(
                        ops.subtract(ops.power(new_accum, -lr_power), ops.power(accum, -lr_power)),
                        lr,
                    ),
                    variable,
                ),
            ),
        )
        quadratic = ops.add(
            ops.divide(ops.power(new_accum, -lr_power), lr), ops.multiply(2, l2_reg)
        )
        linear_clipped = ops.clip(
            linear, -self.l1_regularization_strength, self.l1_regularization_strength
        )
        self.assign(variable, ops.divide(ops.subtract(linear_clipped, linear), quadratic))
        self.assign(accum, new_accum)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config


Ftrl.__doc__ = Ftrl.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
