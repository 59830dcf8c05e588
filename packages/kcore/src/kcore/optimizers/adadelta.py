"""`Adadelta`: Adagrad's extension with moving windows of squared gradients and updates."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class Adadelta(base_optimizer.Optimizer):
    """The Adadelta algorithm (Zeiler, 2012).

    With ``rms(x) = sqrt(x + epsilon)``: ``acc_grad = rho * acc_grad + (1 - rho) * g**2``,
    ``delta = -rms(acc_delta) * g / rms(acc_grad)``,
    ``acc_delta = rho * acc_delta + (1 - rho) * delta**2``, ``w = w + lr * delta``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`
            (the paper's form is `1.0`).
        rho: the decay rate. Defaults to `0.95`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> kcore.optimizers.Adadelta().get_config()["rho"]
    0.95
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates the ``accumulated_grad`` and ``accumulated_delta_var`` slots, interleaved per
        variable (Keras's order)."""
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, grad, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        grad = ops.cast(grad, variable.dtype)
        rho = self.rho
        index = self._get_variable_index(variable)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta_var = self._accumulated_delta_vars[index]

        def rms(x):
            return ops.sqrt(ops.add(x, self.epsilon))

        self.assign(
            accumulated_grad,
            ops.add(ops.multiply(rho, accumulated_grad), ops.multiply(1 - rho, ops.square(grad))),
        )
        delta_var = ops.negative(
            ops.divide(ops.multiply(rms(accumulated_delta_var), grad), rms(accumulated_grad))
        )
        self.assign(
            accumulated_delta_var,
            ops.add(
                ops.multiply(rho, accumulated_delta_var),
                ops.multiply(1 - rho, ops.square(delta_var)),
            ),
        )
        self.assign_add(variable, ops.multiply(lr, delta_var))

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config


Adadelta.__doc__ = Adadelta.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
