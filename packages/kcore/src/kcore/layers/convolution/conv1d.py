"""`Conv1D`: temporal convolution, over the steps of a sequence."""

from __future__ import annotations

from kcore.layers.convolution.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution).

    Convolves a kernel with a sequence over its steps, adds a bias (when `use_bias`) and applies
    the activation.

    Args:
        filters: the number of output channels.
        kernel_size: the length of the convolution window (an int or a tuple of 1 int).
        strides: the stride of the window.
        padding: ``"valid"`` (no padding), ``"same"`` (zero padding so that with stride 1 the
            output has the input's length) or ``"causal"`` (left padding only, so that output
            step `t` depends on input steps up to `t`).
        data_format: ``"channels_last"`` (inputs `(batch, steps, channels)`),
            ``"channels_first"`` (`(batch, channels, steps)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window (strides > 1 and dilation > 1 exclude each
            other).
        groups: split the input channels into this many groups, each convolved with
            `filters // groups` filters; `filters` and the input channels must be divisible by it.
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints the optimizer applies after each update.

    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.

    Output shape: `(batch, new_steps, filters)` (or `(batch, filters, new_steps)`).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Conv1D(32, 3, activation="relu")
    >>> kcore.ops.shape(layer(kcore.ops.ones((4, 10, 128))))
    (4, 8, 32)
    >>> kcore.ops.shape(kcore.layers.Conv1D(32, 3, padding="causal")(kcore.ops.ones((4, 10, 128))))
    (4, 10, 32)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
