"""`RMSprop`: divides the gradient by a moving root mean square of recent gradients."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class RMSprop(base_optimizer.Optimizer):
    """The RMSprop algorithm (plain momentum, optionally centered).

    ``velocity = rho * velocity + (1 - rho) * g**2``; centered, also
    ``average_gradient = rho * average_gradient + (1 - rho) * g`` and the denominator is
    ``velocity - average_gradient**2 + epsilon`` (else ``velocity + epsilon``);
    ``increment = lr * g / sqrt(denominator)``; with `momentum` > 0,
    ``momentum_slot = momentum * momentum_slot + increment`` is subtracted instead of the increment.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        rho: the discounting factor of the old gradients. Defaults to `0.9`.
        momentum: the momentum factor. Defaults to `0.0`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        centered: whether to normalize by the estimated variance of the gradient. Defaults to
            `False`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([10.0])
    >>> kcore.optimizers.RMSprop(learning_rate=0.1).apply([w.value], [w])
    >>> w.numpy().astype("float64").round(6).tolist()
    [9.683772]
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        """Creates the ``velocity`` slots, then ``momentum`` and ``average_gradient`` ones when
        used."""
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        velocity = self._velocities[index]
        rho = self.rho
        self.assign(
            velocity,
            ops.add(ops.multiply(rho, velocity), ops.multiply(1 - rho, ops.square(gradient))),
        )
        if self.centered:
            average_grad = self._average_gradients[index]
            self.assign(
                average_grad,
                ops.add(ops.multiply(rho, average_grad), ops.multiply(1 - rho, gradient)),
            )
            denominator = ops.add(
                ops.subtract(velocity.value, ops.square(average_grad)), self.epsilon
            )
        else:
            denominator = ops.add(velocity, self.epsilon)
        increment = ops.divide(ops.multiply(lr, gradient), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            self.assign(momentum, ops.add(ops.multiply(self.momentum, momentum), increment))
            self.assign_sub(variable, momentum.value)
        else:
            self.assign_sub(variable, increment)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "rho": self.rho,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "centered": self.centered,
            }
        )
        return config


RMSprop.__doc__ = RMSprop.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
