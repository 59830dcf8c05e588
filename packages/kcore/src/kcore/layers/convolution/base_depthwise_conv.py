"""`BaseDepthwiseConv`: the depthwise convolution behind `DepthwiseConv1D` and
`DepthwiseConv2D`."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers
from kcore.layers.convolution._common import BaseConvolution, positive_int


class BaseDepthwiseConv(BaseConvolution):
    """N-D depthwise convolution: each input channel convolved with its own `depth_multiplier`
    kernels, plus a bias, through an activation (private base of `DepthwiseConv1D` and
    `DepthwiseConv2D`, whose docstrings hold the arguments).

    The kernel has shape `kernel_size + (input_channels, depth_multiplier)`; the bias
    `(input_channels * depth_multiplier,)`.
    """

    def __init__(
        self,
        rank,
        depth_multiplier,
        kernel_size,
        strides=1,
        padding="valid",
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
            **kwargs,
        )
        self.depth_multiplier = positive_int(
            depth_multiplier, "depth_multiplier", type(self).__name__
        )
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self._add_bias(channels * self.depth_multiplier)

    def call(self, inputs):
        if self._min_input_sizes:
            self._check_input_size(inputs.shape)
        outputs = ops.depthwise_conv(
            inputs,
            self.kernel.value,
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        channels = self._check_rank(input_shape)[self._channel_axis]
        outputs = None if channels is None else channels * self.depth_multiplier
        return self._conv_output_shape(input_shape, outputs)

    def get_config(self) -> dict:
        return self._config(
            "depth_multiplier",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "depthwise_initializer",
            "bias_initializer",
            "depthwise_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "depthwise_constraint",
            "bias_constraint",
        )
