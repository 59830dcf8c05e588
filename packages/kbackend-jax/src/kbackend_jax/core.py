"""Contract group ``core`` on JAX: tensors, dtypes, control flow, slicing, autodiff, shape inference."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import optree
from jax import lax

from kbackend_jax._utils import dtype_name, jnp_dtype, to_jax
from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.keras_tensor import KerasTensor

_SCALARS = (bool, int, float, complex)


def _arrays(tree, scalars=False):
    """`tree` with its numpy arrays and kcore Variables (and, with `scalars`, its Python scalars,
    as `convert_to_tensor` types them) turned into jax arrays."""
    kinds = (np.ndarray, np.generic) + (_SCALARS if scalars else ())
    return optree.tree_map(
        lambda leaf: (
            to_jax(leaf) if isinstance(leaf, kinds) or hasattr(leaf, "_kcore_variable") else leaf
        ),
        tree,
        is_leaf=lambda leaf: hasattr(leaf, "_kcore_variable"),
    )


# ---------------------------------------------------------------------------------------------
# Tensors and dtypes


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if sparse:
        raise ValueError("The JAX backend does not support sparse tensors; pass sparse=False.")
    if ragged:
        raise ValueError("The JAX backend does not support ragged tensors; pass ragged=False.")
    return to_jax(x, dtype)


def convert_to_numpy(x):
    if hasattr(x, "_kcore_variable"):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, jax.Array)


def shape(x):
    return tuple(jnp.shape(x.value if hasattr(x, "_kcore_variable") else x))


def dtype(x):
    return dtype_name(to_jax(x))


def cast(x, dtype):
    return to_jax(x).astype(jnp_dtype(dtype))


def _bounds(dtype: str):
    if dtype.startswith(("int", "uint")):
        return np.iinfo(dtype)
    return ml_dtypes.finfo(jnp_dtype(dtype))


def _is_int(dtype: str) -> bool:
    return dtype.startswith(("int", "uint"))


def saturate_cast(x, dtype):
    x = to_jax(x)
    target, source = standardize_dtype(dtype), dtype_name(x)
    if (
        "bool" in (target, source)
        or "complex" in target + source
        or _is_int(source) > _is_int(target)
    ):
        return x.astype(jnp_dtype(target))
    out, inp = _bounds(target), _bounds(source)
    if _is_int(target) and not _is_int(source):
        # A float bound may round past the int range (2**31 - 1 is 2**31 in float32): saturate
        # by comparison, with exact int results, and send NaN to 0.
        low, high = float(out.min), float(out.max)
        result = jnp.clip(x, low, high).astype(jnp_dtype(target))
        result = jnp.where(x >= high, jnp.asarray(out.max, result.dtype), result)
        result = jnp.where(x <= low, jnp.asarray(out.min, result.dtype), result)
        return jnp.where(jnp.isnan(x), jnp.zeros((), result.dtype), result)
    low, high = builtins.max(out.min, inp.min), builtins.min(out.max, inp.max)
    clipped = jnp.clip(x, jnp.asarray(low, x.dtype), jnp.asarray(high, x.dtype))
    return clipped.astype(jnp_dtype(target))


# ---------------------------------------------------------------------------------------------
# Control flow


def cond(pred, true_fn, false_fn):
    return lax.cond(to_jax(pred), true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    single = not isinstance(loop_vars, (list, tuple))
    loop_vars = _arrays((loop_vars,) if single else tuple(loop_vars), scalars=True)

    def step(loop_vars):
        result = body(*loop_vars)
        return (result,) if single or not isinstance(result, (list, tuple)) else tuple(result)

    if maximum_iterations is None:
        result = lax.while_loop(lambda v: cond(*v), step, loop_vars)
    else:
        limit = jnp.asarray(maximum_iterations, jnp.int32)

        def bounded_cond(state):
            count, values = state
            return jnp.logical_and(count < limit, cond(*values))

        def bounded_step(state):
            count, values = state
            return count + 1, step(values)

        _, result = lax.while_loop(bounded_cond, bounded_step, (jnp.int32(0), loop_vars))
    return result[0] if single else result


def fori_loop(lower, upper, body_fun, init_val):
    return lax.fori_loop(lower, upper, body_fun, _arrays(init_val, scalars=True))


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`; both are None.")
    return lax.scan(
        f, _arrays(init, scalars=True), _arrays(xs), length=length, reverse=reverse, unroll=unroll
    )


def associative_scan(f, elems, reverse=False, axis=0):
    return lax.associative_scan(f, _arrays(elems), reverse=reverse, axis=axis)


def map(f, xs):
    return lax.map(f, _arrays(xs))


def switch(index, branches, *operands):
    return lax.switch(to_jax(index, "int32"), branches, *_arrays(operands))


def vectorized_map(function, elements):
    return jax.vmap(function)(_arrays(elements))


# ---------------------------------------------------------------------------------------------
# Slicing and scatter


def slice(inputs, start_indices, shape):
    return lax.dynamic_slice(to_jax(inputs), _starts(start_indices), tuple(int(d) for d in shape))


def slice_update(inputs, start_indices, updates):
    inputs = to_jax(inputs)
    updates = to_jax(updates, inputs.dtype)
    return lax.dynamic_update_slice(inputs, updates, _starts(start_indices))


def _starts(start_indices):
    if isinstance(start_indices, (list, tuple)):
        return tuple(start_indices)
    start_indices = to_jax(start_indices)
    return tuple(start_indices[i] for i in range(start_indices.shape[0]))


def _scatter_key(indices):
    indices = to_jax(indices)
    return tuple(jnp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    values = to_jax(values)
    zeros = jnp.zeros(tuple(int(d) for d in shape), values.dtype)
    return zeros.at[_scatter_key(indices)].add(values)


def scatter_update(inputs, indices, updates):
    inputs = to_jax(inputs)
    return inputs.at[_scatter_key(indices)].set(to_jax(updates, inputs.dtype))


def unstack(x, num=None, axis=0):
    x = to_jax(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: num={num} does not match x.shape[{axis}]={x.shape[axis]}.")
    return [lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


# ---------------------------------------------------------------------------------------------
# Autodiff


def stop_gradient(variable):
    return lax.stop_gradient(to_jax(variable))


def custom_gradient(f):
    def forward(*args, **kwargs):
        output, grad_fn = f(*args, **kwargs)

        def gradients(*upstream):
            grads = grad_fn(*upstream)
            # JAX wants one gradient per input as a tuple; Keras code often returns a list.
            return tuple(grads) if isinstance(grads, list) and len(args) > 1 else grads

        return output, gradients

    return jax.custom_gradient(forward)


def jvp(fun, primals, tangents, has_aux=False):
    return jax.jvp(fun, _arrays(tuple(primals)), _arrays(tuple(tangents)), has_aux=has_aux)


def jit(fun, donate_argnums=(), jit_compile=True):
    # JAX has no graph mode short of XLA: jit_compile=False runs eagerly.
    if not jit_compile:
        return fun
    # jax.jit takes numpy arrays as they are: the trainer's numpy batches go straight in.
    return jax.jit(fun, donate_argnums=donate_argnums)


def value_and_grad(fun, argnums=0, has_aux=False):
    compute = jax.value_and_grad(fun, argnums=argnums, has_aux=has_aux)

    def value_and_grad_fn(*args, **kwargs):
        return compute(*_arrays(args), **kwargs)

    return value_and_grad_fn


# ---------------------------------------------------------------------------------------------
# Shape inference

_PROBE_SIZES = (83, 89)
# Raised when `fn` needs concrete values (host numpy, Python control flow on values).
_NEEDS_VALUES = (jax.errors.JAXTypeError, jax.errors.NonConcreteBooleanIndexError)


def compute_output_spec(fn, *args, **kwargs):
    leaves, treedef = optree.tree_flatten((args, kwargs), none_is_leaf=True)
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    sizes = _PROBE_SIZES
    if not builtins.any(None in leaves[i].shape for i in symbolic):
        sizes = _PROBE_SIZES[:1]
    try:
        runs = [_run(fn, leaves, treedef, symbolic, size, abstract=True) for size in sizes]
    except _NEEDS_VALUES:
        # `fn` needs values: run it on zeros instead.
        runs = [_run(fn, leaves, treedef, symbolic, size, abstract=False) for size in sizes]
    return _merge(runs)


def _run(fn, leaves, treedef, symbolic, size, abstract):
    """Runs `fn` with each KerasTensor replaced by an array of its shape (unknown dims: `size`),
    abstractly (`jax.eval_shape`) or on zeros; returns the flat result leaves, with a
    `ShapeDtypeStruct` for each array, and their tree."""
    static = {}

    def call(*arrays):
        filled = list(leaves)
        for position, array in zip(symbolic, arrays):
            filled[position] = array
        call_args, call_kwargs = optree.tree_unflatten(treedef, filled)
        result_leaves, static["tree"] = optree.tree_flatten(
            fn(*call_args, **call_kwargs), none_is_leaf=True
        )
        static["leaves"] = result_leaves
        return [leaf for leaf in result_leaves if _is_array(leaf)]

    specs = [
        jax.ShapeDtypeStruct(
            tuple(size if d is None else d for d in leaves[i].shape), jnp_dtype(leaves[i].dtype)
        )
        for i in symbolic
    ]
    if abstract:
        arrays = iter(jax.eval_shape(call, *specs))
    else:
        outputs = call(*(jnp.zeros(spec.shape, spec.dtype) for spec in specs))
        arrays = iter(jax.ShapeDtypeStruct(np.shape(a), a.dtype) for a in outputs)
    result = [next(arrays) if _is_array(leaf) else leaf for leaf in static["leaves"]]
    return result, static["tree"]


def _is_array(x):
    return isinstance(x, (jax.Array, np.ndarray))


def _merge(runs):
    (first, tree), others = runs[0], [leaves for leaves, _ in runs[1:]]
    merged = []
    for position, leaf in enumerate(first):
        if not isinstance(leaf, jax.ShapeDtypeStruct):
            merged.append(leaf)
            continue
        shape = list(leaf.shape)
        for other in others:
            for axis, (a, b) in enumerate(zip(shape, other[position].shape)):
                if a != b:
                    shape[axis] = None
        merged.append(KerasTensor(tuple(shape), dtype=standardize_dtype(leaf.dtype)))
    return optree.tree_unflatten(tree, merged)


__all__ = exported(globals())
