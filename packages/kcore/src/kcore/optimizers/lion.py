"""`Lion`: sign-based momentum updates (Chen et al., 2023)."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class Lion(base_optimizer.Optimizer):
    """The Lion algorithm.

    ``w = w - lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``. Its learning rate is typically 3-10x smaller than
    AdamW's, and its weight decay 3-10x larger.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_1: the rate combining the gradient and the momentum, in (0, 1]. Defaults to `0.9`.
        beta_2: the decay rate of the momentum. Defaults to `0.99`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([1.0, 1.0])
    >>> kcore.optimizers.Lion(learning_rate=0.1).apply([kcore.ops.convert_to_tensor([3.0, -2.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.9, 1.1]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.99,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )

    def build(self, var_list):
        """Creates a ``momentum`` slot per variable."""
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        m = self._momentums[self._get_variable_index(variable)]
        self.assign_sub(
            variable,
            ops.multiply(
                lr,
                ops.sign(
                    ops.add(
                        ops.multiply(m, beta_1), ops.multiply(gradient, ops.subtract(1.0, beta_1))
                    )
                ),
            ),
        )
        self.assign(
            m, ops.add(ops.multiply(m, beta_2), ops.multiply(gradient, ops.subtract(1.0, beta_2)))
        )

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config


Lion.__doc__ = Lion.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
