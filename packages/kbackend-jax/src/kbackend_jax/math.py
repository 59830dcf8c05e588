"""Contract group ``math`` on JAX: segment reductions, top-k, special functions, FFTs and STFTs."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from kbackend_jax._compute import dtype_name, float_input, float_op, to_jax, widen
from kcore.backend.contract import exported


def _segment_args(data, segment_ids, num_segments):
    data = to_jax(data)
    segment_ids = to_jax(segment_ids).astype(jnp.int32).reshape(-1)
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"segment_ids must have one id per row of data: got {segment_ids.shape[0]} ids for "
            f"data of shape {data.shape}."
        )
    if num_segments is None:
        # The result's shape depends on the ids' values: this needs concrete ids.
        num_segments = int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    return data, segment_ids, int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    return jax.ops.segment_sum(
        data, segment_ids, num_segments, indices_are_sorted=bool(sorted)
    ).astype(data.dtype)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    return jax.ops.segment_max(data, segment_ids, num_segments, indices_are_sorted=bool(sorted))


def top_k(x, k, sorted=True):
    x = to_jax(x)
    k = int(k)
    if k > x.shape[-1]:
        raise ValueError(f"k={k} is larger than the last axis of x (shape {x.shape}).")
    # `lax.top_k` orders ties by ascending index, also what `sorted=False` promises.
    values, indices = lax.top_k(x, k)
    return values, indices.astype(jnp.int32)


def in_top_k(targets, predictions, k):
    targets = to_jax(targets).astype(jnp.int32)
    predictions = to_jax(predictions)
    at_target = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = 1 + jnp.sum(predictions > at_target, axis=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    axis = tuple(axis) if isinstance(axis, list) else axis

    def fn(v):
        if v.size == 0:
            return jnp.log(jnp.sum(jnp.exp(v), axis=axis, keepdims=keepdims))
        return jax.scipy.special.logsumexp(v, axis=axis, keepdims=keepdims)

    return float_op(fn, x)


def extract_sequences(x, sequence_length, sequence_stride):
    x = to_jax(x)
    length, stride = int(sequence_length), int(sequence_stride)
    count = max(0, 1 + (x.shape[-1] - length) // stride) if x.shape[-1] >= length else 0
    index = np.arange(count)[:, None] * stride + np.arange(length)[None, :]
    return x[..., index]


def _complex_input(x):
    """`x = (real, imag)` as a complex array, and the dtype of the parts."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"x must be a tuple (real, imag) of two float tensors, got {type(x).__name__}."
        )
    real, imag = to_jax(x[0]), to_jax(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"The real and imaginary parts must have the same shape, got {real.shape} and "
            f"{imag.shape}."
        )
    for part in (real, imag):
        if not jnp.issubdtype(part.dtype, jnp.floating):
            raise ValueError(
                f"The real and imaginary parts must be float tensors, got {part.dtype} "
                "(cast them first)."
            )
    return lax.complex(widen(real), widen(imag).astype(widen(real).dtype)), real.dtype


def _parts(z, dtype):
    return jnp.real(z).astype(dtype), jnp.imag(z).astype(dtype)


def fft(x):
    z, dtype = _complex_input(x)
    return _parts(jnp.fft.fft(z, axis=-1), dtype)


def fft2(x):
    z, dtype = _complex_input(x)
    return _parts(jnp.fft.fft2(z, axes=(-2, -1)), dtype)


def ifft2(x):
    z, dtype = _complex_input(x)
    return _parts(jnp.fft.ifft2(z, axes=(-2, -1)), dtype)


def rfft(x, fft_length=None):
    x = float_input(x)
    return _parts(jnp.fft.rfft(widen(x), n=fft_length, axis=-1), x.dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex_input(x)
    return jnp.fft.irfft(z, n=fft_length, axis=-1).astype(dtype)


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window of length `fft_length` (zero-padded in the middle)."""
    if window is None:
        return jnp.ones(fft_length, dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'window must be "hann", "hamming", a tensor or None, got window={window!r}.'
            )
        phase = 2.0 * np.pi * np.arange(sequence_length) / sequence_length
        a = 0.5 if window == "hann" else 0.54
        win = jnp.asarray(a - (1.0 - a) * np.cos(phase), dtype)
    else:
        win = to_jax(window).astype(dtype)
        if win.shape != (sequence_length,):
            raise ValueError(
                f"window must have shape (sequence_length,) = ({sequence_length},), got "
                f"{win.shape}."
            )
    left = (fft_length - sequence_length) // 2
    return jnp.pad(win, (left, fft_length - sequence_length - left))


def _check_lengths(sequence_length, fft_length):
    if fft_length < sequence_length:
        raise ValueError(
            f"fft_length must be >= sequence_length, got fft_length={fft_length} and "
            f"sequence_length={sequence_length}."
        )


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = to_jax(x)
    if dtype_name(x) not in ("float32", "float64"):
        raise TypeError(f"stft needs a float32 or float64 input, got {x.dtype}.")
    _check_lengths(sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, x.dtype)
    signal = x
    if center:
        pad = [(0, 0)] * (signal.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        signal = jnp.pad(signal, pad, mode="reflect")
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _parts(jnp.fft.rfft(frames * win, n=fft_length, axis=-1), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = _complex_input(x)
    if z.ndim < 2:
        raise ValueError(f"x must have rank >= 2 (..., frames, bins), got shape {z.shape}.")
    _check_lengths(sequence_length, fft_length)
    real_dtype = jnp.real(z).dtype
    win = _window(window, sequence_length, fft_length, real_dtype)
    frames = jnp.fft.irfft(z, n=fft_length, axis=-1)[..., :fft_length] * win
    count, stride = z.shape[-2], int(sequence_stride)
    total = fft_length + stride * (count - 1)
    index = (np.arange(count)[:, None] * stride + np.arange(fft_length)[None, :]).reshape(-1)
    signal = jnp.zeros((*z.shape[:-2], total), real_dtype)
    signal = signal.at[..., index].add(frames.reshape(*z.shape[:-2], -1))
    norm = jnp.zeros(total, real_dtype).at[index].add(jnp.tile(win**2, count))
    signal = signal / jnp.where(norm > 1e-10, norm, 1.0)
    if window is None:
        signal = signal * (fft_length / stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end].astype(dtype)


def rsqrt(x):
    return float_op(lax.rsqrt, x)


def erf(x):
    return float_op(jax.scipy.special.erf, x)


def erfinv(x):
    return float_op(jax.scipy.special.erfinv, x)


def logdet(x):
    return float_op(lambda v: jnp.linalg.slogdet(v)[1], x)


def view_as_complex(x):
    x = float_input(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"x must have a last axis of size 2 (real, imag), got shape {x.shape}.")
    x = widen(x)
    return lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = to_jax(x)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
    x = float_input(x)
    return jnp.stack([x, jnp.zeros_like(x)], axis=-1)


__all__ = exported(globals())
