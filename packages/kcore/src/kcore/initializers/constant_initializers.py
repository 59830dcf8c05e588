"""Initializers that make no random draw: `Constant`, `Zeros`, `Ones`, `Identity`, `STFT`."""

from __future__ import annotations

import math

import numpy as np

from kcore import ops
from kcore.backend.dtypes import standardize_dtype
from kcore.initializers.initializer import Initializer
from kcore.saving import serialization


class Constant(Initializer):
    """Fills tensors with a constant scalar value.

    Args:
        value: a Python scalar (convertible to the requested dtype).

    Example:

    >>> import kcore
    >>> kcore.ops.convert_to_numpy(kcore.initializers.Constant(10.0)((2,))).tolist()
    [10.0, 10.0]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        return ops.cast(self.value, dtype=dtype) * ops.ones(shape=shape, dtype=dtype)

    def get_config(self):
        return {"value": serialization.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(serialization.deserialize_keras_object(config["value"]))


class Zeros(Initializer):
    """Fills tensors with 0 (any numeric or bool dtype; default floatx)."""

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills tensors with 1 (any numeric or bool dtype; default floatx)."""

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=standardize_dtype(dtype))


class Identity(Initializer):
    """Makes the identity matrix (2D shapes only), times `gain`.

    Args:
        gain: the factor applied to the identity matrix.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "The Identity initializer can only make 2D matrices. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        dtype = standardize_dtype(dtype)
        return self.gain * ops.eye(*shape, dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}


def _window(name: str, length: int, periodic: bool) -> np.ndarray:
    """The `hann`, `hamming` or `boxcar` window (scipy's `get_window` for the others)."""
    if name in ("hann", "hamming", "boxcar"):
        if name == "boxcar":
            return np.ones(length)
        size = length + 1 if periodic else length
        if size == 1:
            return np.ones(1)
        n = np.arange(size)
        alpha = 0.5 if name == "hann" else 0.54
        window = alpha - (1 - alpha) * np.cos(2 * math.pi * n / (size - 1))
        return window[:length]
    try:
        from scipy.signal import get_window
    except ImportError:
        raise ValueError(
            f"STFT window {name!r} needs scipy (`pip install scipy`); without it kcore knows "
            "'hann', 'hamming' and 'boxcar'."
        ) from None
    return get_window(name, length, fftbins=periodic)


class STFT(Initializer):
    """Convolution kernels computing the real or imaginary part of a short-time Fourier transform.

    The shape is ``(frame_length, 1, fft_length // 2 + 1)``. Meant for the `STFTSpectrogram` layer.

    Args:
        side: ``"real"`` or ``"imag"``: which part of the transform the kernel computes.
        window: a window name (``"hann"``, ``"hamming"``...; others need scipy), an array of
            `frame_length` values, or None for no window.
        scaling: ``"density"`` (L2), ``"spectrum"`` (L1) or None: how the window is normalized.
        periodic: whether the window is periodic rather than symmetric.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: side must be 'real' or 'imag', got side={side!r}.")
        if isinstance(window, str):
            _window(window, 1, periodic)  # fails early on an unknown window name
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                f"STFT: scaling must be None, 'density' or 'spectrum', got scaling={scaling!r}."
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        frame_length, _, fft_length = shape
        window, scaling = None, 1.0
        if self.window is not None:
            values = self.window
            if isinstance(values, str):
                values = _window(values, frame_length, self.periodic)
            values = np.asarray(values, dtype="float64")
            if values.shape != (frame_length,):
                raise ValueError(
                    f"STFT: the window must have shape ({frame_length},) (the frame length), "
                    f"got shape {values.shape}."
                )
            if self.scaling == "density":
                scaling = float(np.sqrt(np.sum(values**2)))
            elif self.scaling == "spectrum":
                scaling = float(np.sum(np.abs(values)))
            window = values.reshape(frame_length, 1, 1)
        freq = np.arange(fft_length).reshape(1, 1, fft_length) / ((fft_length - 1) * 2)
        time = np.arange(frame_length).reshape(frame_length, 1, 1)
        args = -2 * time * freq * math.pi
        kernel = np.cos(args) if self.side == "real" else np.sin(args)
        if window is not None:
            kernel = kernel * window / scaling
        return ops.convert_to_tensor(kernel, dtype=dtype)

    def get_config(self):
        window = self.window
        if window is not None and not isinstance(window, str):
            window = serialization.serialize_keras_object(np.asarray(window))
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("window"), dict):
            config["window"] = serialization.deserialize_keras_object(config["window"])
        return cls(**config)
