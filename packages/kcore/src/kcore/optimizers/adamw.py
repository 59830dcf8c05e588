"""`AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

from __future__ import annotations

from kcore.optimizers import adam, base_optimizer


class AdamW(adam.Adam):
    """Adam with decoupled weight decay: before each Adam update,
    ``w = w - w * weight_decay * learning_rate``.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to `0.001`.
        weight_decay: the decay factor (required, not None). Defaults to `0.004`.
        beta_1: the decay rate of the 1st moment estimates. Defaults to `0.9`.
        beta_2: the decay rate of the 2nd moment estimates. Defaults to `0.999`.
        epsilon: a small constant for numerical stability. Defaults to `1e-7`.
        amsgrad: whether to apply the AMSGrad variant. Defaults to `False`.
        {{base_optimizer_keyword_args}}

    Example:

    >>> import kcore
    >>> kcore.optimizers.AdamW().weight_decay
    0.004
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float. Received: weight_decay=None. For Adam "
                "without weight decay use `kcore.optimizers.Adam`."
            )


AdamW.__doc__ = AdamW.__doc__.replace(
    "{{base_optimizer_keyword_args}}", base_optimizer.base_optimizer_keyword_args
)
