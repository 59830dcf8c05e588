"""Helpers shared by the torch backend's modules: dtypes, conversion and Keras type promotion.

Every contract function takes numpy arrays, Python scalars, nested lists, torch tensors and kcore
Variables; `to_torch` turns any of them into a torch tensor (zero-copy for numpy arrays where
torch can share the memory).
"""

from __future__ import annotations

import functools

import ml_dtypes
import numpy as np
import torch

from kcore.backend.dtypes import result_type, standardize_dtype

_SCALARS = (bool, int, float, complex)
_HALF = ("float16", "bfloat16")

TORCH_DTYPES = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_NAMES = {value: key for key, value in TORCH_DTYPES.items()}
# The dtypes of the backend's tensors (`capabilities.dtypes`): torch's uint16/32/64 lack most ops.
SUPPORTED_DTYPES = tuple(d for d in TORCH_DTYPES if d not in ("uint16", "uint32", "uint64"))


def torch_dtype(dtype) -> torch.dtype:
    """The torch dtype for a kcore dtype name (or anything `standardize_dtype` accepts);
    ``None`` means floatx."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return _torch_dtype(standardize_dtype(dtype))


@functools.cache
def _torch_dtype(name: str) -> torch.dtype:
    try:
        return TORCH_DTYPES[name]
    except KeyError:
        raise ValueError(f"The torch backend has no dtype {name!r}.") from None


def dtype_name(x) -> str:
    """The kcore dtype name of a tensor (or of anything with a ``dtype``)."""
    dtype = x.dtype
    name = _NAMES.get(dtype)
    return name if name is not None else standardize_dtype(dtype)


def _leaf_types(x, out):
    if isinstance(x, (list, tuple)):
        for item in x:
            _leaf_types(item, out)
    else:
        out.append(getattr(x, "dtype", type(x)))
    return out


def _from_numpy(array: np.ndarray, dtype) -> torch.Tensor:
    if array.dtype == ml_dtypes.bfloat16:
        tensor = torch.from_numpy(array.view(np.uint16).copy()).view(torch.bfloat16)
    elif array.dtype.kind in "biufc" and array.dtype.str[0] != ">":
        if not array.flags.writeable or not array.flags.c_contiguous:
            # A copy is C-contiguous (np.ascontiguousarray would turn a 0-d array into 1-d).
            array = array.copy()
        tensor = torch.from_numpy(array)
    else:
        tensor = torch.as_tensor(np.asarray(array, dtype=array.dtype.newbyteorder("=")))
    if dtype is not None and tensor.dtype != dtype:
        tensor = tensor.to(dtype)
    return tensor


def to_torch(x, dtype=None) -> torch.Tensor:
    """`convert_to_tensor` for the torch backend: tensors, numpy arrays, Python scalars, nested
    lists and kcore Variables (their ``.value``) become a torch tensor.

    With `dtype=None`, arrays keep their dtype; Python floats become floatx, ints int32, bools
    bool (lists take the `result_type` of their leaves).
    """
    if isinstance(x, torch.Tensor):
        # Tensors first: the common case (a hasattr miss on a tensor costs more than this test).
        if dtype is None:
            return x
        target = torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if hasattr(x, "_kcore_variable"):
        return to_torch(x.value, dtype)
    target = None if dtype is None else torch_dtype(dtype)
    if isinstance(x, np.ndarray):
        return _from_numpy(x, target)
    if isinstance(x, np.generic):
        return _from_numpy(np.asarray(x), target)
    if target is None:
        if isinstance(x, _SCALARS):
            target = torch_dtype(result_type(type(x)))
        elif isinstance(x, (list, tuple)):
            leaves = _leaf_types(x, [])
            if any(isinstance(leaf, torch.dtype) for leaf in leaves):
                return torch.stack([to_torch(item) for item in x]) if x else torch.tensor([])
            target = torch_dtype(result_type(*leaves)) if leaves else torch_dtype(None)
        else:
            return _from_numpy(np.asarray(x), None)
    if isinstance(x, (list, tuple)):
        if any(isinstance(item, torch.Tensor) for item in _flat(x)):
            return torch.stack([to_torch(item, target) for item in x])
        return torch.as_tensor(np.asarray(x), dtype=target)
    return torch.tensor(x, dtype=target)


def _flat(x):
    for item in x:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def promotion_key(value):
    """What `result_type` sees of a value: the weak Python type of a scalar, else its dtype."""
    if isinstance(value, _SCALARS):
        return type(value)
    if hasattr(value, "_kcore_variable"):
        value = value.value
    dtype = getattr(value, "dtype", None)
    if isinstance(dtype, torch.dtype):
        return _NAMES[dtype]
    return dtype if dtype is not None else to_torch(value).dtype


def promote_dtype(*values, extra=()) -> str:
    """The `result_type` of `values` (Python scalars weak), with extra dtypes or types."""
    return result_type(*(promotion_key(v) for v in values), *extra)


def promote(*values):
    """`values` as torch tensors of their common dtype (Keras promotion, Python scalars weak)."""
    dtype = promote_dtype(*values)
    return [to_torch(v, dtype) for v in values]


def is_inexact(dtype: str) -> bool:
    return dtype.startswith(("float", "bfloat", "complex"))


def float_dtype_of(x) -> str:
    """The float dtype of a "float" op on `x`: ints and bools give floatx, floats keep theirs."""
    dtype = dtype_name(x)
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def float_array(x) -> torch.Tensor:
    """`x` as a torch tensor of a float dtype (ints and bools become floatx)."""
    x = to_torch(x)
    dtype = float_dtype_of(x)
    return x if dtype_name(x) == dtype else x.to(torch_dtype(dtype))


def widen(x: torch.Tensor) -> torch.Tensor:
    """`x`, with float16 and bfloat16 widened to float32 for computing."""
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def axis_arg(axis):
    """An `axis` argument as torch takes it (a tuple for several axes, None for all)."""
    if isinstance(axis, list):
        return tuple(axis)
    return axis


def to_numpy(x) -> np.ndarray:
    """A tensor as a numpy array (bfloat16 as ml_dtypes.bfloat16; detached from autograd)."""
    x = to_torch(x)
    # A variable's parameter changes in place: its numpy copy must not follow it.
    x = x.detach().clone() if isinstance(x, torch.nn.Parameter) else x.detach()
    if x.device.type != "cpu":
        x = x.cpu()
    if x.dtype == torch.bfloat16:
        return x.view(torch.uint16).numpy().view(ml_dtypes.bfloat16)
    if x.is_conj():
        x = x.resolve_conj()
    return x.numpy()
