"""`Adam`: adaptive moment estimation (Kingma & Ba, 2014), with the AMSGrad variant."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class Adam(base_optimizer.Optimizer):
    """The Adam algorithm.

    With ``t = iterations + 1``: ``m = m + (g - m) * (1 - beta_1)``,
    ``v = v + (g**2 - v) * (1 - beta_2)``, then
    ``w = w - lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)``
    (`epsilon` is the paper's "epsilon hat"). With `amsgrad`, ``v`` in the last formula is the
    running maximum of ``v``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: the decay rate of the 1st moment estimates. Defaults to `0.9`.
        beta_2: the decay rate of the 2nd moment estimates. Defaults to `0.999`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        amsgrad: whether to apply the AMSGrad variant. Defaults to `False`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([1.0])
    >>> kcore.optimizers.Adam(learning_rate=0.1).apply([kcore.ops.convert_to_tensor([2.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.9]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        """Creates the ``momentum`` and ``velocity`` slots, interleaved per variable, then the
        ``velocity_hat`` ones with amsgrad (Keras's order)."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        alpha = ops.divide(
            ops.multiply(lr, ops.sqrt(ops.subtract(1, beta_2_power))), ops.subtract(1, beta_1_power)
        )
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            self.assign(v_hat, ops.maximum(v_hat, v))
            v = v_hat
        self.assign_sub(
            variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "amsgrad": self.amsgrad,
            }
        )
        return config


Adam.__doc__ = Adam.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
