"""Helpers shared by the TensorFlow backend's modules: dtypes, conversion and Keras type promotion.

Every contract function takes numpy arrays, Python scalars, nested lists, tensors, `tf.Variable`s
and kcore Variables; `to_tf` turns any of them into a tensor.
"""

from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf

from kcore.backend.dtypes import result_type, standardize_dtype

_SCALARS = (bool, int, float, complex)

TF_DTYPES = {
    "bool": tf.bool,
    "uint8": tf.uint8,
    "uint16": tf.uint16,
    "uint32": tf.uint32,
    "uint64": tf.uint64,
    "int8": tf.int8,
    "int16": tf.int16,
    "int32": tf.int32,
    "int64": tf.int64,
    "bfloat16": tf.bfloat16,
    "float16": tf.float16,
    "float32": tf.float32,
    "float64": tf.float64,
    "complex64": tf.complex64,
    "complex128": tf.complex128,
}
_NAMES = {value: key for key, value in TF_DTYPES.items()}


def tf_dtype(dtype) -> tf.DType:
    """The TensorFlow dtype for a kcore dtype name (or anything `standardize_dtype` accepts);
    ``None`` means floatx."""
    if isinstance(dtype, tf.DType):
        return dtype
    return _tf_dtype(standardize_dtype(dtype))


@functools.cache
def _tf_dtype(name: str) -> tf.DType:
    try:
        return TF_DTYPES[name]
    except KeyError:
        raise ValueError(f"The TensorFlow backend has no dtype {name!r}.") from None


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


def _is_tensor(x) -> bool:
    return isinstance(x, (tf.Tensor, tf.Variable)) or tf.is_tensor(x)


def to_tf(x, dtype=None) -> tf.Tensor:
    """`convert_to_tensor` for the TensorFlow backend: tensors, numpy arrays, Python scalars,
    nested lists and kcore Variables (their ``.value``) become a tensor.

    With `dtype=None`, arrays keep their dtype; Python floats become floatx, ints int32, bools
    bool (lists take the `result_type` of their leaves).
    """
    if hasattr(x, "_kcore_variable"):
        x = x.value
    target = None if dtype is None else tf_dtype(dtype)
    if isinstance(x, tf.Tensor):
        return x if target is None or x.dtype == target else tf.cast(x, target)
    if isinstance(x, tf.Variable):
        x = x.read_value() if hasattr(x, "read_value") else tf.convert_to_tensor(x)
        return x if target is None or x.dtype == target else tf.cast(x, target)
    if isinstance(x, (np.ndarray, np.generic)):
        if target is not None and _NAMES.get(target) != standardize_dtype(x.dtype):
            return tf.cast(tf.convert_to_tensor(x), target)
        return tf.convert_to_tensor(x)
    if target is None:
        if isinstance(x, _SCALARS):
            target = tf_dtype(result_type(type(x)))
        elif isinstance(x, (list, tuple)):
            leaves = _leaf_types(x, [])
            target = tf_dtype(result_type(*leaves)) if leaves else tf_dtype(None)
        elif tf.is_tensor(x):
            return x
        else:
            return tf.convert_to_tensor(np.asarray(x))
    if isinstance(x, (list, tuple)):
        if any(_is_tensor(item) for item in _flat(x)):
            return tf.stack([to_tf(item, target) for item in x])
        return tf.cast(tf.convert_to_tensor(np.asarray(x)), target)
    if isinstance(x, _SCALARS) and target in (tf.bfloat16, tf.float16) and not isinstance(x, bool):
        return tf.cast(tf.constant(x, tf.float32), target)
    return tf.constant(x, dtype=target) if not tf.is_tensor(x) else tf.cast(x, target)


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
    if isinstance(dtype, tf.DType):
        return _NAMES[dtype]
    return dtype if dtype is not None else to_tf(value).dtype


def promote_dtype(*values, extra=()) -> str:
    """The `result_type` of `values` (Python scalars weak), with extra dtypes or types."""
    return result_type(*(promotion_key(v) for v in values), *extra)


def promote(*values):
    """`values` as tensors of their common dtype (Keras promotion, Python scalars weak)."""
    dtype = promote_dtype(*values)
    return [to_tf(v, dtype) for v in values]


def is_inexact(dtype: str) -> bool:
    return dtype.startswith(("float", "bfloat", "complex"))


def float_dtype_of(x) -> str:
    """The float dtype of a "float" op on `x`: ints and bools give floatx, floats keep theirs."""
    dtype = dtype_name(x)
    return dtype if is_inexact(dtype) else result_type(dtype, float)


def float_array(x) -> tf.Tensor:
    """`x` as a tensor of a float dtype (ints and bools become floatx)."""
    x = to_tf(x)
    dtype = float_dtype_of(x)
    return x if dtype_name(x) == dtype else tf.cast(x, tf_dtype(dtype))


def widen(x: tf.Tensor) -> tf.Tensor:
    """`x`, with float16 and bfloat16 widened to float32 for computing."""
    return tf.cast(x, tf.float32) if x.dtype in (tf.float16, tf.bfloat16) else x


def axis_arg(axis):
    """An `axis` argument as TensorFlow takes it (lists of several axes stay lists)."""
    if isinstance(axis, tuple):
        return list(axis)
    return axis


def to_numpy(x) -> np.ndarray:
    """A tensor as a numpy array (bfloat16 as ml_dtypes.bfloat16)."""
    x = to_tf(x)
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)
