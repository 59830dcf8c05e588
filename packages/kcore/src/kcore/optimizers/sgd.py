"""`SGD`: gradient descent, with optional (Nesterov) momentum."""

from __future__ import annotations

from kcore import ops
from kcore.optimizers import base_optimizer


class SGD(base_optimizer.Optimizer):
    """Gradient descent (with momentum).

    Without momentum: ``w = w - learning_rate * g``. With `momentum` > 0:
    ``velocity = momentum * velocity - learning_rate * g``, then ``w = w + velocity``, or, with
    `nesterov=True`, ``w = w + momentum * velocity - learning_rate * g``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.01`.
        momentum: a float in [0, 1]; 0 is plain gradient descent. Defaults to `0.0`.
        nesterov: whether to apply Nesterov momentum. Defaults to `False`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> w = kcore.Variable([1.0])
    >>> opt = kcore.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.apply([kcore.ops.convert_to_tensor([1.0])], [w])
    >>> w.numpy().astype("float64").round(4).tolist()
    [0.71]
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}"
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        """Creates a ``momentum`` slot per variable when `momentum` is not 0."""
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        if self.momentum == 0:
            self.assign_sub(variable, ops.multiply(gradient, learning_rate))
            return
        m = self.momentums[self._get_variable_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(
            m, ops.subtract(ops.multiply(m, momentum), ops.multiply(gradient, learning_rate))
        )
        if self.nesterov:
            self.assign_add(
                variable,
                ops.subtract(ops.multiply(m, momentum), ops.multiply(gradient, learning_rate)),
            )
        else:
            self.assign_add(variable, m.value)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config


SGD.__doc__ = SGD.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
