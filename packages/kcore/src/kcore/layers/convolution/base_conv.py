"""`BaseConv`: the N-D convolution behind `Conv1D`, `Conv2D` and `Conv3D`."""

from __future__ import annotations

from kcore import constraints, initializers, ops, regularizers
from kcore.layers.convolution._common import BaseConvolution, positive_int
from kcore.layers.core._unsupported import check_off


class BaseConv(BaseConvolution):
    """N-D convolution (cross-correlation) of the input with a kernel, plus a bias, through an
    activation (private base of `Conv1D`, `Conv2D` and `Conv3D`, whose docstrings hold the
    arguments).

    The kernel has shape `kernel_size + (input_channels // groups, filters)`; the bias `(filters,)`.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        label = type(self).__name__
        check_off(label, lora_rank=lora_rank, lora_alpha=lora_alpha if lora_rank else None)
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
            allow_causal=rank == 1,
            allow_strided_dilation=False,
            **kwargs,
        )
        self.filters = positive_int(filters, "filters", label)
        self.groups = positive_int(groups, "groups", label)
        if self.filters % self.groups:
            raise ValueError(
                f"{label}: the number of filters must be evenly divisible by the number of "
                f"groups. Received: groups={self.groups}, filters={self.filters}. Pick `filters` "
                "as a multiple of `groups`."
            )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        # Padding "causal" (Conv1D) is a left padding by the dilated kernel's extent, then "valid".
        self._op_padding = "valid" if self.padding == "causal" else self.padding
        self._causal_pad_width = None
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            time_axis = 1 if self.data_format == "channels_last" else 2
            self._causal_pad_width = tuple(
                (left, 0) if axis == time_axis else (0, 0) for axis in range(3)
            )

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): the number of input channels must '
                f"be evenly divisible by the number of groups. Received groups={self.groups}, "
                f"but the input has {channels} channels (full input shape {tuple(input_shape)})."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._add_bias(self.filters)

    def call(self, inputs):
        if self._min_input_sizes:
            self._check_input_size(inputs.shape)
        if self._causal_pad_width is not None:
            inputs = ops.pad(inputs, self._causal_pad_width)
        outputs = ops.conv(
            inputs,
            self.kernel.value,
            self.strides,
            self._op_padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        return self._conv_output_shape(input_shape, self.filters)

    def get_config(self) -> dict:
        return self._config(
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "data_format",
            "dilation_rate",
            "groups",
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
