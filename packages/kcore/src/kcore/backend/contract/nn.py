"""Contract group ``nn``: activations, pooling, convolutions, losses, normalization, attention.

Dtype rule for the activations: float inputs keep their dtype; int and bool inputs give floatx,
except for `relu` and `relu6`, which keep integer dtypes. `data_format=None` means
`kcore.config.image_data_format()`.
"""

from __future__ import annotations

from kcore.backend.contract._spec import Group, ops

group = Group("nn")


# Activations.


@group.required
def relu(x):
    """Element-wise `max(x, 0)`."""


@group.optional
def relu6(x):
    """Element-wise `min(max(x, 0), 6)`."""
    x = ops.convert_to_tensor(x)
    return ops.minimum(ops.maximum(x, ops.zeros_like(x)), ops.full_like(x, 6))


@group.required
def sigmoid(x):
    """Element-wise `1 / (1 + exp(-x))`."""


@group.optional
def sparse_sigmoid(x):
    """0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` in between."""
    return ops.clip(ops.multiply(ops.add(_as_float(x), 1.0), 0.5), 0.0, 1.0)


@group.required
def softplus(x):
    """Element-wise `log(1 + exp(x))`, computed without overflow."""


@group.optional
def softsign(x):
    """Element-wise `x / (1 + |x|)`."""
    x = _as_float(x)
    return ops.divide(x, ops.add(ops.abs(x), 1.0))


@group.optional
def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0."""
    x = _as_float(x)
    return ops.where(
        ops.greater(x, threshold),
        ops.subtract(x, threshold),
        ops.where(ops.less(x, -threshold), ops.add(x, threshold), ops.zeros_like(x)),
    )


@group.optional
def sparse_plus(x):
    """0 for `x <= -1`, `x` for `x >= 1`, `(x + 1)**2 / 4` in between."""
    x = _as_float(x)
    middle = ops.multiply(ops.square(ops.add(x, 1.0)), 0.25)
    return ops.where(
        ops.less_equal(x, -1.0), ops.zeros_like(x), ops.where(ops.greater_equal(x, 1.0), x, middle)
    )


@group.optional
def silu(x):
    """Element-wise `x * sigmoid(x)` (also called swish)."""
    x = _as_float(x)
    return x * ops.sigmoid(x)


@group.optional
def squareplus(x, b=4):
    """Element-wise `(x + sqrt(x**2 + b)) / 2`."""
    x = _as_float(x)
    return ops.multiply(ops.add(x, ops.sqrt(ops.add(ops.square(x), b))), 0.5)


@group.optional
def log_sigmoid(x):
    """Element-wise `log(sigmoid(x)) = -softplus(-x)`."""
    return -ops.softplus(-_as_float(x))


@group.required
def leaky_relu(x, negative_slope=0.2):
    """`x` where `x >= 0`, else `negative_slope * x`."""


@group.optional
def hard_sigmoid(x):
    """Element-wise `clip(x / 6 + 1 / 2, 0, 1)`."""
    x = _as_float(x)
    return ops.clip(ops.add(ops.divide(x, 6.0), 0.5), 0.0, 1.0)


@group.optional
def hard_silu(x):
    """Element-wise `x * hard_sigmoid(x)` (also called hard swish)."""
    x = _as_float(x)
    return x * ops.hard_sigmoid(x)


@group.required
def elu(x, alpha=1.0):
    """`x` where `x > 0`, else `alpha * (exp(x) - 1)`."""


@group.optional
def selu(x):
    """`scale * elu(x, alpha)` with alpha = 1.6732632423543772, scale = 1.0507009873554805."""
    return ops.multiply(ops.elu(_as_float(x), alpha=1.6732632423543772), 1.0507009873554805)


@group.required
def gelu(x, approximate=True):
    """Gaussian error linear unit: `x * Phi(x)`; `approximate=True` uses the tanh formula
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`."""


@group.optional
def celu(x, alpha=1.0):
    """`max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`."""
    x = _as_float(x)
    zero = ops.zeros_like(x)
    negative = ops.multiply(ops.expm1(ops.divide(ops.minimum(x, zero), alpha)), alpha)
    return ops.add(ops.maximum(x, zero), negative)


@group.optional
def glu(x, axis=-1):
    """Gated linear unit: `x` split in two halves `a, b` along `axis`; returns `a * sigmoid(b)`."""
    x = _as_float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}, got shape {x.shape}.")
    a, b = ops.split(x, 2, axis=axis)
    return a * ops.sigmoid(b)


@group.optional
def tanh_shrink(x):
    """Element-wise `x - tanh(x)`."""
    x = _as_float(x)
    return x - ops.tanh(x)


@group.optional
def hard_tanh(x):
    """Element-wise `clip(x, -1, 1)`."""
    return ops.clip(_as_float(x), -1.0, 1.0)


@group.optional
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    x = _as_float(x)
    return ops.where(ops.greater(ops.abs(x), threshold), x, ops.zeros_like(x))


@group.optional
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    x = _as_float(x)
    return ops.where(ops.greater(x, threshold), x, ops.full_like(x, default_value))


@group.required
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` over `axis` (an int or a tuple of ints), computed stably."""


@group.optional
def log_softmax(x, axis=-1):
    """`x - logsumexp(x)` over `axis` (an int or a tuple of ints)."""
    x = _as_float(x)
    return x - ops.logsumexp(x, axis=axis, keepdims=True)


@group.required
def sparsemax(x, axis=-1):
    """Euclidean projection of `x` onto the probability simplex along `axis`:
    `max(x - tau, 0)` with `tau` chosen so the result sums to 1."""


def _as_float(x):
    from kcore.backend.dtypes import is_float_dtype, result_type, standardize_dtype

    x = ops.convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    return x if is_float_dtype(dtype) else ops.cast(x, result_type(dtype, float))


# Pooling.


@group.required
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max over sliding windows of the spatial axes of a rank N+2 tensor.

    `pool_size` and `strides` (default: `pool_size`) are ints or N-tuples; `padding` is "valid"
    or "same" (TensorFlow's "same": output size `ceil(size / stride)`, extra padding at the end).
    """


@group.required
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over sliding windows of the spatial axes (arguments as in `max_pool`).

    With "same" padding, padded positions are left out of each window's mean.
    """


@group.required
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Mean pooling to a fixed spatial `output_size` (int or N-tuple): output index `i` of an
    axis of size `L` pools `[floor(i * L / out), ceil((i + 1) * L / out))`."""


@group.required
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial `output_size`, with the windows of `adaptive_average_pool`."""


# Convolutions.


@group.required
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation) of a rank N+2 `inputs` with a kernel of shape
    `kernel_spatial_shape + (in_channels // groups, out_channels)`.

    `groups = in_channels // kernel.shape[-2]` (grouped convolution when > 1). `padding` is
    "valid" or "same"; `strides` and `dilation_rate` are ints or N-tuples.
    """


@group.required
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise N-D convolution with a kernel of shape `spatial + (in_channels, multiplier)`;
    output channel `c * multiplier + m` is input channel `c` convolved with `kernel[..., c, m]`."""


@group.optional
def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """`depthwise_conv` followed by a 1x1 `conv` with `pointwise_kernel`."""
    outputs = ops.depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return ops.conv(
        outputs, pointwise_kernel, 1, "valid", data_format=data_format, dilation_rate=dilation_rate
    )


@group.required
def conv_transpose(
    inputs,
    kernel,
    strides,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed N-D convolution, kernel of shape `spatial + (out_channels, in_channels)`.

    Output size per axis (`k` the dilated kernel size): "valid": `(n - 1) * s + k + op` with
    `op = max(k, s) - k` when `output_padding` is None; "same": `n * s` when `output_padding` is
    None, else `(n - 1) * s + k - 2 * (k // 2) + op`.
    """


# Encodings and losses.


@group.required
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encoding of the integer tensor `x` (new axis of size `num_classes` at `axis`).

    Negative or out-of-range indices give all-zero rows. `dtype` defaults to floatx.
    """


@group.optional
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: `max` of `one_hot(inputs)` over the index axis (axis 1 for batched
    rank-2 inputs, axis 0 for rank 1). `num_tokens` is accepted as an old name of `num_classes`."""
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    if kwargs:
        raise TypeError(f"multi_hot got unexpected arguments {sorted(kwargs)}.")
    inputs = ops.convert_to_tensor(inputs)
    reduction_axis = 1 if len(inputs.shape) > 1 else 0
    encoded = ops.one_hot(ops.cast(inputs, "int32"), num_classes, axis=axis, dtype=dtype)
    return ops.max(encoded, axis=reduction_axis)


@group.optional
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary crossentropy; probabilities are clipped to `[eps, 1 - eps]`
    (`eps = kcore.config.epsilon()`), logits go through a stable log-sigmoid."""
    from kcore import config

    target, output = _same_float(target, output)
    if from_logits:
        return -target * ops.log_sigmoid(output) - (1.0 - target) * ops.log_sigmoid(-output)
    output = ops.clip(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * ops.log(output) + (1.0 - target) * ops.log(1.0 - output))


@group.optional
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-sum(target * log(p), axis)`; `p = softmax(output)` for logits, else `output` rescaled to
    sum to 1 and clipped to `[eps, 1 - eps]`."""
    from kcore import config

    target, output = _same_float(target, output)
    if from_logits:
        log_prob = ops.log_softmax(output, axis=axis)
    else:
        output = output / ops.sum(output, axis=axis, keepdims=True)
        log_prob = ops.log(ops.clip(output, config.epsilon(), 1.0 - config.epsilon()))
    return -ops.sum(target * log_prob, axis=axis)


@group.optional
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`categorical_crossentropy` with integer class indices as `target` (a trailing size-1
    axis is squeezed); negative indices give a zero loss."""
    target = ops.convert_to_tensor(target)
    output = _as_float(output)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = ops.squeeze(target, axis=-1)
    target = ops.one_hot(
        ops.cast(target, "int32"), output.shape[axis], axis=axis, dtype=output.dtype
    )
    return ops.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def _same_float(target, output):
    from kcore.backend.dtypes import result_type, standardize_dtype

    target, output = ops.convert_to_tensor(target), ops.convert_to_tensor(output)
    dtype = result_type(standardize_dtype(target.dtype), standardize_dtype(output.dtype), float)
    return ops.cast(target, dtype), ops.cast(output, dtype)


@group.required
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sequence CTC loss (negative log-likelihood), shape `(batch,)`.

    `target`: int `(batch, max_label_length)`; `output`: logits `(batch, max_time, classes)`
    (log-softmax is applied inside); `mask_index` is the blank class. Float dtype of
    `result_type(output.dtype, "float32")`.
    """


@group.required
def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes CTC outputs `(batch, max_time, classes)`; returns `(paths, scores)`.

    `paths` is int32 `(top_paths, batch, max_time)`, padded with -1. "greedy" (top_paths is 1):
    best class per step, repeats merged, blanks dropped; `scores` `(batch, 1)` is minus the sum of
    the chosen `inputs` values. "beam_search": `scores` `(batch, top_paths)` are the log
    probabilities of the paths under `log_softmax(inputs)`.
    """


# Normalization and statistics.


@group.optional
def moments(x, axes, keepdims=False, synchronized=False):
    """`(mean, variance)` of `x` over `axes`; float16 is computed in float32.

    `synchronized` (cross-replica statistics) is a distribution hint.
    """
    x = _as_float(x)
    mean = ops.mean(x, axis=axes, keepdims=True)
    variance = ops.mean(ops.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = ops.squeeze(mean, axis=axes)
    return mean, variance


@group.optional
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`; the 1-D statistics apply along
    `axis` of `x`."""
    x = _as_float(x)
    shape = [1] * len(x.shape)
    shape[axis] = -1
    inv = ops.rsqrt(ops.reshape(variance, shape) + epsilon)
    if scale is not None:
        inv = inv * ops.reshape(scale, shape)
    outputs = (x - ops.reshape(mean, shape)) * inv
    if offset is not None:
        outputs = outputs + ops.reshape(offset, shape)
    return ops.cast(outputs, x.dtype)


@group.optional
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x, ord=order, axis), epsilon)`; `epsilon` defaults to `config.epsilon()`."""
    from kcore import config

    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize needs an integer order >= 1, got order={order!r}.")
    x = _as_float(x)
    if len(x.shape) == 0:
        x = ops.expand_dims(x, axis=0)
    epsilon = config.epsilon() if epsilon is None else epsilon
    norm = ops.norm(x, ord=order, axis=axis, keepdims=True)
    return x / ops.maximum(norm, epsilon)


@group.optional
def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2, axis) + epsilon) * scale`; `epsilon` defaults to `config.epsilon()`."""
    from kcore import config

    x = _as_float(x)
    if len(x.shape) == 0:
        x = ops.expand_dims(x, axis=0)
    epsilon = config.epsilon() if epsilon is None else epsilon
    rrms = ops.rsqrt(ops.mean(ops.square(x), axis=axis, keepdims=True) + epsilon)
    return ops.cast(x * rrms * scale, x.dtype)


@group.optional
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta` with statistics over `axis` (int or
    tuple); `epsilon` defaults to `config.epsilon()`. The legacy `rms_scaling=True` gives
    `rms_normalization(x, gamma, axis, epsilon)`."""
    from kcore import config

    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected arguments {sorted(kwargs)}.")
    if rms_scaling:
        return ops.rms_normalization(x, 1 if gamma is None else gamma, axis, epsilon)
    x = _as_float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    mean, variance = ops.moments(x, axes=axis, keepdims=True)
    outputs = (x - mean) * ops.rsqrt(variance + epsilon)
    if gamma is not None:
        outputs = outputs * gamma
    if beta is not None:
        outputs = outputs + beta
    return ops.cast(outputs, x.dtype)


@group.optional
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio `20 * log10(max_val) - 10 * log10(mean((x1 - x2)**2))`, a
    scalar; `x1` and `x2` must have the same shape."""
    x1, x2 = _same_float(x1, x2)
    if tuple(x1.shape) != tuple(x2.shape):
        raise ValueError(f"psnr needs inputs of one shape, got {x1.shape} and {x2.shape}.")
    max_val = ops.cast(max_val, x2.dtype)
    mse = ops.mean(ops.square(x1 - x2))
    return 20.0 * ops.log10(max_val) - 10.0 * ops.log10(mse)


@group.optional
def polar(abs_, angle):
    """The complex tensor `abs_ * (cos(angle) + 1j * sin(angle))`."""
    abs_, angle = _same_float(abs_, angle)
    dtype = "complex128" if abs_.dtype == "float64" else "complex64"
    real = ops.cast(abs_ * ops.cos(angle), dtype)
    imag = ops.cast(abs_ * ops.sin(angle), dtype)
    return real + imag * 1j


# Attention.


@group.required
def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention on `(batch, seq, heads, head_dim)` tensors (rank 3 without the
    batch axis also works); `key`/`value` may have fewer heads (grouped-query attention).

    `logits = einsum(query, key) * scale` (`scale` defaults to `1 / sqrt(head_dim)`), plus `bias`,
    soft-capped as `tanh(logits / cap) * cap` when `attn_logits_soft_cap` is set; `mask` (bool,
    broadcastable to `(batch, heads, q_seq, kv_seq)`) and `is_causal` (lower-triangular mask) hide
    positions; softmax in float32, then weights times `value`. `flash_attention` is a hint.
    """


# Rearrangements.


@group.required
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks (im2col) of a channels-first `(N, C, H, W)` tensor, shape
    `(N, C * kh * kw, L)`: block entries in `(c, i, j)` order, blocks in row-major order."""


@group.optional
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves `block_size**2` channel blocks into space: `(N, H, W, C)` gives
    `(N, H * b, W * b, C / b**2)`. channels_last reads channel `(i * b + j) * C' + c` for offset
    `(i, j)`; channels_first reads channel `c * b * b + i * b + j`."""
    from kcore import config

    data_format = config.standardize_data_format(data_format)
    x = ops.convert_to_tensor(x)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = ops.reshape(x, (n, h, w, b, b, c // (b * b)))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (n, h * b, w * b, c // (b * b)))
    n, c, h, w = x.shape
    x = ops.reshape(x, (n, c // (b * b), b, b, h, w))
    x = ops.transpose(x, (0, 1, 4, 2, 5, 3))
    return ops.reshape(x, (n, c // (b * b), h * b, w * b))


@group.optional
def space_to_depth(x, block_size, data_format="channels_last"):
    """The inverse of `depth_to_space`: `(N, H, W, C)` gives `(N, H / b, W / b, C * b**2)`."""
    from kcore import config

    data_format = config.standardize_data_format(data_format)
    x = ops.convert_to_tensor(x)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = ops.reshape(x, (n, h // b, b, w // b, b, c))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (n, h // b, w // b, c * b * b))
    n, c, h, w = x.shape
    x = ops.reshape(x, (n, c, h // b, b, w // b, b))
    x = ops.transpose(x, (0, 1, 3, 5, 2, 4))
    return ops.reshape(x, (n, c * b * b, h // b, w // b))


group.alias("swish", "silu")
group.alias("hard_swish", "hard_silu")
