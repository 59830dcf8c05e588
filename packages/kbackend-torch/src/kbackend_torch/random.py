"""Contract group ``random`` on torch: the (2,) uint32 seed tensor seeds a `torch.Generator`, so a
seed gives the same numbers on every call (torch's global generator is never touched)."""

from __future__ import annotations

import math

import numpy as np
import torch

from kbackend_torch._compute import to_torch, torch_dtype
from kcore import config
from kcore.backend.contract import exported

_HALF = (torch.float16, torch.bfloat16)
# The standard normal CDF at -2 and 2: truncated normals are drawn by inverting it in between.
_CDF_LOW = 0.5 * math.erfc(2.0 / math.sqrt(2.0))
_CDF_HIGH = 1.0 - _CDF_LOW


def generator(seed, device=None):
    """A `torch.Generator` on `device` (default: torch's default device) seeded by a seed tensor
    (fresh entropy for None): its two uint32 words make one 64-bit seed."""
    device = torch.get_default_device() if device is None else torch.device(device)
    if seed is None:
        value = int(np.random.default_rng().integers(0, 2**63))
    else:
        high, low = (w & 0xFFFFFFFF for w in to_torch(seed).reshape(-1).long().tolist())
        value = _mix((high << 32) | low)
    return torch.Generator(device=device).manual_seed(value)


def _mix(value: int) -> int:
    """A well-spread 32-bit seed from a 64-bit one (splitmix64, folded): torch's CPU generator
    keeps only the low 32 bits of its seed, so `[42, 0]` and `[43, 0]` must differ there."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    value ^= value >> 31
    return (value ^ (value >> 32)) & 0xFFFFFFFF


def _dtype(dtype):
    return torch_dtype(dtype or config.floatx())


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _sampling_dtype(dtype):
    """Half floats are drawn in float32 and rounded."""
    return torch.float32 if dtype in _HALF else dtype


def _device():
    return torch.get_default_device()


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = torch.randn(
        _shape(shape), generator=generator(seed), dtype=_sampling_dtype(dtype), device=_device()
    )
    return (samples * stddev + mean).to(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    samples = torch.rand(
        _shape(shape), generator=generator(seed), dtype=_sampling_dtype(dtype), device=_device()
    )
    samples = (samples * (maxval - minval) + minval).to(dtype)
    # Rounding to a narrow dtype can reach `maxval`; keep the interval half-open.
    top = torch.as_tensor(maxval, dtype=dtype, device=samples.device)
    below = torch.nextafter(top, torch.tensor(-torch.inf, dtype=dtype, device=samples.device))
    return torch.where(samples >= top, below, samples)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    cdf = torch.rand(_shape(shape), generator=generator(seed), dtype=compute, device=_device())
    samples = torch.special.ndtri(_CDF_LOW + cdf * (_CDF_HIGH - _CDF_LOW))
    return (torch.clamp(samples, -2.0, 2.0) * stddev + mean).to(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = to_torch(logits)
    if logits.ndim != 2:
        raise ValueError(
            f"logits must have shape (batch_size, num_classes), got shape {tuple(logits.shape)}."
        )
    probabilities = torch.softmax(logits.to(torch.float32), dim=-1)
    samples = torch.multinomial(
        probabilities, int(num_samples), replacement=True, generator=generator(seed, logits.device)
    )
    return samples.to(torch_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return torch.randint(
        int(minval),
        int(maxval),
        _shape(shape),
        generator=generator(seed),
        dtype=torch_dtype(dtype),
        device=_device(),
    )


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = to_torch(inputs)
    if noise_shape is None:
        noise_shape = tuple(inputs.shape)
    else:
        noise_shape = tuple(
            inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)
        )
    noise = torch.rand(noise_shape, generator=generator(seed, inputs.device), device=inputs.device)
    keep = noise < 1.0 - rate
    scaled = inputs / torch.tensor(1.0 - rate, dtype=inputs.dtype, device=inputs.device)
    return torch.where(keep, scaled, torch.zeros((), dtype=inputs.dtype, device=inputs.device))


def shuffle(x, axis=0, seed=None):
    x = to_torch(x)
    order = torch.randperm(x.shape[axis], generator=generator(seed, x.device), device=x.device)
    return torch.index_select(x, axis, order)


def _gamma_samples(shape, alpha, compute, rng):
    alpha = to_torch(alpha).to(device=_device(), dtype=compute)
    return torch._standard_gamma(alpha.expand(shape).contiguous(), generator=rng)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    return _gamma_samples(_shape(shape), alpha, compute, generator(seed)).to(dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _dtype(dtype)
    shape = _shape(shape)
    counts = to_torch(counts).to(device=_device(), dtype=torch.float32).expand(shape)
    probabilities = to_torch(probabilities).to(device=_device(), dtype=torch.float32)
    samples = torch.binomial(
        counts.contiguous(), probabilities.expand(shape).contiguous(), generator=generator(seed)
    )
    return samples.to(dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _dtype(dtype)
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    rng = generator(seed)
    first = _gamma_samples(_shape(shape), alpha, compute, rng)
    second = _gamma_samples(_shape(shape), beta, compute, rng)
    return (first / (first + second)).to(dtype)


__all__ = exported(globals())
