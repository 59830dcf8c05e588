"""Contract group ``numpy`` on TensorFlow, part two: creation, shape manipulation, joining,
indexing.

Shapes may hold scalar tensors (unknown dims inside `tf.function`); axes and counts that decide
the result's rank are Python ints.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import tensorflow as tf

from kbackend_tf._utils import (
    axis_arg,
    dtype_name,
    promote,
    promote_dtype,
    tf_dtype,
    to_tf,
)
from kcore import config
from kcore.backend.contract import exported
from kcore.backend.dtypes import is_float_dtype, result_type, standardize_dtype

_INTS = (int, np.integer)


def _shape(shape):
    """A shape argument as a list of ints (and scalar tensors for dims unknown in a graph)."""
    if isinstance(shape, _INTS):
        return [int(shape)]
    if isinstance(shape, (list, tuple)):
        return [int(d) if isinstance(d, _INTS) else d for d in shape]
    if tf.is_tensor(shape):
        return shape
    return [int(d) for d in np.asarray(shape).reshape(-1)]


def _dims(x):
    """The shape of `x`: ints where static, scalar tensors where not."""
    static = x.shape.as_list()
    if None not in static:
        return static
    dynamic = tf.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(static)]


def _axis(axis, rank):
    return axis + rank if axis < 0 else axis


# ---------------------------------------------------------------------------------------------
# Creation


def zeros(shape, dtype=None):
    return tf.zeros(_shape(shape), dtype=tf_dtype(dtype))


def ones(shape, dtype=None):
    return tf.ones(_shape(shape), dtype=tf_dtype(dtype))


def empty(shape, dtype=None):
    return tf.zeros(_shape(shape), dtype=tf_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return tf.broadcast_to(to_tf(fill_value, tf_dtype(dtype)), _shape(shape))


def _like_dtype(x, dtype):
    return x.dtype if dtype is None else tf_dtype(dtype)


def zeros_like(x, dtype=None):
    x = to_tf(x)
    return tf.zeros_like(x, dtype=_like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = to_tf(x)
    return tf.ones_like(x, dtype=_like_dtype(x, dtype))


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    x = to_tf(x)
    return tf.broadcast_to(to_tf(fill_value, _like_dtype(x, dtype)), tf.shape(x))


def array(x, dtype=None):
    return tf.identity(to_tf(x, dtype))


def _offsets(N, M):
    """Column index minus row index over an `N x M` grid."""
    return tf.range(M)[None, :] - tf.range(N)[:, None]


def identity(n, dtype=None):
    return tf.eye(int(n), dtype=tf_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    N = int(N)
    M = N if M is None else int(M)
    return tf.cast(tf.equal(_offsets(N, M), int(k)), tf_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    N = int(N)
    M = N if M is None else int(M)
    return tf.cast(_offsets(N, M) <= int(k), tf_dtype(dtype))


def _exact(dtype: str) -> tf.DType:
    """The dtype to compute a `dtype` result in before the final cast: floats in float32 at
    least, small ints in int32."""
    if is_float_dtype(dtype):
        return tf.float64 if dtype == "float64" else tf.float32
    if dtype in ("int64", "uint32", "uint64"):
        return tf.int64
    if dtype.startswith("complex"):
        return tf_dtype(dtype)
    return tf.int32


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        bounds = (v for v in (start, stop, step) if v is not None)
        dtype = promote_dtype(*bounds)
    dtype = standardize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    compute = _exact(dtype)
    start, stop, step = (to_tf(v, compute) for v in (start, stop, step))
    # numpy's length, ceil((stop - start) / step), which is 0 for an empty range.
    span = tf.cast(stop - start, tf.float64) / tf.cast(step, tf.float64)
    length = tf.math.maximum(tf.cast(tf.math.ceil(span), tf.int32), 0)
    values = start + tf.cast(tf.range(length), compute) * step
    return tf.cast(values, tf_dtype(dtype))


def _space_dtype(start, stop, dtype):
    if dtype is None:
        return promote_dtype(start, stop, extra=(float,))
    return standardize_dtype(dtype)


def _space_compute(dtype: str) -> tf.DType:
    return tf.float64 if dtype in ("float64", "int64", "uint32", "uint64") else tf.float32


def _linspace(start, stop, num, endpoint, compute, axis):
    """`num` points from `start` to `stop` along `axis`, and the step between them."""
    start, stop = to_tf(start, compute), to_tf(stop, compute)
    common = tf.broadcast_dynamic_shape(tf.shape(start), tf.shape(stop))
    start, stop = tf.broadcast_to(start, common), tf.broadcast_to(stop, common)
    divisions = num - 1 if endpoint else num
    step = (stop - start) / tf.cast(builtins.max(divisions, 1), compute)
    if divisions == 0 and endpoint:
        step = step * tf.constant(math.nan, compute)
    steps = tf.cast(tf.range(num), compute)
    steps = tf.reshape(steps, [-1] + [1] * len(start.shape))
    values = start[None] + steps * step[None]
    if endpoint and num > 1:
        # The last point is `stop` exactly, as numpy's.
        values = tf.concat([values[:-1], stop[None]], axis=0)
    return _move_first(values, axis), step


def _move_first(x, axis):
    rank = len(x.shape)
    axis = _axis(axis, rank)
    if axis == 0:
        return x
    perm = list(range(1, axis + 1)) + [0] + list(range(axis + 1, rank))
    return tf.transpose(x, perm)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    values, step = _linspace(start, stop, int(num), endpoint, _space_compute(dtype), axis)
    if not is_float_dtype(dtype) and "complex" not in dtype:
        values = tf.math.floor(values)
    values = tf.cast(values, tf_dtype(dtype))
    if not retstep:
        return values
    step_dtype = dtype if is_float_dtype(dtype) else config.floatx()
    return values, tf.cast(step, tf_dtype(step_dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(start, stop, dtype)
    compute = _space_compute(dtype)
    exponents, _ = _linspace(start, stop, int(num), endpoint, compute, axis)
    return tf.cast(tf.math.pow(to_tf(base, compute), exponents), tf_dtype(dtype))


def _window(x, fn):
    """A window of `x` points: `fn` of the positions scaled to [0, 1] (float64), in floatx."""
    n = int(x)
    if n <= 1:
        return tf.ones((builtins.max(n, 0),), tf_dtype(config.floatx()))
    positions = tf.range(n, dtype=tf.float64) / (n - 1)
    return tf.cast(fn(positions), tf_dtype(config.floatx()))


def _cosines(*weights):
    def window(t):
        total = tf.zeros_like(t)
        for k, w in enumerate(weights):
            total += w * tf.math.cos(2.0 * math.pi * k * t)
        return total

    return window


def bartlett(x):
    return _window(x, lambda t: 1.0 - tf.math.abs(2.0 * t - 1.0))


def blackman(x):
    return _window(x, _cosines(0.42, -0.5, 0.08))


def hamming(x):
    return _window(x, _cosines(0.54, -0.46))


def hanning(x):
    return _window(x, _cosines(0.5, -0.5))


def kaiser(x, beta):
    beta = to_tf(beta, "float64")

    def window(t):
        ratio = 2.0 * t - 1.0
        inner = beta * tf.math.sqrt(tf.math.maximum(1.0 - ratio * ratio, 0.0))
        return tf.math.special.bessel_i0(inner) / tf.math.special.bessel_i0(beta)

    return _window(x, window)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid indexing must be 'xy' or 'ij', got indexing={indexing!r}")
    vectors = [tf.reshape(to_tf(v), [-1]) for v in x]
    lengths = [_dims(v)[0] for v in vectors]
    order = list(range(len(vectors)))
    if indexing == "xy" and len(vectors) > 1:
        order[0], order[1] = 1, 0
    full_shape = [lengths[order.index(position)] for position in range(len(vectors))]
    grids = []
    for i, v in enumerate(vectors):
        shape = [1] * len(vectors)
        shape[order[i]] = -1
        grids.append(tf.broadcast_to(tf.reshape(v, shape), full_shape))
    return grids


# Dtypes without a pow kernel, and the ones their powers are computed in.
_POWER_DTYPES = {
    "bool": tf.int32,
    "uint8": tf.int32,
    "uint16": tf.int32,
    "uint32": tf.int64,
    "uint64": tf.int64,
    "float16": tf.float32,
    "bfloat16": tf.float32,
}


def vander(x, N=None, increasing=False):
    x = to_tf(x)
    if len(x.shape) != 1:
        raise ValueError(f"vander needs a 1-D x, got shape {tuple(x.shape)}")
    compute = _POWER_DTYPES.get(dtype_name(x), x.dtype)
    columns = _dims(x)[0] if N is None else int(N)
    powers = tf.range(columns)
    if not increasing:
        powers = tf.reverse(powers, [0])
    base = tf.cast(x, compute)[:, None]
    return tf.cast(tf.math.pow(base, tf.cast(powers, compute)[None, :]), x.dtype)


# ---------------------------------------------------------------------------------------------
# Shape manipulation


def reshape(x, newshape):
    return tf.reshape(to_tf(x), _shape(newshape))


def ravel(x):
    return tf.reshape(to_tf(x), [-1])


def broadcast_to(x, shape):
    return tf.broadcast_to(to_tf(x), _shape(shape))


def expand_dims(x, axis):
    x = to_tf(x)
    if isinstance(axis, _INTS):
        return tf.expand_dims(x, int(axis))
    rank = len(x.shape) + len(axis)
    for position in sorted(_axis(a, rank) for a in axis):
        x = tf.expand_dims(x, position)
    return x


def squeeze(x, axis=None):
    x = to_tf(x)
    if axis is None:
        return tf.squeeze(x)
    return tf.squeeze(x, [axis] if isinstance(axis, _INTS) else list(axis))


def transpose(x, axes=None):
    x = to_tf(x)
    if axes is None:
        return tf.transpose(x)
    rank = len(x.shape)
    return tf.transpose(x, [_axis(a, rank) for a in axes])


def _as_list(axes):
    return [int(axes)] if isinstance(axes, _INTS) else [int(a) for a in axes]


def moveaxis(x, source, destination):
    x = to_tf(x)
    rank = len(x.shape)
    source = [_axis(a, rank) for a in _as_list(source)]
    destination = [_axis(a, rank) for a in _as_list(destination)]
    order = [a for a in range(rank) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return x if order == list(range(rank)) else tf.transpose(x, order)


def swapaxes(x, axis1, axis2):
    x = to_tf(x)
    rank = len(x.shape)
    perm = list(range(rank))
    a, b = _axis(axis1, rank), _axis(axis2, rank)
    perm[a], perm[b] = perm[b], perm[a]
    return tf.transpose(x, perm)


def flip(x, axis=None):
    x = to_tf(x)
    axes = list(range(len(x.shape))) if axis is None else _as_list(axis)
    return tf.reverse(x, axes)


def rot90(array, k=1, axes=(0, 1)):
    array = to_tf(array)
    rank = len(array.shape)
    if rank < 2:
        raise ValueError(f"rot90 needs an array of at least 2 dims, got shape {array.shape}")
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] % rank == axes[1] % rank:
        raise ValueError(f"rot90 axes must be two different axes, got axes={axes}")
    first, second = axes[0] % rank, axes[1] % rank
    k = int(k) % 4
    if k == 0:
        return array
    if k == 2:
        return tf.reverse(array, [first, second])
    if k == 1:
        return swapaxes(tf.reverse(array, [second]), first, second)
    return tf.reverse(swapaxes(array, first, second), [second])


def roll(x, shift, axis=None):
    x = to_tf(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, [-1]), shift, 0), tf.shape(x))
    return tf.roll(x, axis_arg(shift), axis_arg(axis))


def repeat(x, repeats, axis=None):
    x = to_tf(x)
    if isinstance(repeats, (list, tuple, np.ndarray)) and np.size(repeats) > 1:
        # Known counts: a gather keeps the result's shape static.
        if axis is None:
            x, axis = tf.reshape(x, [-1]), 0
        picks = np.repeat(np.arange(np.size(repeats)), np.reshape(repeats, -1))
        return tf.gather(x, picks, axis=axis)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = int(np.reshape(repeats, -1)[0])
    return tf.repeat(x, repeats, axis=axis)


def tile(x, repeats):
    x = to_tf(x)
    repeats = _as_list(repeats)
    rank = len(x.shape)
    if len(repeats) > rank:
        x = tf.reshape(x, [1] * (len(repeats) - rank) + _dims(x))
    repeats = [1] * (len(x.shape) - len(repeats)) + repeats
    return tf.tile(x, repeats)


_PAD_MODES = {"constant": "CONSTANT", "reflect": "REFLECT", "symmetric": "SYMMETRIC"}


def pad(x, pad_width, mode="constant", constant_values=None):
    if mode not in _PAD_MODES:
        raise ValueError(f"pad mode must be one of {tuple(_PAD_MODES)}, got mode={mode!r}")
    x = to_tf(x)
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"pad takes constant_values only with mode='constant', got mode={mode!r}; "
            "drop constant_values or use mode='constant'."
        )
    widths = np.broadcast_to(np.asarray(pad_width, np.int64), (len(x.shape), 2))
    value = 0 if constant_values is None else constant_values
    if mode != "constant":
        return tf.pad(x, widths.tolist(), mode=_PAD_MODES[mode])
    return tf.pad(x, widths.tolist(), constant_values=to_tf(value, x.dtype))


# ---------------------------------------------------------------------------------------------
# Joining and splitting


def _at_least(x, rank):
    """`x` with numpy's `atleast_1d`/`atleast_2d`/`atleast_3d` shapes."""
    have = len(x.shape)
    if have >= rank:
        return x
    if rank == 3 and have == 2:
        return x[:, :, None]
    if rank == 3 and have == 1:
        return x[None, :, None]
    return tf.reshape(x, [1] * (rank - have) + _dims(x))


def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return tf.concat([tf.reshape(x, [-1]) for x in xs], 0)
    return tf.concat(xs, axis)


def stack(x, axis=0):
    return tf.stack(promote(*x), axis=axis)


def hstack(xs):
    xs = [_at_least(x, 1) for x in promote(*xs)]
    return tf.concat(xs, 0 if len(xs[0].shape) == 1 else 1)


def vstack(xs):
    return tf.concat([_at_least(x, 2) for x in promote(*xs)], 0)


def dstack(xs):
    return tf.concat([_at_least(x, 3) for x in promote(*xs)], 2)


def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    if axis is None:
        return tf.concat([tf.reshape(x1, [-1]), tf.reshape(x2, [-1])], 0)
    return tf.concat([x1, x2], axis)


def _axis_slice(x, axis, start, stop):
    return x[(builtins.slice(None),) * axis + (builtins.slice(start, stop),)]


def _split_at(x, indices, axis):
    bounds = [None, *indices, None]
    return [_axis_slice(x, axis, a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def _indices(indices_or_sections):
    indices = np.asarray(indices_or_sections)
    return None if indices.ndim == 0 else [int(i) for i in indices]


def split(x, indices_or_sections, axis=0):
    x = to_tf(x)
    axis = _axis(axis, len(x.shape))
    indices = _indices(indices_or_sections)
    if indices is None:
        return tf.split(x, int(indices_or_sections), axis=axis)
    return _split_at(x, indices, axis)


def array_split(x, indices_or_sections, axis=0):
    x = to_tf(x)
    axis = _axis(axis, len(x.shape))
    indices = _indices(indices_or_sections)
    if indices is None:
        sections = int(indices_or_sections)
        quotient, extra = divmod(x.shape[axis], sections)
        sizes = [quotient + 1] * extra + [quotient] * (sections - extra)
        indices = np.cumsum(sizes)[:-1].tolist()
    return _split_at(x, indices, axis)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


# ---------------------------------------------------------------------------------------------
# Indexing


def _is_basic(key) -> bool:
    if key is None or key is Ellipsis or isinstance(key, (builtins.slice, _INTS)):
        return True
    return tf.is_tensor(key) and key.shape.rank == 0 and key.dtype.is_integer


def _expand_ellipsis(key, rank):
    used = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
    used += builtins.sum(len(k.shape) - 1 for k in key if _is_mask(k))
    at = next((i for i, k in enumerate(key) if k is Ellipsis), None)
    if at is None:
        return key + (builtins.slice(None),) * (rank - used)
    return key[:at] + (builtins.slice(None),) * (rank - used) + key[at + 1 :]


def _is_mask(key) -> bool:
    return tf.is_tensor(key) and key.dtype == tf.bool


def get_item(x, key):
    x = to_tf(x)
    key = key if isinstance(key, tuple) else (key,)
    if builtins.all(_is_basic(k) for k in key):
        return x[key]
    key = tuple(k if _is_basic(k) else to_tf(k) for k in key)
    key = _expand_ellipsis(key, len(x.shape))
    # Boolean masks become the integer arrays of their true coordinates.
    expanded = []
    for k in key:
        if _is_mask(k):
            expanded.extend(tf.unstack(tf.cast(tf.where(k), tf.int32), num=len(k.shape), axis=1))
        else:
            expanded.append(k)
    return _advanced_index(x, tuple(expanded))


def _advanced_index(x, key):
    """numpy's integer-array indexing: basic items first, then one gather over the array axes."""
    basic, array_axes, arrays, out_axis = [], [], [], 0
    for k in key:
        if _is_basic(k):
            basic.append(k)
            if k is None or isinstance(k, builtins.slice):
                out_axis += 1
        else:
            basic.append(builtins.slice(None))
            array_axes.append(out_axis)
            arrays.append(k)
            out_axis += 1
    y = x[tuple(basic)]
    dims = _dims(y)
    arrays = [
        tf.where(a < 0, a + tf.cast(dims[axis], a.dtype), a)
        for a, axis in zip((tf.cast(a, tf.int64) for a in arrays), array_axes)
    ]
    arrays = _broadcast_all(arrays)
    rest = [a for a in range(len(y.shape)) if a not in array_axes]
    y = tf.transpose(y, array_axes + rest)
    gathered = tf.gather_nd(y, tf.stack(arrays, axis=-1))
    adjacent = array_axes == list(range(array_axes[0], array_axes[0] + len(array_axes)))
    if not adjacent or array_axes[0] == 0:
        return gathered
    # Adjacent arrays put their result dims where the first of them was.
    index_rank = len(arrays[0].shape)
    rank = len(gathered.shape)
    start = array_axes[0]
    perm = list(range(index_rank, index_rank + start)) + list(range(index_rank))
    perm += list(range(index_rank + start, rank))
    return tf.transpose(gathered, perm)


def _broadcast_all(arrays):
    shape = tf.shape(arrays[0])
    for a in arrays[1:]:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(a))
    return [tf.broadcast_to(a, shape) for a in arrays]


def _wrap_clip(indices, size):
    """Negative indices counted from the end, then clipped into `[0, size)`."""
    size = tf.cast(size, indices.dtype)
    indices = tf.where(indices < 0, indices + size, indices)
    return tf.clip_by_value(indices, tf.zeros((), indices.dtype), size - 1)


def take(x, indices, axis=None):
    x = to_tf(x)
    indices = to_tf(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    axis = _axis(axis, len(x.shape))
    return tf.gather(x, _wrap_clip(indices, _dims(x)[axis]), axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = to_tf(x), to_tf(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    rank = len(x.shape)
    axis = _axis(axis, rank)
    indices = _wrap_clip(indices, _dims(x)[axis])
    # Broadcast the other axes, then gather along `axis` moved last.
    x_shape, i_shape = tf.shape(x), tf.shape(indices)
    ones = tf.one_hot(axis, rank, 0, 1, dtype=tf.int32)
    common = tf.broadcast_dynamic_shape(x_shape * ones + (1 - ones), i_shape * ones + (1 - ones))
    at_axis = tf.one_hot(axis, rank, 1, 0, dtype=tf.int32)
    x = tf.broadcast_to(x, common * ones + x_shape * at_axis)
    indices = tf.broadcast_to(indices, common * ones + i_shape * at_axis)
    x, indices = moveaxis(x, axis, -1), moveaxis(indices, axis, -1)
    result = tf.gather(x, indices, axis=rank - 1, batch_dims=rank - 1)
    return moveaxis(result, -1, axis)


def nonzero(x):
    x = to_tf(x)
    mask = x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros((), x.dtype))
    coordinates = tf.cast(tf.where(mask), tf.int32)
    return tuple(coordinates[:, i] for i in range(len(x.shape)))


def where(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("where needs both x1 and x2, or neither (to get nonzero(condition))")
    if x1 is None:
        return nonzero(condition)
    x1, x2 = promote(x1, x2)
    condition = to_tf(condition)
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, tf.bool)
    return tf.where(condition, x1, x2)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select needs one choice per condition, got {len(condlist)} conditions and "
            f"{len(choicelist)} choices"
        )
    *choices, result = promote(*choicelist, default)
    shape = tf.shape(result)
    for condition, choice in zip(condlist, choices):
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(to_tf(condition)))
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(choice))
    result = tf.broadcast_to(result, shape)
    for condition, choice in reversed(list(zip(condlist, choices))):
        result = tf.where(tf.cast(to_tf(condition), tf.bool), choice, result)
    return result


def diag(x, k=0):
    x = to_tf(x)
    rank = len(x.shape)
    if rank not in (1, 2):
        raise ValueError(f"diag needs a 1-D or 2-D x, got shape {tuple(x.shape)}")
    if rank == 1:
        return tf.linalg.diag(x, k=int(k))
    return diagonal(x, k)


def diagflat(x, k=0):
    return tf.linalg.diag(tf.reshape(to_tf(x), [-1]), k=int(k))


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = to_tf(x)
    rank = len(x.shape)
    axis1, axis2 = _axis(axis1, rank), _axis(axis2, rank)
    rest = [a for a in range(rank) if a not in (axis1, axis2)]
    planes = tf.transpose(x, rest + [axis1, axis2])
    offset = int(offset)
    rows, cols = planes.shape[-2], planes.shape[-1]
    if (offset >= 0 and offset >= (cols or 0) and cols is not None) or (
        offset < 0 and rows is not None and -offset >= rows
    ):
        return tf.zeros(_dims(planes)[:-2] + [0], x.dtype)
    return tf.linalg.diag_part(planes, k=offset)


_SUM_DTYPES = {
    "bool": "int32",
    "int8": "int32",
    "int16": "int32",
    "uint8": "uint32",
    "uint16": "uint32",
}


def trace(x, offset=0, axis1=0, axis2=1):
    x = to_tf(x)
    dtype = _SUM_DTYPES.get(dtype_name(x), dtype_name(x))
    compute = tf.float32 if dtype in ("float16", "bfloat16") else tf_dtype(dtype)
    values = tf.cast(diagonal(x, offset, axis1, axis2), compute)
    return tf.cast(tf.reduce_sum(values, axis=-1), tf_dtype(dtype))


def _triangle(x, keep):
    x = to_tf(x)
    dims = _dims(x)
    offsets = _offsets(dims[-2], dims[-1])
    return tf.where(keep(offsets), x, tf.zeros((), x.dtype))


def tril(x, k=0):
    return _triangle(x, lambda offsets: offsets <= int(k))


def triu(x, k=0):
    return _triangle(x, lambda offsets: offsets >= int(k))


def unravel_index(indices, shape):
    indices = to_tf(indices)
    dtype = tf_dtype(result_type(dtype_name(indices)))
    remaining = tf.cast(indices, tf.int64)
    coordinates = []
    for dim in reversed(_shape(shape)):
        dim = tf.cast(dim, tf.int64)
        coordinates.append(tf.cast(tf.math.floormod(remaining, dim), dtype))
        remaining = tf.math.floordiv(remaining, dim)
    return tuple(reversed(coordinates))


def ndim(x):
    return len(to_tf(x).shape)


def size(x):
    x = to_tf(x)
    static = x.shape.as_list()
    if None in static:
        return tf.size(x)
    return int(np.prod(static, dtype=np.int64))


def view(x, dtype=None):
    x = to_tf(x)
    if dtype is None:
        return x
    target = tf_dtype(dtype)
    source = x.dtype
    if source == tf.bool:
        x = tf.cast(x, tf.uint8)
    as_target = tf.uint8 if target == tf.bool else target
    if x.dtype == as_target:
        result = x
    elif x.dtype.size > as_target.size:
        wide = tf.bitcast(x, as_target)
        result = tf.reshape(wide, _dims(x)[:-1] + [-1])
    elif x.dtype.size < as_target.size:
        ratio = as_target.size // x.dtype.size
        grouped = tf.reshape(x, _dims(x)[:-1] + [-1, ratio])
        result = tf.bitcast(grouped, as_target)
    else:
        result = tf.bitcast(x, as_target)
    return tf.cast(result, tf.bool) if target == tf.bool else result


__all__ = exported(globals())
