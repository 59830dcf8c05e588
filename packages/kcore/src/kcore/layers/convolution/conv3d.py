"""`Conv3D`: convolution over volumes (or videos)."""

from __future__ import annotations

from kcore.layers.convolution.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Convolves a kernel with the input over its three spatial axes, adds a bias (when
    `use_bias`) and applies the activation.

    Args:
        filters: the number of output channels.
        kernel_size: the depth, height and width of the convolution window (an int for all
            three, or a tuple of 3 ints).
        strides: the strides of the window (an int or 3 ints).
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that with stride 1 the
            output has the input's size).
        data_format: ``"channels_last"`` (inputs `(batch, dim1, dim2, dim3, channels)`),
            ``"channels_first"`` (`(batch, channels, dim1, dim2, dim3)`) or None for
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

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels_last) or
    `(batch, channels, dim1, dim2, dim3)`.

    Output shape: `(batch, new_dim1, new_dim2, new_dim3, filters)` (or channels first).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Conv3D(8, 3, padding="same", strides=2)
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 8, 8, 5, 3))))
    (2, 4, 4, 3, 8)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            rank=3,
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
