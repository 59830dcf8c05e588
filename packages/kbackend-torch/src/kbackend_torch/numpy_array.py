"""Contract group ``numpy`` on torch, part two: creation, shape manipulation, joining, indexing."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from kbackend_torch._utils import (
    axis_arg,
    dtype_name,
    promote,
    promote_dtype,
    to_torch,
    torch_dtype,
)
from kbackend_torch.numpy_math import promoted_operands
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_float_dtype, result_type, standardize_dtype

_Tensor = torch.Tensor


def _tensor(x) -> torch.Tensor:
    return x if isinstance(x, _Tensor) else to_torch(x)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, (list, tuple)):
        return tuple(int(d) for d in shape)
    return tuple(int(d) for d in to_torch(shape).reshape(-1).tolist())


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else torch_dtype(dtype)


# ---------------------------------------------------------------------------------------------
# Creation


def zeros(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=torch_dtype(dtype))


def ones(shape, dtype=None):
    return torch.ones(_shape(shape), dtype=torch_dtype(dtype))


def empty(shape, dtype=None):
    return torch.empty(_shape(shape), dtype=torch_dtype(dtype))


def _filled(shape, fill_value, dtype):
    """A new tensor of `shape` and `dtype` holding `fill_value` (a number or a tensor that
    broadcasts to `shape`; tensors keep their gradient)."""
    if isinstance(fill_value, (bool, int, float, complex)):
        return torch.full(shape, fill_value, dtype=dtype)
    fill_value = to_torch(fill_value, dtype)
    return torch.broadcast_to(fill_value, shape).clone()


def full(shape, fill_value, dtype=None):
    return _filled(_shape(shape), fill_value, torch_dtype(dtype))


def zeros_like(x, dtype=None):
    x = _tensor(x)
    return torch.zeros_like(x, dtype=_like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = _tensor(x)
    return torch.ones_like(x, dtype=_like_dtype(x, dtype))


def empty_like(x, dtype=None):
    x = _tensor(x)
    return torch.empty_like(x, dtype=_like_dtype(x, dtype))


def full_like(x, fill_value, dtype=None):
    x = _tensor(x)
    return _filled(x.shape, fill_value, _like_dtype(x, dtype))


def array(x, dtype=None):
    return torch.clone(to_torch(x, dtype))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def _offsets(N, M, k):
    """`column - row - k` for an N x M grid."""
    rows = torch.arange(int(N)).unsqueeze(-1)
    return torch.arange(int(M)) - rows - int(k)


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return (_offsets(N, M, k) == 0).to(torch_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return (_offsets(N, M, k) <= 0).to(torch_dtype(dtype))


def _exact(dtype: str) -> torch.dtype:
    """The dtype to compute a `dtype` result in before the final cast (floats in float32+)."""
    if is_float_dtype(dtype):
        return torch.promote_types(torch_dtype(dtype), torch.float32)
    return torch_dtype(dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        bounds = (v for v in (start, stop, step) if v is not None)
        dtype = promote_dtype(*bounds)
    dtype = standardize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    start, stop = _number(start), _number(stop)
    step = 1 if step is None else _number(step)
    if step and (stop - start) * step <= 0:
        # numpy gives an empty range where torch raises.
        return torch.empty(0, dtype=torch_dtype(dtype))
    return torch.arange(start, stop, step, dtype=_exact(dtype)).to(torch_dtype(dtype))


def _number(value):
    return value.item() if isinstance(value, _Tensor) else value


def _space_dtype(start, stop, dtype):
    if dtype is None:
        return promote_dtype(start, stop, extra=(float,))
    return standardize_dtype(dtype)


def _spaced(start, stop, num, endpoint, dtype, axis):
    """numpy's `linspace` in the float dtype `compute`: the values (`num` along `axis`) and the
    step."""
    compute = torch.promote_types(_exact(dtype), torch.float32)
    start, stop = to_torch(start, compute), to_torch(stop, compute)
    start, stop = torch.broadcast_tensors(start, stop)
    div = num - 1 if endpoint else num
    delta = stop - start
    steps = torch.arange(num, dtype=compute).reshape((num,) + (1,) * start.ndim)
    if div > 0:
        step = delta / div
        values = steps * step + start
        if endpoint and num > 1:
            values = torch.cat([values[:-1], stop.unsqueeze(0)])
    else:
        step = torch.full_like(delta, float("nan"))
        values = steps * delta + start
    return torch.movedim(values, 0, axis), step


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    values, step = _spaced(start, stop, int(num), endpoint, dtype, axis)
    if not is_float_dtype(dtype) and "complex" not in dtype:
        values = torch.floor(values)
    values = values.to(torch_dtype(dtype))
    if not retstep:
        return values
    step_dtype = dtype if is_float_dtype(dtype) else config.floatx()
    return values, step.to(torch_dtype(step_dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    exponents, _ = _spaced(start, stop, int(num), endpoint, dtype, axis)
    values = torch.pow(to_torch(base, exponents.dtype), exponents)
    return values.to(torch_dtype(dtype))


def _window(window, x, **kwargs):
    values = window(int(x), periodic=False, dtype=torch.float64, **kwargs)
    return values.to(torch_dtype(config.floatx()))


def bartlett(x):
    return _window(torch.bartlett_window, x)


def blackman(x):
    return _window(torch.blackman_window, x)


def hamming(x):
    return _window(torch.hamming_window, x)


def hanning(x):
    return _window(torch.hann_window, x)


def kaiser(x, beta):
    return _window(torch.kaiser_window, x, beta=float(_number(beta)))


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid indexing must be 'xy' or 'ij', got indexing={indexing!r}")
    return list(torch.meshgrid(*(_tensor(v) for v in x), indexing=indexing))


def vander(x, N=None, increasing=False):
    x = _tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D x, got shape {tuple(x.shape)}")
    compute = torch.int32 if x.dtype == torch.bool else _exact(dtype_name(x))
    N = x.shape[0] if N is None else int(N)
    powers = torch.arange(N, device=x.device)
    if not increasing:
        powers = powers.flip(0)
    return torch.pow(x.to(compute).unsqueeze(-1), powers.to(compute)).to(x.dtype)


# ---------------------------------------------------------------------------------------------
# Shape manipulation


def reshape(x, newshape):
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return torch.reshape(_tensor(x), newshape)


def ravel(x):
    return torch.ravel(_tensor(x))


def broadcast_to(x, shape):
    return torch.broadcast_to(_tensor(x), _shape(shape))


def expand_dims(x, axis):
    x = _tensor(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    rank = x.ndim + len(axis)
    for position in sorted(a % rank for a in axis):
        x = torch.unsqueeze(x, position)
    return x


def _axes(axis, ndim):
    """`axis` (None, an int or a sequence) as a tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        return (int(axis) % ndim,)
    return tuple(int(a) % ndim for a in axis)


def squeeze(x, axis=None):
    x = _tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = _axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(
                f"squeeze: axis {a} of x (shape {tuple(x.shape)}) has size {x.shape[a]}, not 1."
            )
    return torch.squeeze(x, axes)


def transpose(x, axes=None):
    x = _tensor(x)
    if axes is None:
        return torch.permute(x, tuple(range(x.ndim - 1, -1, -1)))
    return torch.permute(x, tuple(axes))


def moveaxis(x, source, destination):
    return torch.movedim(_tensor(x), axis_arg(source), axis_arg(destination))


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_tensor(x), axis1, axis2)


def flip(x, axis=None):
    x = _tensor(x)
    return torch.flip(x, _axes(axis, x.ndim))


def rot90(array, k=1, axes=(0, 1)):
    array = _tensor(array)
    if array.ndim < 2:
        raise ValueError(f"rot90 needs an array of at least 2 dims, got shape {array.shape}")
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] % array.ndim == axes[1] % array.ndim:
        raise ValueError(f"rot90 axes must be two different axes, got axes={axes}")
    return torch.rot90(array, int(k), axes)


def roll(x, shift, axis=None):
    x = _tensor(x)
    if isinstance(shift, _Tensor):
        shift = shift.tolist()
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, axis_arg(shift), axis_arg(axis))


def repeat(x, repeats, axis=None):
    x = _tensor(x)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = torch.as_tensor(np.asarray(repeats), device=x.device)
    elif isinstance(repeats, np.integer):
        repeats = int(repeats)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.repeat_interleave(x, repeats, dim=axis)


def tile(x, repeats):
    if isinstance(repeats, int):
        repeats = (repeats,)
    return torch.tile(_tensor(x), tuple(int(r) for r in repeats))


_PAD_MODES = ("constant", "reflect", "symmetric")


def _mirror_index(size, before, after, mode):
    """The source positions of an axis of `size` padded by mirroring (numpy's `reflect` leaves
    the edge out, `symmetric` repeats it)."""
    positions = np.arange(-before, size + after)
    if mode == "reflect":
        period = max(2 * size - 2, 1)
        positions = np.mod(positions, period)
        positions = np.where(positions >= size, period - positions, positions)
    else:
        period = 2 * size
        positions = np.mod(positions, period)
        positions = np.where(positions >= size, period - 1 - positions, positions)
    return torch.from_numpy(positions)


def pad(x, pad_width, mode="constant", constant_values=None):
    if mode not in _PAD_MODES:
        raise ValueError(f"pad mode must be one of {_PAD_MODES}, got mode={mode!r}")
    x = _tensor(x)
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"pad takes constant_values only with mode='constant', got mode={mode!r}; "
            "drop constant_values or use mode='constant'."
        )
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    if mode == "constant":
        # F.pad lists (before, after) pairs from the last axis to the first.
        flat = [int(w) for pair in widths[::-1] for w in pair]
        value = 0 if constant_values is None else _number(constant_values)
        if x.dtype == torch.bool:
            return F.pad(x.int(), flat, value=int(value)).bool()
        return F.pad(x, flat, value=value)
    for axis, (before, after) in enumerate(widths):
        if before or after:
            index = _mirror_index(x.shape[axis], int(before), int(after), mode)
            x = torch.index_select(x, axis, index.to(x.device))
    return x


# ---------------------------------------------------------------------------------------------
# Joining and splitting


def concatenate(xs, axis=0):
    return torch.cat(promote(*xs), dim=axis)


def stack(x, axis=0):
    return torch.stack(promote(*x), dim=axis)


def hstack(xs):
    return torch.hstack(promote(*xs))


def vstack(xs):
    return torch.vstack(promote(*xs))


def dstack(xs):
    return torch.dstack(promote(*xs))


def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is None:
        return torch.cat([x1.reshape(-1), x2.reshape(-1)])
    return torch.cat([x1, x2], dim=axis)


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    if isinstance(indices_or_sections, _Tensor):
        indices_or_sections = indices_or_sections.tolist()
    indices = np.asarray(indices_or_sections)
    return int(indices) if indices.ndim == 0 else [int(i) for i in indices]


def split(x, indices_or_sections, axis=0):
    x = _tensor(x)
    sections = _sections(indices_or_sections)
    if isinstance(sections, int) and x.shape[axis] % sections:
        raise ValueError(
            f"split: axis {axis} of size {x.shape[axis]} does not split into {sections} equal "
            "sections; use array_split for unequal ones."
        )
    return list(torch.tensor_split(x, sections, dim=axis))


def array_split(x, indices_or_sections, axis=0):
    return list(torch.tensor_split(_tensor(x), _sections(indices_or_sections), dim=axis))


def vsplit(x, indices_or_sections):
    x = _tensor(x)
    if x.ndim < 2:
        raise ValueError(f"vsplit needs an array of at least 2 dims, got shape {tuple(x.shape)}")
    return split(x, indices_or_sections, 0)


# ---------------------------------------------------------------------------------------------
# Indexing


def _index_item(item):
    if item is None or item is Ellipsis or isinstance(item, (slice, int, _Tensor)):
        return item
    if isinstance(item, np.integer):
        return int(item)
    return to_torch(item)


def _dims_taken(item) -> int:
    if item is None:
        return 0
    if isinstance(item, _Tensor) and item.dtype == torch.bool:
        return item.ndim
    return 1


def _positive_steps(x, key):
    """`x` and `key` with every negative-step slice turned into a positive one on a flipped
    axis (torch slices need positive steps)."""
    ellipsis_dims = x.ndim - sum(_dims_taken(k) for k in key if k is not Ellipsis)
    flips, fixed, dim = [], [], 0
    for item in key:
        if item is Ellipsis:
            dim += ellipsis_dims
        elif isinstance(item, slice) and item.step is not None and item.step < 0:
            start, stop, step = item.indices(x.shape[dim])
            last = x.shape[dim] - 1
            flips.append(dim)
            item = slice(last - start, last - stop, -step)
            dim += 1
        else:
            dim += _dims_taken(item)
        fixed.append(item)
    return (torch.flip(x, flips) if flips else x), tuple(fixed)


def get_item(x, key):
    x = _tensor(x)
    if isinstance(key, tuple):
        key = tuple(_index_item(k) for k in key)
        if any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in key):
            x, key = _positive_steps(x, key)
        return x[key]
    if isinstance(key, slice) and key.step is not None and key.step < 0:
        x, key = _positive_steps(x, (key,))
        return x[key]
    return x[_index_item(key)]


def _in_range(indices, size):
    """`indices` as int64 positions in [0, size): negative ones count from the end, others
    are clipped."""
    indices = indices.long()
    indices = torch.where(indices < 0, indices + size, indices)
    return torch.clamp(indices, 0, max(size - 1, 0))


def take(x, indices, axis=None):
    x, indices = _tensor(x), _tensor(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis %= x.ndim
    positions = _in_range(indices, x.shape[axis])
    taken = torch.index_select(x, axis, positions.reshape(-1))
    return taken.reshape(x.shape[:axis] + positions.shape + x.shape[axis + 1 :])


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _tensor(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.take_along_dim(x, _in_range(indices, x.shape[axis]), dim=axis)


def nonzero(x):
    return tuple(i.int() for i in torch.nonzero(_tensor(x), as_tuple=True))


def where(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("where needs both x1 and x2, or neither (to get nonzero(condition))")
    if x1 is None:
        return nonzero(condition)
    x1, x2 = promoted_operands(x1, x2)
    condition = _tensor(condition)
    return torch.where(condition if condition.dtype == torch.bool else condition.bool(), x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select needs one choice per condition, got {len(condlist)} conditions and "
            f"{len(choicelist)} choices"
        )
    *choices, result = promote(*choicelist, default)
    for condition, choice in zip(reversed(condlist), reversed(choices)):
        result = torch.where(_tensor(condition).bool(), choice, result)
    return result


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"diag needs a 1-D or 2-D x, got shape {tuple(x.shape)}")
    return torch.diag(x, int(k))


def diagflat(x, k=0):
    return torch.diagflat(_tensor(x), int(k))


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_tensor(x), int(offset), axis1, axis2)


def _sum_dtype(dtype: str) -> str:
    """The dtype of a sum: bools and small ints accumulate as 32-bit ints."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = _sum_dtype(dtype_name(x))
    values = torch.diagonal(x, int(offset), axis1, axis2)
    if values.is_floating_point():
        compute = torch.promote_types(values.dtype, torch.float32)
    else:
        compute = values.dtype if values.is_complex() else torch.int64
    return values.to(compute).sum(-1).to(torch_dtype(dtype))


def tril(x, k=0):
    return torch.tril(_tensor(x), int(k))


def triu(x, k=0):
    return torch.triu(_tensor(x), int(k))


def unravel_index(indices, shape):
    indices = _tensor(indices)
    dtype = torch_dtype(result_type(dtype_name(indices)))
    return tuple(c.to(dtype) for c in torch.unravel_index(indices, _shape(shape)))


def ndim(x):
    return _tensor(x).ndim


def size(x):
    return _tensor(x).numel()


def view(x, dtype=None):
    x = _tensor(x)
    return x if dtype is None else x.view(torch_dtype(dtype))


__all__ = exported(globals())
