"""`Conv2D`: spatial convolution over images."""

from __future__ import annotations

from kcore.layers.convolution.base_conv import BaseConv


class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Convolves a kernel with the input over its rows and columns, adds a bias (when `use_bias`)
    and applies the activation.

    Args:
        filters: the number of output channels.
        kernel_size: the height and width of the convolution window (an int for both, or a
            tuple of 2 ints).
        strides: the strides of the window (an int or 2 ints).
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding, evenly on both sides, the
            extra one after, so that with stride 1 the output has the input's size).
        data_format: ``"channels_last"`` (inputs `(batch, rows, cols, channels)`),
            ``"channels_first"`` (`(batch, channels, rows, cols)`) or None for
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

    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)`.

    Output shape: `(batch, new_rows, new_cols, filters)` (or `(batch, filters, new_rows,
    new_cols)`).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Conv2D(32, 3, activation="relu")
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 28, 28, 1))))
    (2, 26, 26, 32)
    >>> [tuple(w.shape) for w in layer.weights]
    [(3, 3, 1, 32), (32,)]
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
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
            rank=2,
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
