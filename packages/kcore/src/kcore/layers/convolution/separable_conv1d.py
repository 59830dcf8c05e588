"""`SeparableConv1D`: depthwise then pointwise 1D convolution."""

from __future__ import annotations

from kcore.layers.convolution.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution layer.

    A depthwise convolution (each input channel convolved with its own `depth_multiplier`
    kernels) followed by a pointwise convolution (a 1x1 convolution mixing the channels into
    `filters` outputs), then a bias (when `use_bias`) and the activation. It needs far fewer
    weights than a full convolution of the same window.

    Args:
        filters: the number of output channels.
        kernel_size: the length of the depthwise window (an int or a tuple of 1 int).
        strides: the stride of the window.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that with stride 1 the
            output has the input's size).
        data_format: ``"channels_last"`` (inputs `(batch, steps, channels)`),
            ``"channels_first"`` (`(batch, channels, steps)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window.
        depth_multiplier: the number of depthwise output channels per input channel.
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers
            (``"glorot_uniform"``, ``"glorot_uniform"``, ``"zeros"``).
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer:
            regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: constraints the optimizer
            applies after each update.

    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.

    Output shape: `(batch, new_steps, filters)` (or channels first).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.SeparableConv1D(8, 3, depth_multiplier=2)
    >>> kcore.ops.shape(layer(kcore.ops.ones((4, 10, 3))))
    (4, 8, 8)
    >>> [tuple(w.shape) for w in layer.weights]
    [(3, 3, 2), (1, 6, 8), (8,)]
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            depth_multiplier=depth_multiplier,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
