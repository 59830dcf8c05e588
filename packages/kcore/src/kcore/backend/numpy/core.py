"""Contract group ``core`` on numpy."""

from __future__ import annotations

import builtins

import numpy as np
import optree

from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.numpy._utils import np_dtype, to_array


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if sparse:
        raise ValueError("The numpy backend does not support sparse tensors; pass sparse=False.")
    if ragged:
        raise ValueError("The numpy backend does not support ragged tensors; pass ragged=False.")
    return to_array(x, dtype)


def convert_to_numpy(x):
    return np.array(x) if not isinstance(x, np.ndarray) else x


def is_tensor(x):
    return isinstance(x, (np.ndarray, np.generic))


def shape(x):
    return tuple(np.shape(x))


def dtype(x):
    return standardize_dtype(to_array(x).dtype)


def cast(x, dtype):
    return to_array(x).astype(np_dtype(dtype))


def saturate_cast(x, dtype):
    x = to_array(x)
    target = np_dtype(dtype)
    if target.kind in "iu" and x.dtype.kind in "iuf":
        info = np.iinfo(target)
        if x.dtype.kind == "f":
            # Clip in float64, where every int32 bound is exact, and send NaN to 0.
            x = np.nan_to_num(x.astype(np.float64), nan=0.0)
            return np.clip(x, info.min, info.max).astype(target)
        source = np.iinfo(x.dtype)
        low, high = builtins.max(info.min, source.min), builtins.min(info.max, source.max)
        return np.clip(x, low, high).astype(target)
    if target.kind == "f" and x.dtype.kind == "f":
        import ml_dtypes

        info = ml_dtypes.finfo(target)
        return np.clip(x, float(info.min), float(info.max)).astype(target)
    return x.astype(target)


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(np.asarray(pred)) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    single = not isinstance(loop_vars, (list, tuple))
    loop_vars = (loop_vars,) if single else tuple(loop_vars)
    iteration = 0
    while (maximum_iterations is None or iteration < maximum_iterations) and bool(
        np.asarray(cond(*loop_vars))
    ):
        result = body(*loop_vars)
        loop_vars = (
            (result,)
            if single
            else tuple(result)
            if isinstance(result, (list, tuple))
            else (result,)
        )
        iteration += 1
    return loop_vars[0] if single else loop_vars


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def _take(structure, i):
    return optree.tree_map(lambda leaf: np.asarray(leaf)[i], structure)


def _empty_like_results(result):
    """Zero-length stacks shaped like `result`, for loops that run no iteration."""
    return optree.tree_map(
        lambda leaf: np.zeros((0, *np.shape(leaf)), np.asarray(leaf).dtype), result
    )


def _first_slice_zeros(structure):
    return optree.tree_map(
        lambda leaf: np.zeros(np.shape(leaf)[1:], np.asarray(leaf).dtype), structure
    )


def _stack_structure(items):
    return optree.tree_map(lambda *leaves: np.stack([np.asarray(v) for v in leaves]), *items)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`; both are None.")
    if xs is not None:
        leaves = optree.tree_leaves(xs)
        n = leaves[0].shape[0] if leaves else length
        if length is not None and length != n:
            raise ValueError(
                f"scan: `length`={length} does not match the leading axis of xs ({n})."
            )
        length = n
    carry, ys = init, []
    order = range(length - 1, -1, -1) if reverse else range(length)
    for i in order:
        x = None if xs is None else _take(xs, i)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys:
        probe = None if xs is None else _first_slice_zeros(xs)
        return carry, _empty_like_results(f(init, probe)[1])
    return carry, _stack_structure(ys)


def associative_scan(f, elems, reverse=False, axis=0):
    leaves, treedef = optree.tree_flatten(elems)
    leaves = [np.moveaxis(np.asarray(leaf), axis, 0) for leaf in leaves]
    n = leaves[0].shape[0]
    if builtins.any(leaf.shape[0] != n for leaf in leaves):
        raise ValueError("associative_scan: every element must have the same size along `axis`.")
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    outputs = [None] * n
    carry = None
    for i in order:
        current = optree.tree_unflatten(treedef, [leaf[i] for leaf in leaves])
        carry = current if carry is None else f(carry, current)
        outputs[i] = carry
    stacked = _stack_structure(outputs)
    return optree.tree_map(lambda leaf: np.moveaxis(leaf, 0, axis), stacked)


def map(f, xs):
    n = np.shape(optree.tree_leaves(xs)[0])[0]
    if n == 0:
        return _empty_like_results(f(_first_slice_zeros(xs)))
    return _stack_structure([f(_take(xs, i)) for i in range(n)])


def switch(index, branches, *operands):
    index = int(np.clip(np.asarray(index), 0, len(branches) - 1))
    return branches[index](*operands)


def stop_gradient(variable):
    return to_array(variable)


def custom_gradient(f):
    def wrapper(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return wrapper


def _start_index(start_indices):
    return [int(i) for i in np.asarray(start_indices).reshape(-1)]


def slice(inputs, start_indices, shape):
    inputs = to_array(inputs)
    starts = _start_index(start_indices)
    index = tuple(builtins.slice(s, s + int(n)) for s, n in zip(starts, shape))
    return inputs[index]


def slice_update(inputs, start_indices, updates):
    inputs = to_array(inputs).copy()
    updates = to_array(updates, inputs.dtype)
    starts = _start_index(start_indices)
    index = tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))
    inputs[index] = updates
    return inputs


def scatter(indices, values, shape):
    indices = np.asarray(indices)
    values = to_array(values)
    output = np.zeros(tuple(int(d) for d in shape), dtype=values.dtype)
    np.add.at(output, tuple(np.moveaxis(indices, -1, 0)), values)
    return output


def scatter_update(inputs, indices, updates):
    inputs = to_array(inputs).copy()
    indices = np.asarray(indices)
    inputs[tuple(np.moveaxis(indices, -1, 0))] = to_array(updates, inputs.dtype)
    return inputs


def unstack(x, num=None, axis=0):
    x = to_array(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: num={num} does not match x.shape[{axis}]={x.shape[axis]}.")
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def vectorized_map(function, elements):
    return map(function, elements)


def compute_output_spec(fn, *args, **kwargs):
    from kcore.backend.symbolic import evaluate_on_placeholders

    with np.errstate(all="ignore"):
        return evaluate_on_placeholders(fn, args, kwargs)


__all__ = exported(globals())
