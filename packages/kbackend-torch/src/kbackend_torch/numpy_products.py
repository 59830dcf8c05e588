"""Contract group ``numpy`` on torch, part four: sorting and searching, products, `vectorize`.

Products of float16 and bfloat16 operands on the CPU are computed in float32 and rounded to their
dtype once (accelerators accumulate half-float products in float32 natively).
"""

from __future__ import annotations

import re

import torch

from kbackend_torch._utils import dtype_name, float_array, promote, to_torch, torch_dtype, widen
from kcore.backend.contract import exported
from kcore.backend.dtypes import result_type

_HALF = (torch.float16, torch.bfloat16)
_SMALL = ("bool", "int8", "uint8", "int16")
_SMALL_TORCH = (torch.bool, torch.int8, torch.uint8, torch.int16)


# ---------------------------------------------------------------------------------------------
# Sorting and searching


def _sort_input(x, axis):
    x = to_torch(x)
    if axis is None:
        return x.reshape(-1), -1
    return x, axis


def sort(x, axis=-1):
    x, axis = _sort_input(x, axis)
    if x.dtype == torch.bool:
        return torch.sort(x.to(torch.uint8), dim=axis, stable=True).values.bool()
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    x, axis = _sort_input(x, axis)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).int()


def argpartition(x, kth, axis=-1):
    # A stable full sort is one valid partition around every `kth`.
    return argsort(x, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence = to_torch(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "searchsorted needs a 1-D sorted_sequence, got shape "
            f"{tuple(sorted_sequence.shape)}; map over the leading axes with ops.vectorized_map."
        )
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted side must be 'left' or 'right', got side={side!r}")
    sorted_sequence, values = (widen(v) for v in promote(sorted_sequence, values))
    if values.ndim == 0:
        return torch.searchsorted(sorted_sequence, values.reshape(1), side=side)[0].int()
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=True)


# ---------------------------------------------------------------------------------------------
# Products


def _operands(*operands):
    """The operands as torch tensors to compute with (small ints and bools as int32, half floats
    on the CPU as float32), and their `result_type` as a torch dtype."""
    tensors = [to_torch(x) for x in operands]
    dtype = result_type(*(dtype_name(t) for t in tensors))
    target = torch_dtype(dtype)
    if dtype in _SMALL:
        compute = torch.int32
    elif target in _HALF and tensors[0].device.type == "cpu":
        compute = torch.float32
    else:
        compute = target
    return [t if t.dtype == compute else t.to(compute) for t in tensors], target


def _finish(result, target):
    return result if result.dtype == target else result.to(target)


def _int32_if_small(target):
    """Matmul-like results of small ints and bools are int32."""
    return torch.int32 if target in _SMALL_TORCH else target


def matmul(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    return _finish(torch.matmul(x1, x2), _int32_if_small(target))


def dot(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return _finish(x1 * x2, target)
    axis = -1 if x2.ndim == 1 else x2.ndim - 2
    return _finish(torch.tensordot(x1, x2, dims=([x1.ndim - 1], [axis])), target)


def inner(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return _finish(x1 * x2, target)
    return _finish(torch.tensordot(x1, x2, dims=([x1.ndim - 1], [x2.ndim - 1])), target)


def outer(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    return _finish(torch.outer(x1.reshape(-1), x2.reshape(-1)), target)


def vdot(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    return _finish(torch.sum(x1.reshape(-1).conj() * x2.reshape(-1)), target)


def kron(x1, x2):
    (x1, x2), target = _operands(x1, x2)
    return _finish(torch.kron(x1, x2), target)


def _cross_components(x):
    """The 3 components of vectors along the last axis of `x` (a zero z for 2-vectors)."""
    if x.shape[-1] not in (2, 3):
        raise ValueError(
            f"cross needs vectors of size 2 or 3 along the axis, got shape {tuple(x.shape)}."
        )
    z = x[..., 2] if x.shape[-1] == 3 else torch.zeros_like(x[..., 0])
    return x[..., 0], x[..., 1], z


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    (x1, x2), target = _operands(x1, x2)
    both_planar = x1.shape[axisa] == 2 and x2.shape[axisb] == 2
    a1, a2, a3 = _cross_components(torch.movedim(x1, axisa, -1))
    b1, b2, b3 = _cross_components(torch.movedim(x2, axisb, -1))
    z = a1 * b2 - a2 * b1
    if both_planar:
        return _finish(z, target)
    result = torch.stack([a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, z], dim=-1)
    return _finish(torch.movedim(result, -1, axisc), target)


def tensordot(x1, x2, axes=2):
    (x1, x2), target = _operands(x1, x2)
    if isinstance(axes, (list, tuple)):
        axes = tuple([a] if isinstance(a, int) else list(a) for a in axes)
    return _finish(torch.tensordot(x1, x2, dims=axes), target)


def einsum(subscripts, *operands, **kwargs):
    if kwargs:
        raise TypeError(f"einsum got unexpected arguments {sorted(kwargs)}.")
    tensors, target = _operands(*operands)
    if {dtype_name(to_torch(x)) for x in operands} == {"int8"}:
        target = torch.int32
    return _finish(torch.einsum(subscripts, *tensors), target)


def slogdet(x):
    x = float_array(x)
    sign, logabsdet = torch.linalg.slogdet(widen(x))
    return sign.to(x.dtype), logabsdet.to(x.dtype)


# ---------------------------------------------------------------------------------------------
# Functions

_CORE = re.compile(r"\(([^()]*)\)")


def _core_dims(signature):
    """The number of core dims of each input of a gufunc signature such as "(n),(n)->()"."""
    inputs = signature.replace(" ", "").split("->")[0]
    return [len([d for d in group.split(",") if d]) for group in _CORE.findall(inputs)]


def vectorize(pyfunc, *, excluded=None, signature=None):
    excluded = set(excluded or ())

    def vectorized(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [to_torch(args[i]) for i in positions]
        core = _core_dims(signature) if signature else [0] * len(tensors)
        loop_shapes = [t.shape[: t.ndim - c] for t, c in zip(tensors, core)]
        loop = torch.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        tensors = [t.expand(*loop, *t.shape[t.ndim - c :]) for t, c in zip(tensors, core)]

        def call(*mapped):
            full = list(args)
            for i, value in zip(positions, mapped):
                full[i] = value
            return pyfunc(*full, **kwargs)

        fn = call
        for _ in loop:
            fn = torch.vmap(fn)
        return fn(*tensors)

    return vectorized


__all__ = exported(globals())
