"""What every convolution layer shares: argument checks, output sizes, bias and activation.

`BaseConvolution` holds the arguments all of them take (kernel size, strides, padding, data
format, dilation, activation and bias) and the steps around the convolution op itself: the
checks of the input shape at build time, the bias add and the activation after the op. Each
family (`BaseConv`, `BaseConvTranspose`, `BaseDepthwiseConv`, `BaseSeparableConv`) adds its
kernels and picks its op.
"""

from __future__ import annotations

import numbers

from kcore import activations, config, constraints, initializers, ops, regularizers
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer

_SPATIAL_NAMES = {1: "steps", 2: "rows, cols", 3: "dim1, dim2, dim3"}


def standardize_tuple(value, n: int, name: str, layer_class: str, allow_zero=False) -> tuple:
    """`value` (an int, or `n` ints) as a tuple of `n` ints, each positive (or >= 0 with
    `allow_zero`); a ValueError naming `layer_class` and the argument otherwise."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = ()
        if len(values) != n or not all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(
                f"{layer_class}: the `{name}` argument must be an integer or a tuple of {n} "
                f"integers. Received: {name}={value!r}"
            )
        values = tuple(int(v) for v in values)
    least = 0 if allow_zero else 1
    if any(v < least for v in values):
        raise ValueError(
            f"{layer_class}: every value of `{name}` must be {'>= 0' if allow_zero else '> 0'}. "
            f"Received: {name}={value!r}"
        )
    return values


def standardize_padding(value, layer_class: str, allow_causal=False) -> str:
    """`value` lowercased, checked against "valid", "same" (and "causal" where allowed)."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"{layer_class}: the `padding` argument must be one of {allowed} (case-insensitive). "
            f"Received: padding={value!r}"
        )
    return padding


def standardize_data_format(value, layer_class: str) -> str:
    """`value` resolved (None: `kcore.config.image_data_format()`) and checked."""
    try:
        return config.standardize_data_format(value)
    except ValueError:
        raise ValueError(
            f"{layer_class}: the `data_format` argument must be 'channels_last', "
            f"'channels_first' or None (for kcore.config.image_data_format()). Received: "
            f"data_format={value!r}"
        ) from None


def positive_int(value, name: str, layer_class: str) -> int:
    """`value` as an int, or a ValueError when it is not a positive integer."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{layer_class}: invalid value for argument `{name}`, expected a strictly positive "
            f"integer. Received: {name}={value!r}"
        )
    return int(value)


def conv_output_length(size, kernel: int, stride: int, padding: str, dilation: int):
    """The output size along one spatial axis of a convolution (None when `size` is)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - ((kernel - 1) * dilation + 1)) // stride + 1
    return (size - 1) // stride + 1


def transpose_output_length(size, kernel: int, stride: int, padding: str, output_padding, dilation):
    """The output size along one spatial axis of a transposed convolution (None when `size` is).

    "valid": `(size - 1) * stride + extent + extra`, `extra` being `output_padding` or, when that
    is None, `max(extent, stride) - extent`; "same": `size * stride` when `output_padding` is
    None, else `(size - 1) * stride + extent % 2 + output_padding` (`extent` the dilated kernel).
    """
    if size is None:
        return None
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return (size - 1) * stride + extent + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + extent % 2 + output_padding


def _serialize(key: str, value):
    if key == "activation":
        return activations.serialize(value)
    if key.endswith("_initializer"):
        return initializers.serialize(value)
    if key.endswith("_regularizer"):
        return regularizers.serialize(value)
    if key.endswith("_constraint"):
        return constraints.serialize(value)
    return value


class BaseConvolution(Layer):
    """The part of a convolution layer around its op (private base of the convolution layers).

    A subclass's `build` calls `_input_channels(input_shape)` first (it checks the input rank,
    the channel axis and that the output is not empty), creates its kernels, then calls
    `_add_bias(output_channels)`. Its `call` runs its op and returns `self._finish(outputs)`.
    Calls pass the ops the variables' `.value` (the stateless scope's, autocast value where one
    applies), which spares each op unwrapping them.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        kernel_size, strides, dilation_rate: an int or `rank` ints each.
        padding: "valid" or "same" (or "causal" when `allow_causal`).
        data_format: "channels_last", "channels_first" or None.
        activation, use_bias, bias_initializer, bias_regularizer, bias_constraint,
        activity_regularizer: as in `Conv2D`.
        allow_causal: accept padding "causal" (`Conv1D`).
        allow_strided_dilation: accept strides > 1 together with dilation_rate > 1.
    """

    # Whether padding "valid" needs an input at least as large as the dilated kernel (all but
    # the transposed convolutions).
    _shrinks = True

    def __init__(
        self,
        rank,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        bias_initializer="zeros",
        bias_regularizer=None,
        activity_regularizer=None,
        bias_constraint=None,
        allow_causal=False,
        allow_strided_dilation=True,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        label = type(self).__name__
        self.rank = rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", label)
        self.strides = standardize_tuple(strides, rank, "strides", label)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", label)
        self.padding = standardize_padding(padding, label, allow_causal=allow_causal)
        self.data_format = standardize_data_format(data_format, label)
        if not allow_strided_dilation and max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{label}: `strides > 1` is not supported together with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        # The least input size that padding "valid" needs, as (axis, size) pairs; checked at
        # build, in `compute_output_shape` and on each call (backends do not all fail clearly).
        self._min_input_sizes = ()
        if self._shrinks and self.padding == "valid":
            self._min_input_sizes = tuple(
                (axis, (k - 1) * d + 1)
                for axis, k, d in zip(self._spatial_axes(), self.kernel_size, self.dilation_rate)
                if k > 1
            )
        # The bias's broadcast shape with channels_first (set by `_add_bias`).
        self._bias_shape = None

    # --- build ----------------------------------------------------------------------------

    def _spatial_axes(self) -> range:
        return (
            range(1, self.rank + 1)
            if self.data_format == "channels_last"
            else range(2, 2 + self.rank)
        )

    def _check_rank(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if len(shape) != self.rank + 2:
            layout = (
                f"(batch, {_SPATIAL_NAMES[self.rank]}, channels)"
                if self.data_format == "channels_last"
                else f"(batch, channels, {_SPATIAL_NAMES[self.rank]})"
            )
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expects inputs of rank {self.rank + 2}, {layout} for "
                f"data_format={self.data_format!r}, but received an input of shape {shape} "
                f"(rank {len(shape)})."
            )
        return shape

    def _input_channels(self, input_shape) -> int:
        """The (known) channel count of `input_shape`, after checking the rank and (for the
        layers whose output shrinks with padding "valid") that the input is not smaller than the
        kernel; also fixes the `input_spec`."""
        shape = self._check_rank(input_shape)
        channels = shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): the channel axis of its input '
                f"(axis {self._channel_axis} for data_format={self.data_format!r}) must be known "
                f"to build it. Received input shape {shape}."
            )
        self._check_input_size(shape)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        return channels

    def _add_bias(self, channels: int) -> None:
        """Creates the bias (of `channels` values) when `use_bias`, after the kernels."""
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(channels,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.data_format == "channels_first":
                self._bias_shape = (channels,) + (1,) * self.rank
        else:
            self.bias = None

    def _check_input_size(self, shape) -> None:
        """Raises when a spatial axis of `shape` is smaller than the dilated kernel ("valid")."""
        for axis, least in self._min_input_sizes:
            size = shape[axis]
            if size is not None and size < least:
                self._raise_too_small(tuple(shape))

    def _raise_too_small(self, shape):
        spatial = tuple(shape[axis] for axis in self._spatial_axes())
        extent = tuple((k - 1) * d + 1 for k, d in zip(self.kernel_size, self.dilation_rate))
        dilated = (
            f" ({extent} after dilation_rate={self.dilation_rate})"
            if extent != self.kernel_size
            else ""
        )
        raise ValueError(
            f'Layer "{self.name}" ({type(self).__name__}): the kernel is larger than the input. '
            f"kernel_size={self.kernel_size}{dilated}, but the input of shape {shape} has spatial "
            f'size {spatial}, and padding="valid" gives no output then. Use padding="same", a '
            "smaller kernel_size (or dilation_rate), or a larger input."
        )

    # --- call -----------------------------------------------------------------------------

    def _finish(self, outputs):
        """`outputs` of the op, plus the bias, through the activation."""
        if self.bias is not None:
            bias = self.bias.value
            if self._bias_shape is not None:
                bias = ops.reshape(bias, self._bias_shape)
            outputs = ops.add(outputs, bias)
        activation = self.activation
        if activation is not activations.linear:
            outputs = activation(outputs)
        return outputs

    # --- shapes and config ----------------------------------------------------------------

    def _output_shape(self, input_shape, channels, length) -> tuple:
        """The output shape for `input_shape`, with `channels` output channels and
        `length(size, axis_index)` giving each spatial size."""
        shape = self._check_rank(input_shape)
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        sizes = tuple(length(size, i) for i, size in enumerate(spatial))
        if self.data_format == "channels_last":
            return (shape[0], *sizes, channels)
        return (shape[0], channels, *sizes)

    def _conv_output_shape(self, input_shape, channels) -> tuple:
        """The output shape of a (not transposed) convolution of `input_shape`."""
        shape = self._check_rank(input_shape)
        self._check_input_size(shape)
        return self._output_shape(
            shape,
            channels,
            lambda size, i: conv_output_length(
                size, self.kernel_size[i], self.strides[i], self.padding, self.dilation_rate[i]
            ),
        )

    def _config(self, *keys) -> dict:
        """The base config plus the attributes `keys`, serialized, in that order."""
        config = super().get_config()
        for key in keys:
            config[key] = _serialize(key, getattr(self, key))
        return config
