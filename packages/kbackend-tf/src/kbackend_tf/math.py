"""Contract group ``math`` on TensorFlow: segment reductions, top-k, special functions, FFTs and
STFTs (`tf.math` and `tf.signal`)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kbackend_tf._compute import HALF, float_input, float_op, shape_of, take_along_axis, to_tf
from kbackend_tf._utils import axis_arg
from kcore.backend.contract import exported


def _segment_args(data, segment_ids, num_segments):
    data = to_tf(data)
    segment_ids = tf.reshape(tf.cast(to_tf(segment_ids), tf.int32), [-1])
    rows, count = data.shape[0], segment_ids.shape[0]
    if rows is not None and count is not None and rows != count:
        raise ValueError(
            f"segment_ids must have one id per row of data: got {count} ids for data of shape "
            f"{data.shape}."
        )
    if num_segments is None:
        # The result's length depends on the ids' values.
        num_segments = tf.maximum(tf.reduce_max(tf.concat([segment_ids, [-1]], 0)) + 1, 0)
    return data, segment_ids, num_segments


def _bool_as_uint8(data, fn):
    if data.dtype == tf.bool:
        return tf.cast(fn(tf.cast(data, tf.uint8)), tf.bool)
    return fn(data)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    return _bool_as_uint8(
        data, lambda d: tf.math.unsorted_segment_sum(d, segment_ids, num_segments)
    )


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    result = _bool_as_uint8(
        data, lambda d: tf.math.unsorted_segment_max(d, segment_ids, num_segments)
    )
    if data.dtype.is_floating:
        # TF fills empty segments with the lowest finite value; the contract with -inf.
        present = tf.math.unsorted_segment_sum(tf.ones_like(segment_ids), segment_ids, num_segments)
        present = tf.reshape(present > 0, tf.concat([[-1], tf.ones_like(tf.shape(data)[1:])], 0))
        result = tf.where(present, result, tf.constant(-np.inf, data.dtype))
    return result


def top_k(x, k, sorted=True):
    x = to_tf(x)
    k = int(k)
    size = x.shape[-1]
    if size is not None and k > size:
        raise ValueError(f"k={k} is larger than the last axis of x (shape {x.shape}).")
    # `tf.math.top_k` orders ties by ascending index, also what `sorted=False` promises.
    values, indices = tf.math.top_k(x if x.dtype != tf.bool else tf.cast(x, tf.uint8), k)
    return tf.cast(values, x.dtype), indices


def in_top_k(targets, predictions, k):
    targets = tf.cast(to_tf(targets), tf.int32)
    predictions = to_tf(predictions)
    at_target = take_along_axis(predictions, targets[..., None], axis=-1)
    if predictions.dtype.is_floating:
        at_target = tf.where(
            tf.math.is_nan(at_target), tf.constant(-np.inf, predictions.dtype), at_target
        )
    rank = 1 + tf.reduce_sum(tf.cast(predictions > at_target, tf.int32), axis=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    def fn(v):
        axes = axis_arg(axis)
        peak = tf.reduce_max(v, axis=axes, keepdims=True)
        peak = tf.stop_gradient(tf.where(tf.math.is_finite(peak), peak, tf.zeros_like(peak)))
        total = tf.reduce_sum(tf.exp(v - peak), axis=axes, keepdims=True)
        result = tf.math.log(total) + peak
        if not keepdims:
            result = tf.squeeze(result, axis=axes)
        return result

    return float_op(fn, x)


def extract_sequences(x, sequence_length, sequence_stride):
    x = to_tf(x)
    return tf.signal.frame(x, int(sequence_length), int(sequence_stride), axis=-1)


def _complex_input(x):
    """`x = (real, imag)` as a complex tensor, and the dtype of the parts."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"x must be a tuple (real, imag) of two float tensors, got {type(x).__name__}."
        )
    real, imag = to_tf(x[0]), to_tf(x[1])
    if real.shape.is_fully_defined() and real.shape != imag.shape:
        raise ValueError(
            f"The real and imaginary parts must have the same shape, got {real.shape} and "
            f"{imag.shape}."
        )
    for part in (real, imag):
        if not part.dtype.is_floating:
            raise ValueError(
                f"The real and imaginary parts must be float tensors, got {part.dtype.name} "
                "(cast them first)."
            )
    wide = tf.float64 if real.dtype == tf.float64 else tf.float32
    return tf.complex(tf.cast(real, wide), tf.cast(imag, wide)), real.dtype


def _parts(z, dtype):
    return tf.cast(tf.math.real(z), dtype), tf.cast(tf.math.imag(z), dtype)


def fft(x):
    z, dtype = _complex_input(x)
    return _parts(tf.signal.fft(z), dtype)


def fft2(x):
    z, dtype = _complex_input(x)
    return _parts(tf.signal.fft2d(z), dtype)


def ifft2(x):
    z, dtype = _complex_input(x)
    return _parts(tf.signal.ifft2d(z), dtype)


def _real_input(x):
    """`x` as float32 or float64 (what `tf.signal.rfft` takes), and the result dtype."""
    x = float_input(x)
    return (tf.cast(x, tf.float32) if x.dtype in HALF else x), x.dtype


def rfft(x, fft_length=None):
    x, dtype = _real_input(x)
    length = x.shape[-1] if fft_length is None else int(fft_length)
    if length is None:
        length = tf.shape(x)[-1]
    return _parts(tf.signal.rfft(x, [length]), dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex_input(x)
    if fft_length is None:
        bins = z.shape[-1] if z.shape[-1] is not None else tf.shape(z)[-1]
        fft_length = 2 * (bins - 1)
    return tf.cast(tf.signal.irfft(z, [fft_length]), dtype)


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window of length `fft_length` (zero-padded in the middle)."""
    if window is None:
        return tf.ones([fft_length], dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'window must be "hann", "hamming", a tensor or None, got window={window!r}.'
            )
        phase = 2.0 * np.pi * np.arange(sequence_length) / sequence_length
        a = 0.5 if window == "hann" else 0.54
        win = tf.constant(a - (1.0 - a) * np.cos(phase), dtype)
    else:
        win = tf.cast(to_tf(window), dtype)
        if win.shape.as_list() != [sequence_length]:
            raise ValueError(
                f"window must have shape (sequence_length,) = ({sequence_length},), got "
                f"{win.shape}."
            )
    left = (fft_length - sequence_length) // 2
    return tf.pad(win, [[left, fft_length - sequence_length - left]])


def _check_lengths(sequence_length, fft_length):
    if fft_length < sequence_length:
        raise ValueError(
            f"fft_length must be >= sequence_length, got fft_length={fft_length} and "
            f"sequence_length={sequence_length}."
        )


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = to_tf(x)
    if x.dtype not in (tf.float32, tf.float64):
        raise TypeError(f"stft needs a float32 or float64 input, got {x.dtype.name}.")
    sequence_length, fft_length = int(sequence_length), int(fft_length)
    _check_lengths(sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, x.dtype)
    if center:
        pad = [[0, 0]] * (x.shape.rank - 1) + [[fft_length // 2, fft_length // 2]]
        x = tf.pad(x, pad, mode="REFLECT")
    frames = tf.signal.frame(x, fft_length, int(sequence_stride), axis=-1)
    return _parts(tf.signal.rfft(frames * win, [fft_length]), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = _complex_input(x)
    if z.shape.rank < 2:
        raise ValueError(f"x must have rank >= 2 (..., frames, bins), got shape {z.shape}.")
    sequence_length, fft_length = int(sequence_length), int(fft_length)
    stride = int(sequence_stride)
    _check_lengths(sequence_length, fft_length)
    real_dtype = z.dtype.real_dtype
    win = _window(window, sequence_length, fft_length, real_dtype)
    frames = tf.signal.irfft(z, [fft_length]) * win
    count = shape_of(z)[-2]
    signal = tf.signal.overlap_and_add(frames, stride)
    norm = tf.signal.overlap_and_add(tf.tile(tf.square(win)[None], [count, 1]), stride)
    signal = signal / tf.where(norm > 1e-10, norm, tf.ones_like(norm))
    if window is None:
        signal = signal * (fft_length / stride)
    total = fft_length + stride * (count - 1)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - fft_length // 2 if center else total
    return tf.cast(signal[..., start:end], dtype)


def rsqrt(x):
    return float_op(tf.math.rsqrt, x)


def erf(x):
    return float_op(tf.math.erf, x)


def erfinv(x):
    return float_op(tf.math.erfinv, x)


def logdet(x):
    return float_op(lambda v: tf.linalg.slogdet(v)[1], x)


def view_as_complex(x):
    x = float_input(x)
    if x.shape.rank is not None and (x.shape.rank < 1 or x.shape[-1] != 2):
        raise ValueError(f"x must have a last axis of size 2 (real, imag), got shape {x.shape}.")
    if x.dtype != tf.float64:
        x = tf.cast(x, tf.float32)
    return tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = to_tf(x)
    if x.dtype.is_complex:
        return tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1)
    x = float_input(x)
    return tf.stack([x, tf.zeros_like(x)], axis=-1)


__all__ = exported(globals())
