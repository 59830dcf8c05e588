"""Contract group ``math`` on torch: segment reductions, top-k, special functions, FFTs and STFTs."""

from __future__ import annotations

import numpy as np
import torch

from kbackend_torch._compute import dtype_name, float_input, float_op, to_torch, widen
from kcore.backend.contract import exported


def _segment_args(data, segment_ids, num_segments):
    """Data, ids (ids out of [0, num_segments) go to an extra, dropped segment) and the count."""
    data = to_torch(data)
    segment_ids = to_torch(segment_ids).reshape(-1).to(device=data.device, dtype=torch.int64)
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"segment_ids must have one id per row of data: got {segment_ids.shape[0]} ids for "
            f"data of shape {tuple(data.shape)}."
        )
    if num_segments is None:
        # The result's shape depends on the ids' values: this needs concrete ids.
        num_segments = int(segment_ids.max()) + 1 if segment_ids.numel() else 0
    num_segments = int(num_segments)
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    segment_ids = torch.where(valid, segment_ids, num_segments)
    return data, segment_ids, num_segments


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    compute = torch.int32 if data.dtype == torch.bool else data.dtype
    totals = torch.zeros((num_segments + 1, *data.shape[1:]), dtype=compute, device=data.device)
    totals = totals.index_add(0, segment_ids, data.to(compute))
    return totals[:num_segments].to(data.dtype)


def _lowest(dtype):
    if dtype.is_floating_point:
        return -torch.inf
    if dtype == torch.bool:
        return False
    return torch.iinfo(dtype).min


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, num_segments = _segment_args(data, segment_ids, num_segments)
    shape = (num_segments + 1, *data.shape[1:])
    initial = torch.full(shape, _lowest(data.dtype), dtype=data.dtype, device=data.device)
    index = segment_ids.reshape(-1, *([1] * (data.ndim - 1))).expand_as(data)
    result = initial.scatter_reduce(0, index, data, reduce="amax", include_self=False)
    return result[:num_segments]


def top_k(x, k, sorted=True):
    x = to_torch(x)
    k = int(k)
    if k > x.shape[-1]:
        raise ValueError(f"k={k} is larger than the last axis of x (shape {tuple(x.shape)}).")
    # A stable descending sort orders ties by ascending index, also what `sorted=False` promises.
    values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
    return values[..., :k], indices[..., :k].int()


def in_top_k(targets, predictions, k):
    predictions = to_torch(predictions)
    targets = to_torch(targets).to(device=predictions.device, dtype=torch.int64)
    at_target = torch.gather(predictions, -1, targets[..., None])
    at_target = torch.where(torch.isnan(at_target), -torch.inf, at_target)
    rank = 1 + torch.sum(predictions > at_target, dim=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    def fn(v):
        dim = tuple(range(v.ndim)) if axis is None else axis
        return torch.logsumexp(
            v, dim=tuple(dim) if isinstance(dim, list) else dim, keepdim=keepdims
        )

    return float_op(fn, x)


def extract_sequences(x, sequence_length, sequence_stride):
    x = to_torch(x)
    length, stride = int(sequence_length), int(sequence_stride)
    if x.shape[-1] < length:
        return x.new_empty((*x.shape[:-1], 0, length))
    return x.unfold(-1, length, stride)


def _complex_input(x):
    """`x = (real, imag)` as a complex tensor, and the dtype of the parts."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"x must be a tuple (real, imag) of two float tensors, got {type(x).__name__}."
        )
    real, imag = to_torch(x[0]), to_torch(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            "The real and imaginary parts must have the same shape, got "
            f"{tuple(real.shape)} and {tuple(imag.shape)}."
        )
    for part in (real, imag):
        if not part.dtype.is_floating_point:
            raise ValueError(
                f"The real and imaginary parts must be float tensors, got {dtype_name(part)} "
                "(cast them first)."
            )
    wide = widen(real)
    return torch.complex(wide, widen(imag).to(wide.dtype)), real.dtype


def _parts(z, dtype):
    return z.real.to(dtype), z.imag.to(dtype)


def fft(x):
    z, dtype = _complex_input(x)
    return _parts(torch.fft.fft(z, dim=-1), dtype)


def fft2(x):
    z, dtype = _complex_input(x)
    return _parts(torch.fft.fft2(z, dim=(-2, -1)), dtype)


def ifft2(x):
    z, dtype = _complex_input(x)
    return _parts(torch.fft.ifft2(z, dim=(-2, -1)), dtype)


def rfft(x, fft_length=None):
    x = float_input(x)
    return _parts(torch.fft.rfft(widen(x), n=fft_length, dim=-1), x.dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex_input(x)
    return torch.fft.irfft(z, n=fft_length, dim=-1).to(dtype)


def _window(window, sequence_length, fft_length, dtype, device):
    """The analysis window of length `fft_length` (zero-padded in the middle)."""
    if window is None:
        return torch.ones(fft_length, dtype=dtype, device=device)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'window must be "hann", "hamming", a tensor or None, got window={window!r}.'
            )
        phase = 2.0 * np.pi * np.arange(sequence_length) / sequence_length
        a = 0.5 if window == "hann" else 0.54
        win = torch.as_tensor(a - (1.0 - a) * np.cos(phase), dtype=dtype, device=device)
    else:
        win = to_torch(window).to(device=device, dtype=dtype)
        if tuple(win.shape) != (sequence_length,):
            raise ValueError(
                f"window must have shape (sequence_length,) = ({sequence_length},), got "
                f"{tuple(win.shape)}."
            )
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))


def _check_lengths(sequence_length, fft_length):
    if fft_length < sequence_length:
        raise ValueError(
            f"fft_length must be >= sequence_length, got fft_length={fft_length} and "
            f"sequence_length={sequence_length}."
        )


def _reflect_pad(signal, pad):
    """`signal` reflect-padded by `pad` on both ends of its last axis."""
    flat = signal.reshape(-1, 1, signal.shape[-1])
    padded = torch.nn.functional.pad(flat, (pad, pad), mode="reflect")
    return padded.reshape(*signal.shape[:-1], padded.shape[-1])


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = to_torch(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"stft needs a float32 or float64 input, got {dtype_name(x)}.")
    _check_lengths(sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, x.dtype, x.device)
    signal = _reflect_pad(x, fft_length // 2) if center else x
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _parts(torch.fft.rfft(frames * win, n=fft_length, dim=-1), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = _complex_input(x)
    if z.ndim < 2:
        raise ValueError(f"x must have rank >= 2 (..., frames, bins), got shape {tuple(z.shape)}.")
    _check_lengths(sequence_length, fft_length)
    real_dtype = z.real.dtype
    win = _window(window, sequence_length, fft_length, real_dtype, z.device)
    frames = torch.fft.irfft(z, n=fft_length, dim=-1)[..., :fft_length] * win
    count, stride = z.shape[-2], int(sequence_stride)
    total = fft_length + stride * (count - 1)
    starts = torch.arange(count, device=z.device)[:, None] * stride
    index = (starts + torch.arange(fft_length, device=z.device)[None, :]).reshape(-1)
    batch = z.shape[:-2]
    flat = frames.reshape(-1, count * fft_length)
    signal = torch.zeros((flat.shape[0], total), dtype=real_dtype, device=z.device)
    signal = signal.index_add(1, index, flat).reshape(*batch, total)
    norm = torch.zeros(total, dtype=real_dtype, device=z.device)
    norm = norm.index_add(0, index, (win**2).repeat(count))
    signal = signal / torch.where(norm > 1e-10, norm, 1.0)
    if window is None:
        signal = signal * (fft_length / stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end].to(dtype)


def rsqrt(x):
    return float_op(torch.rsqrt, x)


def erf(x):
    return float_op(torch.erf, x)


def erfinv(x):
    return float_op(torch.erfinv, x)


def logdet(x):
    return float_op(lambda v: torch.linalg.slogdet(v)[1], x)


def view_as_complex(x):
    x = float_input(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            f"x must have a last axis of size 2 (real, imag), got shape {tuple(x.shape)}."
        )
    x = widen(x)
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = to_torch(x)
    if x.is_complex():
        return torch.stack([x.real, x.imag], dim=-1)
    x = float_input(x)
    return torch.stack([x, torch.zeros_like(x)], dim=-1)


__all__ = exported(globals())
