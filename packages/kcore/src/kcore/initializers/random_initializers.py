"""Initializers that draw random values, and `compute_fans`.

Seeds follow Keras 3: an int seed, or no seed (a random one is drawn once, at construction), gives
the same values on every call; a `kcore.random.SeedGenerator` gives new values on each call.
"""

from __future__ import annotations

import math
import numbers

from kcore import ops, random
from kcore.initializers.initializer import Initializer
from kcore.random.seed_generator import SeedGenerator, make_default_seed
from kcore.saving import serialization

_SEED_DOC = """seed: an int or None (the same values on every call; None draws a random seed once,
            when the initializer is created) or a `kcore.random.SeedGenerator` (new values on
            each call)."""


class RandomInitializer(Initializer):
    """Base class of the random initializers: holds the seed (see the module docstring).

    Args:
        seed: an int, None or a `kcore.random.SeedGenerator` (or its config dict).
    """

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = make_default_seed()
        elif isinstance(seed, dict):
            seed = serialization.deserialize_keras_object(seed)
        elif not isinstance(seed, (numbers.Integral, SeedGenerator)) or isinstance(seed, bool):
            raise ValueError(
                f"{type(self).__name__}: `seed` must be an int, None or a "
                f"kcore.random.SeedGenerator. Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self):
        return {"seed": serialization.serialize_keras_object(self._init_seed)}


class RandomNormal(RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: the mean of the values.
        stddev: their standard deviation.
        {seed}

    Example:

    >>> import kcore
    >>> values = kcore.initializers.RandomNormal(stddev=1.0, seed=1)((2, 2))
    >>> tuple(values.shape)
    (2, 2)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution, redrawing values more than two `stddev` from `mean`.

    Args:
        mean: the mean of the untruncated distribution.
        stddev: its standard deviation.
        {seed}
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype
        )

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Draws from the uniform distribution on ``[minval, maxval)``.

    Args:
        minval: the lower bound (inclusive).
        maxval: the upper bound (exclusive).
        {seed}
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(
            shape, minval=self.minval, maxval=self.maxval, seed=self.seed, dtype=dtype
        )

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class VarianceScaling(RandomInitializer):
    """Draws with a scale adapted to the tensor's shape: variance ``scale / n``.

    ``n`` is the fan-in (``mode="fan_in"``), the fan-out (``"fan_out"``) or their mean
    (``"fan_avg"``), see `compute_fans`. ``"truncated_normal"`` draws a truncated normal whose
    standard deviation after truncation is ``sqrt(scale / n)``; ``"untruncated_normal"`` a normal
    with that standard deviation; ``"uniform"`` draws on ``[-limit, limit]`` with
    ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: the scaling factor (positive).
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (``"normal"`` is an alias), ``"untruncated_normal"``
            or ``"uniform"``.
        {seed}
        input_axes: optional list of axes of the weight whose sizes multiply to the fan-in.
        output_axes: optional list of axes whose sizes multiply to the fan-out. Used only when
            both are given (for weights such as `EinsumDense` kernels, whose layout is not
            ``(..., in, out)``); otherwise the fans come from the shape, see `compute_fans`.

    Example:

    >>> import kcore
    >>> init = kcore.initializers.VarianceScaling(
    ...     mode="fan_in", distribution="uniform", input_axes=[0, 1], output_axes=[2]
    ... )
    >>> kernel = kcore.ops.convert_to_numpy(init((2, 6, 5)))  # fan_in = 2 * 6 = 12
    >>> bool(abs(kernel).max() <= (3 / 12) ** 0.5)
    True
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: scale={scale}")
        modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in modes:
            raise ValueError(f"Invalid `mode` argument: {mode!r}. Expected one of {modes}.")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        distributions = ("uniform", "truncated_normal", "untruncated_normal")
        if distribution not in distributions:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution!r}. Expected one of "
                f"{distributions}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a standard normal truncated to [-2, 2].
            stddev = math.sqrt(scale) / 0.87962566103423978
            return random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A `VarianceScaling` with fixed scale, mode and distribution, whose config is its seed and
    fan axes."""

    _arguments: dict = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            seed=seed, input_axes=input_axes, output_axes=output_axes, **self._arguments
        )

    def get_config(self):
        return {
            "seed": serialization.serialize_keras_object(self._init_seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: uniform on ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in +
    fan_out))``.

    Args:
        {seed}

    Example:

    >>> import kcore
    >>> kernel = kcore.initializers.GlorotUniform(seed=0)((3, 5))
    >>> bool(abs(kcore.ops.convert_to_numpy(kernel)).max() <= (6 / 8) ** 0.5)
    True
    """

    _arguments = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``.

    Args:
        {seed}
    """

    _arguments = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal with ``stddev = sqrt(1 / fan_in)`` (pair it with `selu`).

    Args:
        {seed}
    """

    _arguments = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: uniform on ``[-limit, limit]``, ``limit = sqrt(3 / fan_in)``.

    Args:
        {seed}
    """

    _arguments = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal with ``stddev = sqrt(2 / fan_in)``.

    Args:
        {seed}
    """

    _arguments = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    """He uniform: uniform on ``[-limit, limit]``, ``limit = sqrt(6 / fan_in)``.

    Args:
        {seed}
    """

    _arguments = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns ``(fan_in, fan_out)``, the numbers of input and output units of a weight shape.

    With both `input_axes` and `output_axes`, each fan is the product of the sizes of its axes.
    Otherwise a 2D shape is ``(fan_in, fan_out)``; for a convolution kernel
    ``(..., in_depth, out_depth)`` both are multiplied by the receptive field size (the product
    of the leading dims).

    Args:
        shape: the weight's shape (a tuple of ints).
        input_axes: optional axes of the input units.
        output_axes: optional axes of the output units.

    Example:

    >>> from kcore.initializers import compute_fans
    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (
            int(math.prod(shape[axis] for axis in input_axes)),
            int(math.prod(shape[axis] for axis in output_axes)),
        )
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field_size = math.prod(shape[:-2])
        fan_in = shape[-2] * receptive_field_size
        fan_out = shape[-1] * receptive_field_size
    return int(fan_in), int(fan_out)


class Orthogonal(RandomInitializer):
    """Makes an orthogonal matrix (times `gain`), from the QR decomposition of normal draws.

    Rows are orthogonal when there are fewer rows than columns, else columns. A shape of more
    than two dims is treated as ``(shape[0] * ... * shape[-2], shape[-1])``, then reshaped.

    Args:
        gain: the factor applied to the orthogonal matrix.
        {seed}
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        num_rows = math.prod(shape[:-1])
        num_cols = shape[-1]
        flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = random.normal(flat_shape, seed=self.seed, dtype=dtype)
        q, r = ops.qr(a)
        q = q * ops.sign(ops.diag(r))
        if num_rows < num_cols:
            q = ops.transpose(q)
        return self.gain * ops.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


for _cls in (
    RandomInitializer,
    RandomNormal,
    TruncatedNormal,
    RandomUniform,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    LecunNormal,
    LecunUniform,
    HeNormal,
    HeUniform,
    Orthogonal,
):
    if _cls.__doc__:
        _cls.__doc__ = _cls.__doc__.replace("{seed}", _SEED_DOC)
