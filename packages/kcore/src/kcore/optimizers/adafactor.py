"""`Adafactor`: Adam-like updates with factored second moments (Shazeer & Stern, 2018)."""

from __future__ import annotations

from kcore import ops
from kcore.backend.variables import Variable
from kcore.optimizers import base_optimizer


class Adafactor(base_optimizer.Optimizer):
    """The Adafactor algorithm.

    For a variable of rank >= 2, the second moment of the gradient is kept factored over its last
    two axes (a row slot ``r`` and a column slot ``c``), which saves memory; a variable of rank
    < 2 keeps a full ``velocity``. With ``t = iterations + 1``:
    ``rho_t = min(lr, 1 / sqrt(t))`` (with `relative_step` and a constant learning rate, ``lr``
    itself is first capped the same way), ``alpha_t = max(epsilon_2, rms(w)) * rho_t``,
    ``beta_2_t = 1 - t**beta_2_decay``, the update ``u = g / sqrt(v)`` is scaled down to an RMS of
    at most `clip_threshold`, and ``w = w - alpha_t * u``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        beta_2_decay: the decay rate of `beta_2`. Defaults to `-0.8`.
        epsilon_1: a small offset keeping the denominator away from 0. Defaults to `1e-30`.
        epsilon_2: a small offset keeping the step size away from 0. Defaults to `1e-3`.
        clip_threshold: the clipping threshold of the update's RMS (part of the algorithm,
            independent of `clipnorm`...). Defaults to `1.0`.
        relative_step: whether a constant learning rate is capped by ``1 / sqrt(t)``. Defaults
            to `True`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> kcore.optimizers.Adafactor().get_config()["beta_2_decay"]
    -0.8
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        """Creates, per variable, the ``r`` and ``c`` slots (scalar placeholders for rank < 2),
        then a ``velocity`` slot."""
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            skip = self._overwrite_variable_with_gradient(var)
            if len(var.shape) < 2:
                # Not factored. Keras keeps the slot layout with two scalar placeholders, created
                # as bare variables (outside the optimizer's name scope); so does kcore.
                for slots in (self._r, self._c):
                    placeholder = Variable(0, dtype="int32", trainable=False, name=var.name)
                    self._track_variable(placeholder)
                    slots.append(placeholder)
            elif skip:
                self._r.append(None)
                self._c.append(None)
            else:
                r_shape = tuple(var.shape[:-1])
                c_shape = tuple(var.shape[:-2]) + (var.shape[-1],)
                self._r.append(self.add_variable(r_shape, dtype=var.dtype, name=var.name))
                self._c.append(self.add_variable(c_shape, dtype=var.dtype, name=var.name))
            self._v.append(None if skip else self.add_variable_from_reference(var, name="velocity"))

    def _rms(self, x):
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        epsilon_2 = ops.cast(self.epsilon_2, dtype)
        one = ops.cast(1.0, dtype)
        local_step = ops.cast(ops.add(self.iterations, 1), dtype)
        inverse_sqrt_step = ops.divide(1, ops.sqrt(local_step))
        if not callable(self._learning_rate) and self.relative_step:
            lr = ops.minimum(lr, inverse_sqrt_step)
        index = self._get_variable_index(variable)
        r = self._r[index]
        c = self._c[index]
        v = self._v[index]
        rho_t = ops.minimum(lr, inverse_sqrt_step)
        alpha_t = ops.multiply(ops.maximum(epsilon_2, self._rms(variable)), rho_t)
        regulated_grad_square = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2_t = ops.subtract(1, ops.power(local_step, self.beta_2_decay))
        if len(variable.shape) >= 2:
            self.assign(
                r,
                ops.add(
                    ops.multiply(beta_2_t, r),
                    ops.multiply(
                        ops.subtract(1, beta_2_t), ops.mean(regulated_grad_square, axis=-1)
                    ),
                ),
            )
            self.assign(
                c,
                ops.add(
                    ops.multiply(beta_2_t, c),
                    ops.multiply(
                        ops.subtract(1, beta_2_t), ops.mean(regulated_grad_square, axis=-2)
                    ),
                ),
            )
            self.assign(
                v,
                ops.multiply(
                    ops.expand_dims(ops.divide(r, ops.mean(r, axis=-1, keepdims=True)), axis=-1),
                    ops.expand_dims(c, -2),
                ),
            )
        else:
            self.assign(
                v,
                ops.add(
                    ops.multiply(beta_2_t, v),
                    ops.multiply(ops.subtract(1, beta_2_t), regulated_grad_square),
                ),
            )
        u_t = ops.divide(gradient, ops.sqrt(v))
        u_t_hat = ops.divide(u_t, ops.maximum(one, ops.divide(self._rms(u_t), self.clip_threshold)))
        self.assign_sub(variable, ops.multiply(alpha_t, u_t_hat))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config


Adafactor.__doc__ = Adafactor.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
