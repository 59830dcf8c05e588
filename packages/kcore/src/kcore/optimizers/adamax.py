"""`Adamax`: Adam's variant based on the infinity norm."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class Adamax(base_optimizer.Optimizer):
    """The Adamax algorithm (Kingma & Ba, 2014, section 7.1).

    With ``t = iterations + 1``: ``m = m + (g - m) * (1 - beta_1)``,
    ``u = max(beta_2 * u, abs(g))``, ``w = w - lr * m / ((1 - beta_1**t) * (u + epsilon))``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: the decay rate of the 1st moment estimates. Defaults to `0.9`.
        beta_2: the decay rate of the weighted infinity norm. Defaults to `0.999`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([1.0])
    >>> kcore.optimizers.Adamax(learning_rate=0.1).apply([kcore.ops.convert_to_tensor([2.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.9]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
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
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates the ``momentum`` and ``norm`` slots, interleaved per variable."""
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        index = self._get_variable_index(variable)
        m = self._m[index]
        u = self._u[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign(u, ops.maximum(ops.multiply(self.beta_2, u), ops.abs(gradient)))
        self.assign_sub(
            variable,
            ops.divide(
                ops.multiply(lr, m),
                ops.multiply(ops.subtract(1, beta_1_power), ops.add(u, self.epsilon)),
            ),
        )

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config


Adamax.__doc__ = Adamax.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
