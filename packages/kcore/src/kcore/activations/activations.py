"""Keras 3's activation functions, written with `kcore.ops` (any backend, and `KerasTensor`s).

Each is marked with ``@keras_export("keras.activations")``, so layers save them by name.
"""

from __future__ import annotations

from kcore import ops
from kcore.backend.keras_tensor import KerasTensor
from kcore.saving.object_registration import keras_export

_ACTIVATIONS = "keras.activations"


def _tensor(x):
    return x if isinstance(x, KerasTensor) else ops.convert_to_tensor(x)


def _keep_logits(output, x):
    # Losses read `_keras_logits` to compute from logits when given a softmax/sigmoid output.
    try:
        output._keras_logits = x
    except AttributeError:  # a C type (numpy array...) takes no attributes
        pass
    return output


@keras_export(_ACTIVATIONS)
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: ``max(x, 0)`` with the default arguments.

    Args:
        x: input tensor.
        negative_slope: slope for values below `threshold` (0: they become 0).
        max_value: the largest value returned (None: no upper bound).
        threshold: the value below which inputs are damped or zeroed.

    Example:

    >>> import kcore
    >>> x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    >>> kcore.ops.convert_to_numpy(kcore.activations.relu(x, max_value=5.0)).tolist()
    [0.0, 0.0, 0.0, 5.0, 5.0]
    """
    x = _tensor(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return ops.leaky_relu(x, negative_slope=negative_slope)
        negative_part = ops.relu(-x + threshold) if threshold != 0 else ops.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * ops.cast(ops.greater(x, ops.cast(threshold, x.dtype)), x.dtype)
    elif max_value == 6:
        x = ops.relu6(x)
        clip_max = False
    else:
        x = ops.relu(x)
    if clip_max:
        x = ops.clip(x, ops.cast(0.0, x.dtype), ops.cast(max_value, x.dtype))
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


@keras_export(_ACTIVATIONS)
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for positive inputs, ``negative_slope * x`` otherwise.

    Args:
        x: input tensor.
        negative_slope: slope for negative inputs.
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


@keras_export(_ACTIVATIONS)
def relu6(x):
    """ReLU capped at 6: ``min(max(x, 0), 6)``.

    Args:
        x: input tensor.
    """
    return ops.relu6(x)


@keras_export(_ACTIVATIONS)
def softmax(x, axis=-1):
    """Softmax: ``exp(x) / sum(exp(x))`` along `axis`, a probability distribution.

    Args:
        x: input tensor (logits).
        axis: the axis the softmax is taken along.
    """
    return _keep_logits(ops.softmax(x, axis=axis), x)


@keras_export(_ACTIVATIONS)
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        x: input tensor.
        alpha: scale of the negative part.
    """
    return ops.elu(x, alpha=alpha)


@keras_export(_ACTIVATIONS)
def selu(x):
    """Scaled ELU: ``scale * elu(x, alpha)`` with ``alpha=1.67326324``, ``scale=1.05070098``.

    Use it with the `LecunNormal` initializer.

    Args:
        x: input tensor.
    """
    return ops.selu(x)


@keras_export(_ACTIVATIONS)
def softplus(x):
    """Softplus: ``log(exp(x) + 1)``.

    Args:
        x: input tensor.
    """
    return ops.softplus(x)


@keras_export(_ACTIVATIONS)
def softsign(x):
    """Softsign: ``x / (abs(x) + 1)``.

    Args:
        x: input tensor.
    """
    return ops.softsign(x)


@keras_export(_ACTIVATIONS)
def soft_shrink(x, threshold=0.5):
    """Soft shrink: ``x - threshold`` above `threshold`, ``x + threshold`` below ``-threshold``,
    else 0.

    Args:
        x: input tensor.
        threshold: the half-width of the band mapped to 0.
    """
    return ops.soft_shrink(x, threshold=threshold)


@keras_export(_ACTIVATIONS)
def sparse_plus(x):
    """SparsePlus: 0 for ``x <= -1``, ``(x + 1)**2 / 4`` for ``-1 < x < 1``, `x` above.

    Args:
        x: input tensor.
    """
    return ops.sparse_plus(x)


@keras_export(_ACTIVATIONS)
def silu(x):
    """Swish (SiLU): ``x * sigmoid(x)``. Also available as `swish`.

    Args:
        x: input tensor.
    """
    return ops.silu(x)


@keras_export(_ACTIVATIONS)
def squareplus(x, b=4):
    """Squareplus: ``(x + sqrt(x**2 + b)) / 2``.

    Args:
        x: input tensor.
        b: smoothness at 0 (non-negative).
    """
    return ops.squareplus(x, b=b)


@keras_export(_ACTIVATIONS)
def gelu(x, approximate=False):
    """Gaussian error linear unit: ``0.5 * x * (1 + erf(x / sqrt(2)))``.

    Args:
        x: input tensor.
        approximate: whether to use the tanh approximation.
    """
    return ops.gelu(x, approximate=approximate)


@keras_export(_ACTIVATIONS)
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(x, 0) + alpha * min(0, exp(x / alpha) - 1)``.

    Args:
        x: input tensor.
        alpha: scale of the negative part.
    """
    return ops.celu(x, alpha=alpha)


@keras_export(_ACTIVATIONS)
def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)``, with `x` split in halves ``a, b`` along `axis`.

    Args:
        x: input tensor (its `axis` dimension must be even).
        axis: the axis split in two.
    """
    return ops.glu(x, axis=axis)


@keras_export(_ACTIVATIONS)
def tanh(x):
    """Hyperbolic tangent: ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``.

    Args:
        x: input tensor.
    """
    return ops.tanh(x)


@keras_export(_ACTIVATIONS)
def tanh_shrink(x):
    """Tanh shrink: ``x - tanh(x)``.

    Args:
        x: input tensor.
    """
    return ops.tanh_shrink(x)


@keras_export(_ACTIVATIONS)
def hard_tanh(x):
    """Hard tanh: `x` clipped to ``[-1, 1]``.

    Args:
        x: input tensor.
    """
    return ops.hard_tanh(x)


@keras_export(_ACTIVATIONS)
def hard_shrink(x, threshold=0.5):
    """Hard shrink: `x` where ``abs(x) > threshold``, else 0.

    Args:
        x: input tensor.
        threshold: the half-width of the band mapped to 0.
    """
    return ops.hard_shrink(x, threshold=threshold)


@keras_export(_ACTIVATIONS)
def threshold(x, threshold, default_value):
    """Threshold: `x` where ``x > threshold``, else `default_value`.

    Args:
        x: input tensor.
        threshold: the value inputs must exceed to be kept.
        default_value: the value given to the others.
    """
    return ops.threshold(x, threshold, default_value)


@keras_export(_ACTIVATIONS)
def sigmoid(x):
    """Sigmoid: ``1 / (1 + exp(-x))``.

    Args:
        x: input tensor (logits).
    """
    return _keep_logits(ops.sigmoid(x), x)


@keras_export(_ACTIVATIONS)
def exponential(x):
    """Exponential: ``exp(x)``.

    Args:
        x: input tensor.
    """
    return ops.exp(x)


@keras_export(_ACTIVATIONS)
def hard_sigmoid(x):
    """Hard sigmoid: 0 for ``x <= -3``, 1 for ``x >= 3``, ``x / 6 + 0.5`` in between.

    Args:
        x: input tensor.
    """
    return ops.hard_sigmoid(x)


@keras_export(_ACTIVATIONS)
def log_sigmoid(x):
    """Log-sigmoid: ``log(sigmoid(x))``, computed stably.

    Args:
        x: input tensor.
    """
    return ops.log_sigmoid(x)


@keras_export(_ACTIVATIONS)
def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` in between.

    Args:
        x: input tensor.
    """
    return ops.sparse_sigmoid(x)


@keras_export(_ACTIVATIONS)
def hard_silu(x):
    """Hard SiLU (hard swish): 0 below -3, `x` above 3, ``x * (x + 3) / 6`` in between.

    Also available as `hard_swish`.

    Args:
        x: input tensor.
    """
    return ops.hard_silu(_tensor(x))


@keras_export(_ACTIVATIONS)
def linear(x):
    """Linear (identity) activation: returns `x` unchanged.

    Args:
        x: input tensor.
    """
    return x


@keras_export(_ACTIVATIONS)
def mish(x):
    """Mish: ``x * tanh(softplus(x))``.

    Args:
        x: input tensor.
    """
    x = _tensor(x)
    return x * ops.tanh(ops.softplus(x))


@keras_export(_ACTIVATIONS)
def log_softmax(x, axis=-1):
    """Log-softmax: ``x - logsumexp(x)`` along `axis`.

    Args:
        x: input tensor (logits).
        axis: the axis the softmax is taken along.
    """
    return ops.log_softmax(x, axis=axis)


@keras_export(_ACTIVATIONS)
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax its outputs sum to 1, but many are exactly 0.

    Args:
        x: input tensor (logits).
        axis: the axis it is taken along.
    """
    return ops.sparsemax(x, axis=axis)
