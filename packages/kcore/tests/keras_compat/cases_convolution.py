"""The convolution layers: every class and alias, each padding, strides, dilation, groups,
output_padding, depth_multiplier and both data formats."""

from .cases import Case

CASES = [
    # Conv1D: each padding (causal with dilation), strides, groups, channels_first.
    Case("Conv1D", {"filters": 4, "kernel_size": 3, "activation": "relu"}, input_shape=(2, 9, 3)),
    Case("Conv1D", {"filters": 4, "kernel_size": 4, "padding": "same", "strides": 2}, (2, 9, 3)),
    Case(
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        input_shape=(2, 9, 3),
        id="Conv1D-causal",
    ),
    Case("Conv1D", {"filters": 6, "kernel_size": 2, "groups": 3}, input_shape=(2, 7, 6)),
    Case(
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "padding": "causal", "data_format": "channels_first"},
        input_shape=(2, 3, 8),
        id="Conv1D-causal-channels_first",
    ),
    Case("Convolution1D", {"filters": 2, "kernel_size": 2, "use_bias": False}, (2, 5, 3)),
    # Conv2D.
    Case(
        "Conv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}, input_shape=(2, 8, 8, 3)
    ),
    Case(
        "Conv2D",
        {"filters": 4, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
        input_shape=(2, 9, 8, 3),
    ),
    Case("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": (2, 1)}, (2, 9, 8, 3)),
    Case("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 2, "padding": "same"}, (2, 6, 6, 4)),
    Case(
        "Conv2D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 9, 8),
        id="Conv2D-channels_first",
    ),
    Case(
        "Conv2D",
        {"filters": 4, "kernel_size": 4, "padding": "same", "data_format": "channels_first"},
        input_shape=(2, 3, 7, 6),
        id="Conv2D-same-channels_first",
    ),
    Case("Convolution2D", {"filters": 2, "kernel_size": 1}, input_shape=(2, 4, 4, 3)),
    # Conv3D.
    Case("Conv3D", {"filters": 3, "kernel_size": 2}, input_shape=(2, 4, 5, 3, 2)),
    Case(
        "Conv3D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 4, 2)
    ),
    Case(
        "Conv3D",
        {"filters": 4, "kernel_size": 2, "groups": 2, "data_format": "channels_first"},
        input_shape=(1, 2, 4, 3, 5),
        id="Conv3D-groups-channels_first",
    ),
    Case("Convolution3D", {"filters": 2, "kernel_size": (1, 2, 2)}, input_shape=(1, 3, 3, 3, 2)),
    # Transposed convolutions: each padding, with and without output_padding, dilation.
    Case("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, input_shape=(2, 5, 4)),
    Case(
        "Conv1DTranspose",
        {"filters": 3, "kernel_size": 4, "strides": 3, "padding": "same", "output_padding": 1},
        input_shape=(2, 5, 4),
    ),
    Case("Conv1DTranspose", {"filters": 3, "kernel_size": 2, "strides": 3}, input_shape=(2, 5, 4)),
    Case("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (2, 5, 4)),
    Case("Convolution1DTranspose", {"filters": 2, "kernel_size": 2, "padding": "same"}, (2, 5, 3)),
    Case(
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": 3, "strides": 2, "activation": "relu"},
        input_shape=(2, 4, 5, 3),
    ),
    Case(
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": (3, 4), "strides": 2, "padding": "same"},
        input_shape=(2, 4, 5, 3),
    ),
    Case(
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2)},
        input_shape=(2, 4, 5, 3),
    ),
    Case(
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 4, 5),
        id="Conv2DTranspose-channels_first",
    ),
    Case("Convolution2DTranspose", {"filters": 2, "kernel_size": 2}, input_shape=(1, 3, 3, 2)),
    Case(
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"},
        input_shape=(1, 3, 2, 4, 3),
    ),
    Case(
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1},
        input_shape=(1, 2, 3, 2, 3),
    ),
    Case("Convolution3DTranspose", {"filters": 2, "kernel_size": 2}, input_shape=(1, 2, 2, 2, 2)),
    # Depthwise.
    Case("DepthwiseConv1D", {"kernel_size": 3}, input_shape=(2, 8, 3)),
    Case(
        "DepthwiseConv1D",
        {"kernel_size": 3, "depth_multiplier": 2, "padding": "same", "strides": 2},
        input_shape=(2, 9, 3),
    ),
    Case(
        "DepthwiseConv1D",
        {"kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 8),
        id="DepthwiseConv1D-channels_first",
    ),
    Case("DepthwiseConv2D", {"kernel_size": 3, "activation": "relu"}, input_shape=(2, 7, 6, 3)),
    Case(
        "DepthwiseConv2D",
        {"kernel_size": (3, 2), "depth_multiplier": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 7, 6, 2),
    ),
    Case("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2}, input_shape=(2, 8, 8, 2)),
    Case(
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 6, 5),
        id="DepthwiseConv2D-channels_first",
    ),
    # Separable.
    Case("SeparableConv1D", {"filters": 4, "kernel_size": 3}, input_shape=(2, 8, 3)),
    Case(
        "SeparableConv1D",
        {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
        input_shape=(2, 9, 3),
    ),
    Case(
        "SeparableConv1D",
        {"filters": 2, "kernel_size": 2, "data_format": "channels_first", "use_bias": False},
        input_shape=(2, 3, 6),
        id="SeparableConv1D-channels_first",
    ),
    Case("SeparableConvolution1D", {"filters": 2, "kernel_size": 2}, input_shape=(1, 5, 2)),
    Case("SeparableConv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}, (2, 7, 6, 3)),
    Case(
        "SeparableConv2D",
        {"filters": 5, "kernel_size": 3, "depth_multiplier": 2, "dilation_rate": 2},
        input_shape=(2, 8, 8, 3),
    ),
    Case(
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 6, 7),
        id="SeparableConv2D-channels_first",
    ),
    Case("SeparableConvolution2D", {"filters": 2, "kernel_size": 2}, input_shape=(1, 4, 4, 2)),
]
