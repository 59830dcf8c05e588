"""`DepthwiseConv2D`: a separate 2D convolution for each input channel."""

from __future__ import annotations

from kcore.layers.convolution.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution layer.

    Each input channel is convolved with its own `depth_multiplier` kernels (the channels are
    not mixed), giving `input_channels * depth_multiplier` output channels; output channel
    `c * depth_multiplier + m` comes from input channel `c`. Then a bias (when `use_bias`) and
    the activation.

    Args:
        kernel_size: the height and width of the convolution window (an int for both, or a
            tuple of 2 ints).
        strides: the strides of the window (an int or 2 ints).
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that with stride 1 the
            output has the input's size).
        depth_multiplier: the number of output channels per input channel.
        data_format: ``"channels_last"`` (inputs `(batch, rows, cols, channels)`),
            ``"channels_first"`` (`(batch, channels, rows, cols)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window (an int or 2 ints).
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers (``"glorot_uniform"``,
            ``"zeros"``).
        depthwise_regularizer, bias_regularizer, activity_regularizer: regularizers.
        depthwise_constraint, bias_constraint: constraints the optimizer applies after each
            update.

    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)`.

    Output shape: `(batch, new_rows, new_cols, channels * depth_multiplier)` (or channels
    first).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same")
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 8, 8, 3))))
    (2, 8, 8, 6)
    >>> tuple(layer.kernel.shape)
    (3, 3, 3, 2)
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=2,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
