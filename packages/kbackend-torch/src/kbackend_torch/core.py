"""Contract group ``core`` on torch: tensors, dtypes, control flow, slicing, autodiff, shape
inference.

torch runs eagerly, so control flow is plain Python: loops call their body once per step, and
`cond` and `switch` call the chosen branch only.
"""

from __future__ import annotations

import builtins
import math

import ml_dtypes
import numpy as np
import optree
import torch

from kbackend_torch._utils import dtype_name, to_numpy, to_torch, torch_dtype
from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.keras_tensor import KerasTensor
from kcore.backend.symbolic import evaluate_on_placeholders

try:
    from torch._subclasses.fake_tensor import FakeTensorMode as _FakeTensorMode
except ImportError:  # a torch without fake tensors: shape inference runs on zeros
    _FakeTensorMode = None


_Tensor = torch.Tensor
_SCALARS = (bool, int, float, complex)


def _is_variable(x) -> bool:
    return hasattr(x, "_kcore_variable")


def _tensors(tree, scalars=False):
    """`tree` with its numpy arrays and kcore Variables (and, with `scalars`, its Python scalars,
    as `convert_to_tensor` types them) turned into torch tensors."""
    kinds = (np.ndarray, np.generic) + (_SCALARS if scalars else ())
    return optree.tree_map(
        lambda leaf: to_torch(leaf) if isinstance(leaf, kinds) or _is_variable(leaf) else leaf,
        tree,
        is_leaf=_is_variable,
    )


# ---------------------------------------------------------------------------------------------
# Tensors and dtypes


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if sparse:
        raise ValueError("The torch backend does not support sparse tensors; pass sparse=False.")
    if ragged:
        raise ValueError("The torch backend does not support ragged tensors; pass ragged=False.")
    return to_torch(x, dtype)


def convert_to_numpy(x):
    return to_numpy(x)


def is_tensor(x):
    return isinstance(x, _Tensor)


def shape(x):
    if not isinstance(x, _Tensor):
        x = to_torch(x)
    return tuple(x.shape)


def dtype(x):
    return dtype_name(x if isinstance(x, _Tensor) else to_torch(x))


def cast(x, dtype):
    target = torch_dtype(dtype)
    if isinstance(x, _Tensor):
        return x if x.dtype == target else x.to(target)
    return to_torch(x, target)


def _bounds(dtype: str):
    if dtype.startswith(("int", "uint")):
        return np.iinfo(dtype)
    return ml_dtypes.finfo(dtype)


def _is_int(dtype: str) -> bool:
    return dtype.startswith(("int", "uint"))


def saturate_cast(x, dtype):
    x = to_torch(x)
    target, source = standardize_dtype(dtype), dtype_name(x)
    if (
        "bool" in (target, source)
        or "complex" in target + source
        or _is_int(source) > _is_int(target)
    ):
        return x.to(torch_dtype(target))
    out, inp = _bounds(target), _bounds(source)
    if _is_int(target) and not _is_int(source):
        # A float bound may round past the int range (2**31 - 1 is 2**31 in float32): saturate
        # by comparison, with exact int results, and send NaN to 0.
        low, high = float(out.min), float(out.max)
        result = torch.clamp(x, low, high).to(torch_dtype(target))
        result = torch.where(x >= high, torch.full_like(result, int(out.max)), result)
        result = torch.where(x <= low, torch.full_like(result, int(out.min)), result)
        return torch.where(torch.isnan(x), torch.zeros_like(result), result)
    low, high = builtins.max(out.min, inp.min), builtins.min(out.max, inp.max)
    if _is_int(source):
        low, high = int(low), int(high)
    else:
        low, high = float(low), float(high)
    return torch.clamp(x, low, high).to(torch_dtype(target))


# ---------------------------------------------------------------------------------------------
# Control flow


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(to_torch(pred)) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    single = not isinstance(loop_vars, (list, tuple))
    loop_vars = _tensors((loop_vars,) if single else tuple(loop_vars), scalars=True)
    limit = None if maximum_iterations is None else int(maximum_iterations)
    count = 0
    while (limit is None or count < limit) and bool(cond(*loop_vars)):
        result = body(*loop_vars)
        loop_vars = (result,) if single or not isinstance(result, (list, tuple)) else tuple(result)
        count += 1
    return loop_vars[0] if single else loop_vars


def fori_loop(lower, upper, body_fun, init_val):
    value = _tensors(init_val, scalars=True)
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def _stack(results, empty_like):
    """The leaves of the step results `results` stacked along a new leading axis; with no
    results, empty stacks shaped as the leaves of `empty_like` (one step's result)."""
    if not results:
        return optree.tree_map(
            lambda y: torch.empty((0, *y.shape), dtype=y.dtype, device=y.device),
            _tensors(empty_like, scalars=True),
        )
    return optree.tree_map(
        lambda *ys: torch.stack([to_torch(y) for y in ys]), *results, none_is_leaf=False
    )


def _probe_step(f, carry, xs):
    """One step's `y` of `f` on a zero slice of `xs`, to shape the stacks of an empty scan."""
    x = None if xs is None else optree.tree_map(lambda leaf: leaf.new_zeros(leaf.shape[1:]), xs)
    with torch.no_grad():
        return f(carry, x)[1]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`; both are None.")
    carry, xs = _tensors(init, scalars=True), _tensors(xs)
    if xs is not None:
        length = optree.tree_leaves(xs)[0].shape[0]
    steps = range(length - 1, -1, -1) if reverse else range(length)
    ys = []
    for i in steps:
        x = None if xs is None else optree.tree_map(lambda leaf, i=i: leaf[i], xs)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    return carry, _stack(ys, None if ys else _probe_step(f, carry, xs))


def associative_scan(f, elems, reverse=False, axis=0):
    elems = _tensors(elems)
    leaves, tree = optree.tree_flatten(elems)
    axis = axis % leaves[0].ndim
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]

    def combine(a, b):
        result = f(optree.tree_unflatten(tree, a), optree.tree_unflatten(tree, b))
        return optree.tree_leaves(result)

    result = _parallel_scan(combine, leaves, axis)
    if reverse:
        result = [torch.flip(leaf, (axis,)) for leaf in result]
    return optree.tree_unflatten(tree, result)


def _along(leaves, axis, start, stop=None, step=1):
    """Each leaf sliced as ``[start:stop:step]`` along `axis`."""
    index = (builtins.slice(None),) * axis + (builtins.slice(start, stop, step),)
    return [leaf[index] for leaf in leaves]


def _parallel_scan(combine, leaves, axis):
    """Inclusive scan of `combine` over `axis` in O(log n) batched calls: scan the pairwise
    combinations of neighbours recursively, then fill in the even positions."""
    size = leaves[0].shape[axis]
    if size < 2:
        return leaves
    pairs = combine(_along(leaves, axis, 0, -1, 2), _along(leaves, axis, 1, None, 2))
    odd = _parallel_scan(combine, pairs, axis)
    rest = _along(leaves, axis, 2, None, 2)
    if size % 2 == 0:
        odd_before = _along(odd, axis, 0, -1)
    else:
        odd_before = odd
    even_tail = combine(odd_before, rest) if rest[0].shape[axis] else rest
    even = [
        torch.cat([first, tail], axis) for first, tail in zip(_along(leaves, axis, 0, 1), even_tail)
    ]
    num_even = even[0].shape[axis]
    order = [i // 2 if i % 2 == 0 else num_even + i // 2 for i in range(size)]
    index = torch.tensor(order, device=leaves[0].device)
    return [torch.index_select(torch.cat([e, o], axis), axis, index) for e, o in zip(even, odd)]


def map(f, xs):
    return scan(lambda carry, x: (carry, f(x)), None, xs)[1]


def switch(index, branches, *operands):
    position = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return branches[position](*_tensors(operands))


def vectorized_map(function, elements):
    elements = _tensors(elements)
    try:
        return torch.vmap(function)(elements)
    except (RuntimeError, ValueError):
        # `function` needs values (host transfers, data-dependent shapes): map it eagerly.
        return map(function, elements)


# ---------------------------------------------------------------------------------------------
# Slicing and scatter


def _starts(start_indices):
    if isinstance(start_indices, _Tensor):
        return [int(i) for i in start_indices.tolist()]
    return [int(i) for i in start_indices]


def _block(inputs, start_indices, shape):
    """The index of the block of `shape` at `start_indices`, starts clamped so it fits (as
    `lax.dynamic_slice` does)."""
    return tuple(
        builtins.slice(start, start + size)
        for start, size in (
            (builtins.min(builtins.max(s, 0), dim - size), size)
            for s, size, dim in zip(_starts(start_indices), shape, inputs.shape)
        )
    )


def slice(inputs, start_indices, shape):
    inputs = to_torch(inputs)
    return inputs[_block(inputs, start_indices, [int(d) for d in shape])]


def slice_update(inputs, start_indices, updates):
    inputs = to_torch(inputs)
    updates = to_torch(updates, inputs.dtype)
    result = inputs.clone()
    result[_block(inputs, start_indices, updates.shape)] = updates
    return result


def _scatter_key(indices):
    indices = to_torch(indices).long()
    return tuple(torch.movedim(indices, -1, 0))


def scatter(indices, values, shape):
    values = to_torch(values)
    zeros = values.new_zeros(tuple(int(d) for d in shape))
    return torch.index_put(zeros, _scatter_key(indices), values, accumulate=True)


def scatter_update(inputs, indices, updates):
    inputs = to_torch(inputs)
    updates = to_torch(updates, inputs.dtype)
    return torch.index_put(inputs, _scatter_key(indices), updates)


def unstack(x, num=None, axis=0):
    x = to_torch(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: num={num} does not match x.shape[{axis}]={x.shape[axis]}.")
    return list(torch.unbind(x, axis))


# ---------------------------------------------------------------------------------------------
# Autodiff


def stop_gradient(variable):
    return to_torch(variable).detach()


class _CustomGradient(torch.autograd.Function):
    """Runs `f(*args) -> (output, grad_fn)` without autograd, and `grad_fn` for the backward."""

    @staticmethod
    def forward(ctx, f, kwargs, *args):
        output, grad_fn = f(*args, **kwargs)
        ctx.grad_fn = grad_fn
        return _tensors(output, scalars=True)

    @staticmethod
    def backward(ctx, *upstream):
        grads = ctx.grad_fn(*upstream)
        if not isinstance(grads, (list, tuple)):
            grads = (grads,)
        return (None, None, *(None if g is None else to_torch(g) for g in grads))


def custom_gradient(f):
    def decorated(*args, **kwargs):
        return _CustomGradient.apply(f, kwargs, *_tensors(args))

    return decorated


def jvp(fun, primals, tangents, has_aux=False):
    return torch.func.jvp(fun, _tensors(tuple(primals)), _tensors(tuple(tangents)), has_aux=has_aux)


def _watched(value):
    """A leaf of a differentiated argument as a fresh autograd leaf (ints cannot be one)."""
    leaf = to_torch(value).detach()
    return leaf.requires_grad_() if leaf.is_floating_point() or leaf.is_complex() else leaf


def _detached(tree):
    return optree.tree_map(lambda x: x.detach() if isinstance(x, _Tensor) else x, tree)


def value_and_grad(fun, argnums=0, has_aux=False):
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def value_and_grad_fn(*args, **kwargs):
        args = list(args)
        trees, watched = [], []
        for position in positions:
            leaves, tree = optree.tree_flatten(args[position], is_leaf=_is_variable)
            leaves = [_watched(leaf) for leaf in leaves]
            args[position] = optree.tree_unflatten(tree, leaves)
            trees.append((tree, len(leaves)))
            watched.extend(leaves)
        with torch.enable_grad():
            result = fun(*args, **kwargs)
        value, aux = result if has_aux else (result, None)
        grads = _gradients(value, watched)
        value = value.detach()
        grads = _regroup(trees, grads)
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        return ((value, _detached(aux)) if has_aux else value), grads

    return value_and_grad_fn


def _regroup(trees, grads):
    """The flat `grads` as one structure per differentiated argument."""
    grads, structures = iter(grads), []
    for tree, count in trees:
        structures.append(optree.tree_unflatten(tree, [next(grads) for _ in range(count)]))
    return structures


def _gradients(value, leaves):
    """d value / d leaf for each leaf; zeros where `value` does not depend on it."""
    sources = [leaf for leaf in leaves if leaf.requires_grad]
    found = []
    if sources and value.requires_grad:
        found = torch.autograd.grad(value, sources, allow_unused=True)
    by_leaf = dict(zip(builtins.map(id, sources), found))
    return [
        grad if (grad := by_leaf.get(id(leaf))) is not None else torch.zeros_like(leaf)
        for leaf in leaves
    ]


# ---------------------------------------------------------------------------------------------
# Shape inference

_PROBE_SIZES = (83, 89)
# From this many placeholder elements on, `fn` runs on fake tensors (shapes and dtypes only, no
# memory, no compute): below it, running on zeros is as fast (and fake tensors' first use in a
# process costs about a second).
_FAKE_FROM = 1 << 20


def compute_output_spec(fn, *args, **kwargs):
    leaves, tree = optree.tree_flatten((args, kwargs), none_is_leaf=True)
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    unknown = builtins.any(None in leaves[i].shape for i in symbolic)
    sizes = _PROBE_SIZES if unknown else _PROBE_SIZES[:1]
    with torch.no_grad():
        if _FakeTensorMode is not None and _elements(leaves, symbolic) >= _FAKE_FROM:
            try:
                return _merge([_run_fake(fn, leaves, tree, symbolic, size) for size in sizes])
            except Exception:  # `fn` needs values: run it on zeros below.
                pass
        try:
            return evaluate_on_placeholders(fn, args, kwargs)
        except RuntimeError as error:
            # torch reports bad shapes as RuntimeError; kcore's ops raise ValueError for them.
            raise ValueError(str(error)) from error


def _elements(leaves, symbolic) -> int:
    return builtins.sum(
        math.prod(_PROBE_SIZES[0] if d is None else d for d in leaves[i].shape) for i in symbolic
    )


def _run_fake(fn, leaves, tree, symbolic, size):
    """`fn`'s result leaves and tree, run on fake tensors in place of the KerasTensors (unknown
    dims: `size`); real tensors met on the way (variables) turn fake too."""
    with _FakeTensorMode(allow_non_fake_inputs=True):
        filled = list(leaves)
        for i in symbolic:
            shape = tuple(size if d is None else d for d in leaves[i].shape)
            filled[i] = torch.empty(shape, dtype=torch_dtype(leaves[i].dtype))
        call_args, call_kwargs = optree.tree_unflatten(tree, filled)
        result = fn(*call_args, **call_kwargs)
        return optree.tree_flatten(result, none_is_leaf=True)


def _merge(runs):
    """KerasTensors for the tensor leaves of the runs' results: dims that differ between the
    runs are unknown."""
    (first, tree), others = runs[0], [leaves for leaves, _ in runs[1:]]
    merged = []
    for position, leaf in enumerate(first):
        if not isinstance(leaf, _Tensor):
            merged.append(leaf)
            continue
        shape = list(leaf.shape)
        for other in others:
            for axis, (a, b) in enumerate(zip(shape, other[position].shape)):
                if a != b:
                    shape[axis] = None
        merged.append(KerasTensor(tuple(shape), dtype=dtype_name(leaf)))
    return optree.tree_unflatten(tree, merged)


__all__ = exported(globals())
