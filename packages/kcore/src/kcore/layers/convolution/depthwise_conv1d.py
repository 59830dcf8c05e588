"""`DepthwiseConv1D`: a separate 1D convolution for each input channel."""

from __future__ import annotations

from kcore.layers.convolution.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution layer.

    Each input channel is convolved with its own `depth_multiplier` kernels (the channels are
    not mixed), giving `input_channels * depth_multiplier` output channels; output channel
    `c * depth_multiplier + m` comes from input channel `c`. Then a bias (when `use_bias`) and
    the activation.

    Args:
        kernel_size: the length of the convolution window (an int or a tuple of 1 int).
        strides: the stride of the window.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that with stride 1 the
            output has the input's length).
        depth_multiplier: the number of output channels per input channel.
        data_format: ``"channels_last"`` (inputs `(batch, steps, channels)`),
            ``"channels_first"`` (`(batch, channels, steps)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window.
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        depthwise_initializer, bias_initializer: initializers (``"glorot_uniform"``,
            ``"zeros"``).
        depthwise_regularizer, bias_regularizer, activity_regularizer: regularizers.
        depthwise_constraint, bias_constraint: constraints the optimizer applies after each
            update.

    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.

    Output shape: `(batch, new_steps, channels * depth_multiplier)` (or channels first).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.DepthwiseConv1D(3, depth_multiplier=2)
    >>> kcore.ops.shape(layer(kcore.ops.ones((4, 10, 12))))
    (4, 8, 24)
    """

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
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
            rank=1,
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
