"""`BaseSeparableConv`: the depthwise-separable convolution behind `SeparableConv1D` and
`SeparableConv2D`."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers
from kcore.layers.convolution._common import BaseConvolution, positive_int


class BaseSeparableConv(BaseConvolution):
    """N-D separable convolution: a depthwise convolution followed by a pointwise (1x1)
    convolution that mixes the channels, plus a bias, through an activation (private base of
    `SeparableConv1D` and `SeparableConv2D`, whose docstrings hold the arguments).

    Weights: `depthwise_kernel` of shape `kernel_size + (input_channels, depth_multiplier)`,
    `pointwise_kernel` of shape `(1,) * rank + (input_channels * depth_multiplier, filters)`,
    and the bias `(filters,)`.
    """

    def __init__(
        self,
        rank,
        depth_multiplier,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        label = type(self).__name__
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", label)
        self.filters = positive_int(filters, "filters", label)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs):
        if self._min_input_sizes:
            self._check_input_size(inputs.shape)
        outputs = ops.separable_conv(
            inputs,
            self.depthwise_kernel.value,
            self.pointwise_kernel.value,
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        return self._conv_output_shape(input_shape, self.filters)

    def get_config(self) -> dict:
        return self._config(
            "depth_multiplier",
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "activation",
            "use_bias",
            "depthwise_initializer",
            "pointwise_initializer",
            "bias_initializer",
            "depthwise_regularizer",
            "pointwise_regularizer",
            "bias_regularizer",
            "activity_regularizer",
            "depthwise_constraint",
            "pointwise_constraint",
            "bias_constraint",
        )
