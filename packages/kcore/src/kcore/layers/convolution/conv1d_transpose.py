"""`Conv1DTranspose`: transposed convolution that upsamples sequences."""

from __future__ import annotations

from kcore.layers.convolution.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution layer (sometimes called deconvolution).

    A transposed convolution upsamples a sequence: the transformation going the opposite way of
    a `Conv1D` with the same arguments, from its output's shape back to its input's shape, with
    a bias (when `use_bias`) and the activation applied after.

    Args:
        filters: the number of output channels.
        kernel_size: the size of the transposed convolution window (an int for every spatial
            axis, or a tuple of 1 ints).
        strides: the strides of the window (an int or 1 ints): the upsampling factor.
        padding: ``"valid"`` or ``"same"`` (with `output_padding` None the output is then
            `input size * strides`).
        output_padding: the extra size added on one side of each spatial axis of the output (an
            int or 1 ints, each smaller than its stride), or None to infer it from the padding.
        data_format: ``"channels_last"`` (inputs `(batch, steps, channels)`),
            ``"channels_first"`` (`(batch, channels, steps)`) or None for
            `kcore.config.image_data_format()`.
        dilation_rate: the dilation of the window (strides > 1 and dilation > 1 exclude each
            other).
        activation: the activation function or its name (default: none).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints the optimizer applies after each update.

    Input shape: `(batch, steps, channels)` (channels_last) or
    `(batch, channels, steps)`.

    Output shape: the same rank with `filters` channels and each spatial size given by the
    padding, strides and output_padding (see `compute_output_shape`).

    Example:

    >>> import kcore
    >>> layer = kcore.layers.Conv1DTranspose(8, 3, strides=2, padding="same")
    >>> kcore.ops.shape(layer(kcore.ops.ones((2, 10, 4))))
    (2, 20, 8)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
