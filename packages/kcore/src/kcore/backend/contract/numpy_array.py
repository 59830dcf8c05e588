"""Contract group ``numpy``, part two: creation, shape manipulation, indexing, sorting, products."""

from __future__ import annotations

from kcore.backend.contract._spec import ops
from kcore.backend.contract.numpy import group
from kcore.backend.keras_tensor import KerasTensor

# Symbolic shape inference for the ops whose result shape depends on values, or is not a tensor.

_PROBE_SIZES = (83, 89)


def _ndim_spec(x):
    return len(x.shape)


def _size_spec(x):
    total = 1
    for dim in x.shape:
        if dim is None:
            return None
        total *= dim
    return total


def _nonzero_spec(x):
    return tuple(KerasTensor((None,), "int32") for _ in range(len(x.shape)))


def _where_spec(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return _nonzero_spec(condition)
    from kcore.backend import bound

    return bound.compute_output_spec(bound.where, condition, x1, x2)


def _get_item_spec(x, key):
    """Indexes a zero-memory numpy stand-in of `x`: once per probe size for unknown dims, and,
    when a boolean KerasTensor masks `x`, once with a full and once with a holed mask, so that
    every dim that depends on sizes or mask values comes out unknown."""
    import numpy as np

    from kcore.backend.dtypes import standardize_dtype

    has_mask = False

    def has_unknown(value):
        nonlocal has_mask
        if isinstance(value, tuple):
            return any([has_unknown(v) for v in value])
        if isinstance(value, KerasTensor):
            has_mask = has_mask or value.dtype == "bool"
            return None in value.shape
        return False

    unknown = has_unknown((x, key))

    def concrete(value, size, holed):
        if isinstance(value, tuple):
            return tuple(concrete(v, size, holed) for v in value)
        if not isinstance(value, KerasTensor):
            return value
        shape = tuple(size if d is None else d for d in value.shape)
        if value.dtype != "bool":
            return np.zeros(shape, "int64")
        mask = np.ones(shape, bool)
        if holed and mask.size:
            mask.flat[0] = False
        return mask

    shapes = []
    for size in _PROBE_SIZES if unknown else _PROBE_SIZES[:1]:
        for holed in (False, True) if has_mask else (False,):
            if isinstance(x, KerasTensor):
                shape = tuple(size if d is None else d for d in x.shape)
                stand_in = np.broadcast_to(np.zeros((), "int8"), shape)
            else:
                stand_in = np.asarray(x)
            shapes.append(np.shape(stand_in[concrete(key, size, holed)]))
    shape = tuple(dims[0] if all(d == dims[0] for d in dims) else None for dims in zip(*shapes))
    dtype = x.dtype if isinstance(x, KerasTensor) else standardize_dtype(np.asarray(x).dtype)
    return KerasTensor(shape, dtype)


# Creation


@group.required
def zeros(shape, dtype=None):
    """A tensor of `shape` filled with zeros; `dtype=None` means floatx."""


@group.required
def ones(shape, dtype=None):
    """A tensor of `shape` filled with ones; `dtype=None` means floatx."""


@group.required
def empty(shape, dtype=None):
    """A tensor of `shape` whose values are undefined; `dtype=None` means floatx."""


@group.required
def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (broadcast); `dtype=None` means floatx."""


@group.required
def zeros_like(x, dtype=None):
    """Zeros with the shape of `x`, and its dtype unless `dtype` is given."""


@group.required
def ones_like(x, dtype=None):
    """Ones with the shape of `x`, and its dtype unless `dtype` is given."""


@group.required
def empty_like(x, dtype=None):
    """An uninitialized tensor with the shape of `x`, and its dtype unless `dtype` is given."""


@group.required
def full_like(x, fill_value, dtype=None):
    """`fill_value` broadcast to the shape of `x`, with its dtype unless `dtype` is given."""


@group.required
def array(x, dtype=None):
    """A new tensor holding `x` (array-like); dtype as `convert_to_tensor` chooses, or `dtype`."""


@group.required
def identity(n, dtype=None):
    """The `n x n` identity matrix; `dtype=None` means floatx."""


@group.required
def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix (`M=None`: square) with ones on diagonal `k`; `dtype=None` means floatx."""


@group.required
def tri(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones at and below diagonal `k`; `dtype=None` means floatx."""


@group.required
def arange(start, stop=None, step=1, dtype=None):
    """Values in `[start, stop)` spaced by `step` (`arange(n)` counts from 0).

    `dtype=None` is the `result_type` of the given bounds (Python ints give int32, floats floatx).
    """


@group.required
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (inclusive when `endpoint`), along `axis`.

    `dtype=None` is `result_type(start, stop, float)`; `retstep=True` returns `(values, step)`.
    """


@group.required
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num, endpoint)` along `axis`; dtype as `linspace`."""


@group.required
def bartlett(x):
    """The Bartlett (triangular) window of `x` points, in floatx."""


@group.required
def blackman(x):
    """The Blackman window of `x` points, in floatx."""


@group.required
def hamming(x):
    """The Hamming window of `x` points, in floatx."""


@group.required
def hanning(x):
    """The Hann window of `x` points, in floatx."""


@group.required
def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`, in floatx."""


@group.required
def meshgrid(*x, indexing="xy"):
    """Coordinate grids (a list, one per 1-D input); `indexing` is ``"xy"`` (Cartesian) or
    ``"ij"`` (matrix). Each grid keeps its input's dtype."""


@group.required
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D `x`: columns are powers of `x` (decreasing unless
    `increasing`), `N` columns (default `len(x)`); keeps the dtype of `x`."""


# Shape manipulation


@group.required
def reshape(x, newshape):
    """`x` with shape `newshape`; one dim may be -1."""


@group.required
def ravel(x):
    """`x` flattened to 1-D, in row-major order."""


@group.required
def broadcast_to(x, shape):
    """`x` broadcast to `shape` with numpy's broadcasting rules."""


@group.required
def expand_dims(x, axis):
    """`x` with a new size-1 axis at `axis` (an int or a tuple of ints, negative counting from
    the end of the result)."""


@group.required
def squeeze(x, axis=None):
    """`x` without its size-1 axes (all, or the ones in `axis`; squeezing another size is an
    error)."""


@group.required
def transpose(x, axes=None):
    """`x` with its axes permuted by `axes` (default: reversed)."""


@group.required
def moveaxis(x, source, destination):
    """`x` with axes `source` (int or sequence) moved to positions `destination`."""


@group.required
def swapaxes(x, axis1, axis2):
    """`x` with axes `axis1` and `axis2` interchanged."""


@group.required
def flip(x, axis=None):
    """`x` with the order of elements reversed along `axis` (int, tuple, or None for all)."""


@group.required
def rot90(array, k=1, axes=(0, 1)):
    """`array` rotated by 90 degrees `k` times in the plane of `axes` (from the first axis
    toward the second); `array` needs at least 2 dims."""


@group.required
def roll(x, shift, axis=None):
    """`x` with elements shifted by `shift` along `axis` (None: the flattened array), wrapping
    around."""


@group.required
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated `repeats` times (an int or one count per element) along
    `axis` (None: the flattened array)."""


@group.required
def tile(x, repeats):
    """`x` tiled `repeats` times (an int or one count per axis), numpy's `tile` semantics."""


@group.required
def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded by `pad_width` (an int, `(before, after)` or one pair per axis).

    `mode` is ``"constant"`` (with `constant_values`, default 0), ``"reflect"`` or ``"symmetric"``;
    `constant_values` with another mode is an error. Keeps the dtype of `x`.
    """


# Joining and splitting


@group.required
def concatenate(xs, axis=0):
    """The tensors `xs` joined along existing axis `axis`; dtypes promote by `result_type`."""


@group.required
def stack(x, axis=0):
    """The same-shape tensors in `x` joined along a new axis `axis`; dtypes promote."""


@group.required
def hstack(xs):
    """The tensors `xs` joined column-wise (axis 1, or 0 for 1-D inputs); dtypes promote."""


@group.required
def vstack(xs):
    """The tensors `xs` (1-D ones as rows) joined along axis 0; dtypes promote."""


@group.required
def dstack(xs):
    """The tensors `xs` (made at least 3-D) joined along axis 2; dtypes promote."""


@group.required
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (None: both flattened first); dtypes promote."""


@group.required
def split(x, indices_or_sections, axis=0):
    """A list of sub-tensors of `x` along `axis`: `indices_or_sections` equal parts (an int that
    must divide the axis) or the parts between the given sorted indices."""


@group.required
def array_split(x, indices_or_sections, axis=0):
    """As `split`, but an int number of sections need not divide the axis: the first
    `size % sections` parts get one extra element."""


@group.required
def vsplit(x, indices_or_sections):
    """`split` along axis 0 of an at least 2-D `x`."""


# Indexing


@group.required(output_spec=_get_item_spec)
def get_item(x, key):
    """`x[key]` with numpy indexing: ints, slices, None, Ellipsis, tuples of them, and integer or
    boolean index tensors (a boolean mask gives a value-dependent shape)."""


@group.required
def take(x, indices, axis=None):
    """Elements of `x` at integer `indices` along `axis` (None: the flattened array); negative
    indices count from the end."""


@group.required
def take_along_axis(x, indices, axis=None):
    """Elements of `x` picked by `indices` (same rank, broadcast against `x` except on `axis`)
    along `axis` (None: the flattened array)."""


@group.required(output_spec=_nonzero_spec)
def nonzero(x):
    """A tuple with one int32 index vector per axis of `x`, for its non-zero elements in
    row-major order."""


@group.required(output_spec=_where_spec)
def where(condition, x1=None, x2=None):
    """Elements of `x1` where `condition` is true, else of `x2` (broadcast; dtypes promote, Python
    scalars are weak). With neither `x1` nor `x2`, returns `nonzero(condition)`."""


@group.required
def select(condlist, choicelist, default=0):
    """Per element, the entry of the first `choicelist` tensor whose `condlist` condition holds,
    else `default`; dtype is the `result_type` of the choices (`default` is weak)."""


@group.required
def diag(x, k=0):
    """For 1-D `x`, a square matrix with `x` on diagonal `k`; for 2-D `x`, its diagonal `k`."""


@group.required
def diagflat(x, k=0):
    """A square matrix with flattened `x` on diagonal `k`."""


@group.required
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal `offset` of the 2-D planes of `x` given by `axis1` and `axis2`, as a new last
    axis."""


@group.required
def trace(x, offset=0, axis1=0, axis2=1):
    """The sums along the diagonal `offset` of the planes `axis1`, `axis2` of `x`.

    Bools and small ints sum as int32 (uint8/uint16 as uint32), as `sum`.
    """


@group.required
def tril(x, k=0):
    """`x` with the elements above diagonal `k` of its last two axes set to zero."""


@group.required
def triu(x, k=0):
    """`x` with the elements below diagonal `k` of its last two axes set to zero."""


@group.required
def unravel_index(indices, shape):
    """A tuple of coordinate tensors (one per dim of `shape`) for the flat `indices`; each keeps
    the dtype of `indices`."""


@group.required(output_spec=_ndim_spec)
def ndim(x):
    """The number of dimensions of `x` (a Python int)."""


@group.required(output_spec=_size_spec)
def size(x):
    """The number of elements of `x` (a Python int; None for a symbolic tensor with unknown dims)."""


@group.required
def view(x, dtype=None):
    """The bytes of `x` reinterpreted as `dtype` (the last axis scales by the itemsize ratio)."""


# Sorting and searching


@group.required
def sort(x, axis=-1):
    """`x` sorted in ascending order along `axis` (NaNs last)."""


@group.required
def argsort(x, axis=-1):
    """The int32 indices that sort `x` along `axis` (a stable sort: ties keep their order)."""


@group.required
def argpartition(x, kth, axis=-1):
    """int32 indices that partition `x` along `axis`: position `kth` holds the index of the value a
    sort would put there, smaller values come before it and the others after (in any order)."""


@group.required
def searchsorted(sorted_sequence, values, side="left"):
    """int32 indices where `values` would be inserted into the 1-D ascending `sorted_sequence`
    to keep it sorted (`side="left"`: before equal entries, `"right"`: after)."""


# Products


@group.required
def matmul(x1, x2):
    """Matrix product with numpy's `matmul` semantics (batch dims broadcast, 1-D operands promoted).

    Integer and bool operands give int32 results (int8 operands too); otherwise `result_type`.
    """


@group.required
def dot(x1, x2):
    """numpy's `dot`: the inner product for 1-D operands, the matrix product for 2-D, the sum over
    the last axis of `x1` and the second-to-last of `x2` otherwise; dtype is `result_type`."""


@group.required
def inner(x1, x2):
    """The sum of products over the last axes of `x1` and `x2`; dtype is `result_type`."""


@group.required
def outer(x1, x2):
    """The outer product of flattened `x1` and `x2` (a matrix); dtype is `result_type`."""


@group.required
def vdot(x1, x2):
    """The dot product of flattened `x1` and `x2`, conjugating `x1`; dtype is `result_type`."""


@group.required
def kron(x1, x2):
    """The Kronecker product of `x1` and `x2`; dtype is `result_type`."""


@group.required
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of the vectors (size 2 or 3) along `axisa` of `x1` and `axisb` of `x2`,
    placed along `axisc`; `axis` overrides all three. Dtype is `result_type`."""


@group.required
def tensordot(x1, x2, axes=2):
    """The sum of products over the last `axes` axes of `x1` and the first of `x2`, or over the
    axes listed in `axes = (axes_x1, axes_x2)`; dtype is `result_type`."""


@group.required
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation of `operands` as given by `subscripts` (numpy's notation).

    Dtype is the `result_type` of the operands, except all-int8 operands give int32.
    """


@group.required
def slogdet(x):
    """`(sign, logabsdet)` of the determinant of the square matrices in the last two axes of `x`;
    int inputs give floatx."""


# Functions


@group.required(symbolic=False)
def vectorize(pyfunc, *, excluded=None, signature=None):
    """A function applying `pyfunc` element-wise over its tensor arguments, as numpy's `vectorize`
    (`signature` such as ``"(n),(n)->()"`` names core dims; `excluded`: arguments left as is)."""


@group.optional
def rearrange(tensor, pattern, **axes_lengths):
    """`tensor` with axes regrouped and reordered by an einops pattern such as
    ``"b (h w) c -> b c h w"``; `axes_lengths` gives the sizes of decomposed axes (one per group
    may be inferred)."""
    inputs, outputs = (_einops_groups(side) for side in pattern.split("->"))
    shape = ops.shape(tensor)
    if len(inputs) != len(shape):
        raise ValueError(
            f"rearrange pattern {pattern!r} names {len(inputs)} input axes, but the tensor has "
            f"shape {tuple(shape)} ({len(shape)} axes). Give one name or group per axis."
        )
    sizes = dict(axes_lengths)
    for names, dim in zip(inputs, shape):
        unknown = [name for name in names if name not in sizes]
        if len(unknown) > 1:
            raise ValueError(
                f"rearrange cannot infer the sizes of {unknown} in pattern {pattern!r}; pass all "
                f"but one of them as keyword arguments, e.g. {unknown[0]}=2."
            )
        if unknown:
            known = 1
            for name in names:
                if name in sizes:
                    known *= sizes[name]
            sizes[unknown[0]] = dim // known
    flat_inputs = [name for names in inputs for name in names]
    flat_outputs = [name for names in outputs for name in names]
    if sorted(flat_inputs) != sorted(flat_outputs):
        raise ValueError(
            f"rearrange pattern {pattern!r} must name the same axes on both sides, got "
            f"{flat_inputs} and {flat_outputs}."
        )
    if any(len(names) != 1 for names in inputs):
        tensor = ops.reshape(tensor, [sizes[name] for name in flat_inputs])
    permutation = [flat_inputs.index(name) for name in flat_outputs]
    if permutation != sorted(permutation):
        tensor = ops.transpose(tensor, permutation)
    if any(len(names) != 1 for names in outputs):
        merged = []
        for names in outputs:
            total = 1
            for name in names:
                total *= sizes[name]
            merged.append(total)
        tensor = ops.reshape(tensor, merged)
    return tensor


def _einops_groups(side):
    """``"b (h w) c"`` -> ``[["b"], ["h", "w"], ["c"]]``."""
    import re

    return [
        match[1].split() if match[1] is not None else [match[2]]
        for match in re.finditer(r"\(([^)]*)\)|([^\s()]+)", side)
    ]
