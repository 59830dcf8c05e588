"""`SeparableConv2D`: depthwise then pointwise 2D convolution."""

from __future__ import annotations

from kcore.layers.convolution.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution layer.

    A depthwise convolution (each input channel convolved with its own `depth_multiplier`
    kernels) followed by a pointwise convolution (a 1x1 convolution mixing the channels into
    `filters` outputs), then a bias (when `use_bias`) and the activation. It needs far fewer
    weights than a full convolution of the same window.

    Args:
        filters: the number of output channels.
        kernel_size: the height and width of the depthwise window (an int for both, or a
            tuple of 2 ints).
        strides: the strides of the window (an int or 2 ints).
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that with stride 1 the
            output has the input's size).
        data_format: ``"channels_last"`` (inputs `(batch, rows, cols, channels)`),
            ``"channels_first"`` (`(batch, channels, rows, cols)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window (an int or 2 ints).
        depth_multiplier: the number of depthwise output channels per input channel.
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers
            (``"glorot_uniform"``, ``"glorot_uniform"``, ``"zeros"``).
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer:
            regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: constraints the optimizer
            applies after each update.

    Input shape: `(batch, rows, cols, channels)` (channels_last) or `(batch, channels, rows, cols)`.

    Output shape: `(batch, new_rows, new_cols, filters)` (or channels first).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.SeparableConv2D(16, 3, padding="same")
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 8, 8, 4))))
    (2, 8, 8, 16)
    >>> layer.count_params()
    116
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
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
            rank=2,
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
