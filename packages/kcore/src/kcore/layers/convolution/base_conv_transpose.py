"""`BaseConvTranspose`: the transposed convolution behind `Conv1DTranspose`, `Conv2DTranspose`
and `Conv3DTranspose`."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers
from kcore.layers.convolution._common import (
    BaseConvolution,
    positive_int,
    standardize_tuple,
    transpose_output_length,
)


class BaseConvTranspose(BaseConvolution):
    """N-D transposed convolution (the gradient of a convolution with respect to its input),
    plus a bias, through an activation (private base of the `Conv*DTranspose` layers, whose
    docstrings hold the arguments).

    The kernel has shape `kernel_size + (filters, input_channels)`; the bias `(filters,)`.
    """

    _shrinks = False

    def __init__(
        self,
        rank,
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
            rank,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint,
            allow_strided_dilation=False,
            **kwargs,
        )
        label = type(self).__name__
        self.filters = positive_int(filters, "filters", label)
        if output_padding is None:
            self.output_padding = None
        else:
            self.output_padding = standardize_tuple(
                output_padding, rank, "output_padding", label, allow_zero=True
            )
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise ValueError(
                        f"{label}: each value of `output_padding` must be strictly less than the "
                        f"matching value of `strides`; at index {i}, output_padding is {extra} "
                        f"and strides is {stride}. Received: output_padding="
                        f"{self.output_padding}, strides={self.strides}."
                    )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs):
        outputs = ops.conv_transpose(
            inputs,
            self.kernel.value,
            self.strides,
            self.padding,
            self.output_padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        extra = self.output_padding or (None,) * self.rank
        return self._output_shape(
            input_shape,
            self.filters,
            lambda size, i: transpose_output_length(
                size,
                self.kernel_size[i],
                self.strides[i],
                self.padding,
                extra[i],
                self.dilation_rate[i],
            ),
        )

    def get_config(self) -> dict:
        return self._config(
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "output_padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "kernel_constraint",
            "bias_constraint",
        )
