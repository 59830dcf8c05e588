"""Contract group ``math`` on numpy."""

from __future__ import annotations

import math

import numpy as np

from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.numpy._utils import float_result, to_array

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _float64(x):
    """`x` as a float array and the dtype its result should have (computed in float64)."""
    x = float_result(x)
    return x.astype(np.float64), x.dtype


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _segment_reduce(data, segment_ids, num_segments, initial, reduce):
    data = to_array(data)
    segment_ids = np.asarray(segment_ids).astype(np.int64).reshape(-1)
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"segment_ids must have one id per row of data: got {segment_ids.shape[0]} ids for "
            f"data of shape {data.shape}."
        )
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.size else 0
    num_segments = int(num_segments)
    result = np.full((num_segments, *data.shape[1:]), initial, dtype=data.dtype)
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    reduce.at(result, segment_ids[valid], data[valid])
    return result


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(data, segment_ids, num_segments, 0, np.add)


def _lowest(dtype):
    if dtype.kind == "b":
        return False
    if dtype.kind in "iu":
        return np.iinfo(dtype).min
    return -np.inf


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data = to_array(data)
    return _segment_reduce(data, segment_ids, num_segments, _lowest(data.dtype), np.maximum)


def _descending_order(x):
    """Indices sorting the last axis of `x` in descending order, ties by ascending index."""
    n = x.shape[-1]
    order = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return n - 1 - order


def top_k(x, k, sorted=True):
    x = to_array(x)
    k = int(k)
    if k > x.shape[-1]:
        raise ValueError(f"k={k} is larger than the last axis of x (shape {x.shape}).")
    indices = _descending_order(x)[..., :k]
    values = np.take_along_axis(x, indices, axis=-1)
    return values, indices.astype(np.int32)


def in_top_k(targets, predictions, k):
    targets = np.asarray(targets).astype(np.int64)
    predictions = to_array(predictions)
    at_target = np.take_along_axis(predictions, targets[..., None], axis=-1)
    at_target = np.where(np.isnan(at_target), -np.inf, at_target)
    rank = 1 + np.sum(predictions > at_target, axis=-1)
    return np.asarray(rank <= int(k))


def logsumexp(x, axis=None, keepdims=False):
    x, dtype = _float64(x)
    axis = _axis(axis)
    if x.size == 0:
        with np.errstate(divide="ignore"):
            result = np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))
        return np.asarray(result).astype(dtype)
    peak = np.max(x, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        result = np.log(np.sum(np.exp(x - peak), axis=axis, keepdims=True)) + peak
    if not keepdims:
        result = np.squeeze(result, axis=axis)
    return np.asarray(result).astype(dtype)


def extract_sequences(x, sequence_length, sequence_stride):
    x = to_array(x)
    length, stride = int(sequence_length), int(sequence_stride)
    if x.shape[-1] < length:
        return np.zeros((*x.shape[:-1], 0, length), dtype=x.dtype)
    windows = np.lib.stride_tricks.sliding_window_view(x, length, axis=-1)
    return np.ascontiguousarray(windows[..., ::stride, :])


def _complex_input(x):
    """`x = (real, imag)` as a complex128 array, and the dtype of the parts."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"x must be a tuple (real, imag) of two float tensors, got {type(x).__name__}."
        )
    real, imag = to_array(x[0]), to_array(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"The real and imaginary parts must have the same shape, got {real.shape} and "
            f"{imag.shape}."
        )
    for part in (real, imag):
        if not standardize_dtype(part.dtype).startswith(("float", "bfloat")):
            raise ValueError(
                f"The real and imaginary parts must be float tensors, got {part.dtype} "
                "(cast them first)."
            )
    return real.astype(np.float64) + 1j * imag.astype(np.float64), real.dtype


def _parts(z, dtype):
    return np.real(z).astype(dtype), np.imag(z).astype(dtype)


def fft(x):
    z, dtype = _complex_input(x)
    return _parts(np.fft.fft(z, axis=-1), dtype)


def fft2(x):
    z, dtype = _complex_input(x)
    return _parts(np.fft.fft2(z, axes=(-2, -1)), dtype)


def ifft2(x):
    z, dtype = _complex_input(x)
    return _parts(np.fft.ifft2(z, axes=(-2, -1)), dtype)


def rfft(x, fft_length=None):
    x, dtype = _float64(x)
    return _parts(np.fft.rfft(x, n=fft_length, axis=-1), dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex_input(x)
    return np.fft.irfft(z, n=fft_length, axis=-1).astype(dtype)


def _window(window, sequence_length, fft_length):
    """The analysis window as float64 of length `fft_length` (zero-padded in the middle)."""
    if window is None:
        return np.ones(fft_length)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'window must be "hann", "hamming", a tensor or None, got window={window!r}.'
            )
        phase = 2.0 * np.pi * np.arange(sequence_length) / sequence_length
        a = 0.5 if window == "hann" else 0.54
        win = a - (1.0 - a) * np.cos(phase)
    else:
        win = to_array(window).astype(np.float64)
        if win.shape != (sequence_length,):
            raise ValueError(
                f"window must have shape (sequence_length,) = ({sequence_length},), got "
                f"{win.shape}."
            )
    left = (fft_length - sequence_length) // 2
    return np.pad(win, (left, fft_length - sequence_length - left))


def _check_lengths(sequence_length, fft_length):
    if fft_length < sequence_length:
        raise ValueError(
            f"fft_length must be >= sequence_length, got fft_length={fft_length} and "
            f"sequence_length={sequence_length}."
        )


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = to_array(x)
    if standardize_dtype(x.dtype) not in ("float32", "float64"):
        raise TypeError(f"stft needs a float32 or float64 input, got {x.dtype}.")
    _check_lengths(sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length)
    dtype, signal = x.dtype, x.astype(np.float64)
    if center:
        pad = [(0, 0)] * (signal.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        signal = np.pad(signal, pad, mode="reflect")
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _parts(np.fft.rfft(frames * win, n=fft_length, axis=-1), dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = _complex_input(x)
    if z.ndim < 2:
        raise ValueError(f"x must have rank >= 2 (..., frames, bins), got shape {z.shape}.")
    _check_lengths(sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length)
    frames = np.fft.irfft(z, n=fft_length, axis=-1)[..., :fft_length] * win
    count, stride = z.shape[-2], int(sequence_stride)
    total = fft_length + stride * (count - 1)
    signal = np.zeros((*z.shape[:-2], total))
    norm = np.zeros(total)
    for i in range(count):
        signal[..., i * stride : i * stride + fft_length] += frames[..., i, :]
        norm[i * stride : i * stride + fft_length] += win**2
    signal /= np.where(norm > 1e-10, norm, 1.0)
    if window is None:
        signal *= fft_length / stride
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end].astype(dtype)


def rsqrt(x):
    x = float_result(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(1.0 / np.sqrt(x.astype(np.float64))).astype(x.dtype)


def erf(x):
    x, dtype = _float64(x)
    return np.asarray(_erf(x)).astype(dtype)


# Giles (2010), "Approximating the erfinv function": a polynomial in w = -log(1 - x^2) on two
# ranges, accurate to about 1e-7; two Newton steps on erf then make it float64-accurate.
_ERFINV_CENTRAL = (
    2.81022636e-08,
    3.43273939e-07,
    -3.5233877e-06,
    -4.39150654e-06,
    0.00021858087,
    -0.00125372503,
    -0.00417768164,
    0.246640727,
    1.50140941,
)
_ERFINV_TAIL = (
    -0.000200214257,
    0.000100950558,
    0.00134934322,
    -0.00367342844,
    0.00573950773,
    -0.0076224613,
    0.00943887047,
    1.00167406,
    2.83297682,
)


def _erfinv64(x):
    inside = np.abs(x) < 1.0
    t = np.where(inside, x, 0.0)
    w = -np.log((1.0 - t) * (1.0 + t))
    central, tail = w - 2.5, np.sqrt(w) - 3.0
    p_central = np.polyval(_ERFINV_CENTRAL, central)
    p_tail = np.polyval(_ERFINV_TAIL, tail)
    y = np.where(w < 5.0, p_central, p_tail) * t
    for _ in range(2):
        slope = 2.0 / np.sqrt(np.pi) * np.exp(-y * y)
        y = y - (_erf(y) - t) / slope
    y = np.where(inside, y, np.nan)
    return np.where(np.abs(x) == 1.0, np.copysign(np.inf, x), y)


def erfinv(x):
    x, dtype = _float64(x)
    return np.asarray(_erfinv64(x)).astype(dtype)


def logdet(x):
    x, dtype = _float64(x)
    return np.asarray(np.linalg.slogdet(x)[1]).astype(dtype)


def view_as_complex(x):
    x = float_result(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"x must have a last axis of size 2 (real, imag), got shape {x.shape}.")
    dtype = np.complex128 if x.dtype == np.float64 else np.complex64
    return (x[..., 0].astype(np.float64) + 1j * x[..., 1].astype(np.float64)).astype(dtype)


def view_as_real(x):
    x = to_array(x)
    if x.dtype.kind == "c":
        dtype = np.float64 if x.dtype == np.complex128 else np.float32
        return np.stack([x.real, x.imag], axis=-1).astype(dtype)
    x = float_result(x)
    return np.stack([x, np.zeros_like(x)], axis=-1)


__all__ = exported(globals())
