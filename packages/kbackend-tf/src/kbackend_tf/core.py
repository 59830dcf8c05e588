"""Contract group ``core`` on TensorFlow: tensors, dtypes, control flow, slicing, autodiff, shape
inference.

Every function works eagerly and inside `tf.function` (unknown dims are read with `tf.shape`).
Loops run as Python loops when eager and as `tf.while_loop`s in graphs.
"""

from __future__ import annotations

import builtins
import functools

import ml_dtypes
import numpy as np
import optree
import tensorflow as tf

from kbackend_tf._utils import dtype_name, tf_dtype, to_numpy, to_tf
from kcore.backend.contract import exported
from kcore.backend.dtypes import standardize_dtype
from kcore.backend.keras_tensor import KerasTensor

_SCALARS = (bool, int, float, complex)


def _leaf_tensor(leaf, scalars=False):
    """`leaf` as a tensor when it is a numpy array or a kcore Variable (or, with `scalars`, a
    Python scalar); other leaves (tensors, None, callables) stay as they are."""
    if isinstance(leaf, (np.ndarray, np.generic)) or hasattr(leaf, "_kcore_variable"):
        return to_tf(leaf)
    if scalars and isinstance(leaf, _SCALARS):
        return to_tf(leaf)
    return leaf


def _tensors(tree, scalars=False):
    """`tree` with its numpy arrays and kcore Variables (and, with `scalars`, its Python scalars)
    turned into tensors."""
    return tf.nest.map_structure(functools.partial(_leaf_tensor, scalars=scalars), tree)


def _dim(x, axis):
    """The size of `axis` of `x`: an int when static, else a scalar tensor."""
    size = x.shape[axis]
    return size if size is not None else tf.shape(x)[axis]


# ---------------------------------------------------------------------------------------------
# Tensors and dtypes


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if sparse:
        raise ValueError(
            "The TensorFlow backend does not support sparse tensors; pass sparse=False."
        )
    if ragged:
        raise ValueError(
            "The TensorFlow backend does not support ragged tensors; pass ragged=False."
        )
    return to_tf(x, dtype)


def convert_to_numpy(x):
    return to_numpy(x)


def is_tensor(x):
    return tf.is_tensor(x)


def shape(x):
    if isinstance(x, np.ndarray):
        return x.shape
    if hasattr(x, "_kcore_variable"):
        x = x.value
    if not tf.is_tensor(x):
        x = to_tf(x)
    dims = tuple(x.shape.as_list())
    if None in dims:
        dynamic = tf.shape(x)
        dims = tuple(dynamic[i] if d is None else d for i, d in enumerate(dims))
    return dims


def dtype(x):
    return dtype_name(x if tf.is_tensor(x) else to_tf(x))


def cast(x, dtype):
    return to_tf(x, dtype)


def _bounds(dtype: str):
    if _is_int(dtype):
        return np.iinfo(dtype)
    return ml_dtypes.finfo(ml_dtypes.bfloat16 if dtype == "bfloat16" else dtype)


def _is_int(dtype: str) -> bool:
    return dtype.startswith(("int", "uint"))


def saturate_cast(x, dtype):
    x = to_tf(x)
    target, source = standardize_dtype(dtype), dtype_name(x)
    if (
        "bool" in (target, source)
        or "complex" in target + source
        or _is_int(source) > _is_int(target)
    ):
        return tf.cast(x, tf_dtype(target))
    out, inp = _bounds(target), _bounds(source)
    if _is_int(target) and not _is_int(source):
        # A float bound may round past the int range (2**31 - 1 is 2**31 in float32): saturate
        # by comparison, with exact int results, and send NaN to 0.
        low, high = float(out.min), float(out.max)
        result = tf.cast(tf.clip_by_value(x, low, high), tf_dtype(target))
        result = tf.where(x >= high, tf.constant(out.max, result.dtype), result)
        result = tf.where(x <= low, tf.constant(out.min, result.dtype), result)
        return tf.where(tf.math.is_nan(x), tf.zeros((), result.dtype), result)
    low, high = builtins.max(out.min, inp.min), builtins.min(out.max, inp.max)
    clipped = tf.clip_by_value(x, tf.cast(low, x.dtype), tf.cast(high, x.dtype))
    return tf.cast(clipped, tf_dtype(target))


# ---------------------------------------------------------------------------------------------
# Control flow


def _predicate(pred):
    pred = to_tf(pred)
    return pred if pred.dtype == tf.bool else tf.cast(pred, tf.bool)


def cond(pred, true_fn, false_fn):
    if isinstance(pred, (bool, np.bool_)):
        return true_fn() if pred else false_fn()
    return tf.cond(_predicate(pred), true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    single = not isinstance(loop_vars, (list, tuple))
    loop_vars = _tensors((loop_vars,) if single else tuple(loop_vars), scalars=True)

    def step(*values):
        result = body(*values)
        if single or not isinstance(result, (list, tuple)):
            result = (result,)
        return tf.nest.pack_sequence_as(loop_vars, tf.nest.flatten(result))

    result = tf.while_loop(cond, step, loop_vars, maximum_iterations=maximum_iterations)
    return result[0] if single else result


def fori_loop(lower, upper, body_fun, init_val):
    lower = to_tf(lower)
    init_val = _tensors(init_val, scalars=True)

    def step(i, val):
        return i + 1, tf.nest.pack_sequence_as(val, tf.nest.flatten(body_fun(i, val)))

    return tf.while_loop(lambda i, val: i < upper, step, (lower, init_val))[1]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`; both are None.")
    init = _tensors(init, scalars=True)
    xs_flat = [to_tf(x) for x in tf.nest.flatten(xs)] if xs is not None else []
    size = _dim(xs_flat[0], 0) if xs_flat else length

    def step(carry, i):
        x = None if xs is None else tf.nest.pack_sequence_as(xs, [x[i] for x in xs_flat])
        new_carry, y = f(carry, x)
        return tf.nest.pack_sequence_as(carry, tf.nest.flatten(new_carry)), y

    if isinstance(size, int) and tf.executing_eagerly() and size > 0:
        return _python_scan(step, init, size, reverse)
    x_specs = [tf.TensorSpec(x.shape[1:], x.dtype) for x in xs_flat]
    x_spec = None if xs is None else tf.nest.pack_sequence_as(xs, x_specs)
    y_spec = _output_spec(f, init, x_spec)
    if isinstance(size, int) and size == 0:
        empty = [tf.zeros((0, *spec.shape), spec.dtype) for spec in tf.nest.flatten(y_spec)]
        return init, tf.nest.pack_sequence_as(y_spec, empty)
    return _graph_scan(step, init, size, reverse, y_spec, unroll)


def _spec(x):
    return tf.TensorSpec(x.shape, x.dtype)


def _output_spec(f, carry, x_spec):
    """The `TensorSpec`s of the ys of `f(carry, x)`, from a trace of `f` that never runs (a
    step's side effects, such as variable updates, must not happen an extra time)."""

    def probe(carry, x):
        return tf.nest.map_structure(tf.convert_to_tensor, f(carry, x)[1])

    carry_spec = tf.nest.map_structure(_spec, carry)
    traced = tf.function(probe, autograph=False).get_concrete_function(carry_spec, x_spec)
    return tf.nest.map_structure(_spec, traced.structured_outputs)


def _python_scan(step, carry, size, reverse):
    """`scan` as a Python loop (eager execution): the ys are stacked at the end."""
    ys = []
    for i in range(size - 1, -1, -1) if reverse else range(size):
        carry, y = step(carry, i)
        ys.append(y)
    if reverse:
        ys.reverse()
    stacked = [tf.stack(leaves) for leaves in zip(*(tf.nest.flatten(y) for y in ys))]
    return carry, tf.nest.pack_sequence_as(ys[0], stacked)


def _graph_scan(step, init, size, reverse, y_spec, unroll):
    """`scan` as a `tf.while_loop` writing the ys into TensorArrays (graphs, XLA)."""
    arrays = [
        tf.TensorArray(spec.dtype, size=size, element_shape=spec.shape)
        for spec in tf.nest.flatten(y_spec)
    ]

    def body(i, carry, arrays):
        index = size - 1 - i if reverse else i
        carry, y = step(carry, index)
        arrays = [a.write(index, leaf) for a, leaf in zip(arrays, tf.nest.flatten(y))]
        return i + 1, carry, arrays

    _, carry, arrays = tf.while_loop(
        lambda i, carry, arrays: i < size,
        body,
        (tf.constant(0), init, arrays),
        parallel_iterations=builtins.max(int(unroll), 1),
    )
    return carry, tf.nest.pack_sequence_as(y_spec, [a.stack() for a in arrays])


def _axis_slice(x, axis, start=None, stop=None, step=None):
    return x[(builtins.slice(None),) * axis + (builtins.slice(start, stop, step),)]


def _interleave(even, odd, axis):
    """Entries of `even` at the even positions of `axis` and of `odd` at the odd ones."""
    n_even, n_odd = even.shape[axis], odd.shape[axis]
    if n_even > n_odd:
        pad = [[0, 0]] * len(odd.shape)
        pad[axis] = [0, 1]
        odd = tf.pad(odd, pad)
    pairs = tf.stack([even, odd], axis=axis + 1)
    shape = tf.concat([tf.shape(even)[:axis], [-1], tf.shape(even)[axis + 1 :]], 0)
    merged = tf.reshape(pairs, shape)
    return _axis_slice(merged, axis, 0, n_even + n_odd)


def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [to_tf(e) for e in tf.nest.flatten(elems)]
    rank = len(leaves[0].shape)
    axis = axis % rank if rank else 0
    if reverse:
        leaves = [tf.reverse(x, [axis]) for x in leaves]

    def combine(a, b):
        result = f(tf.nest.pack_sequence_as(elems, a), tf.nest.pack_sequence_as(elems, b))
        return tf.nest.flatten(result)

    def run(leaves):
        # The classic parallel prefix: combine neighbours, scan the pairs, fill in the evens.
        n = leaves[0].shape[axis]
        if n < 2:
            return leaves
        pairs = combine(
            [_axis_slice(x, axis, 0, -1, 2) for x in leaves],
            [_axis_slice(x, axis, 1, None, 2) for x in leaves],
        )
        odd = run(pairs)
        if n % 2 == 0:
            evens = combine(
                [_axis_slice(x, axis, 0, -1) for x in odd],
                [_axis_slice(x, axis, 2, None, 2) for x in leaves],
            )
        else:
            evens = combine(odd, [_axis_slice(x, axis, 2, None, 2) for x in leaves])
        evens = [tf.concat([_axis_slice(x, axis, 0, 1), e], axis) for x, e in zip(leaves, evens)]
        return [_interleave(e, o, axis) for e, o in zip(evens, odd)]

    if leaves[0].shape[axis] is None:
        result = _sequential_scan(combine, leaves, axis)
    else:
        result = run(leaves)
    if reverse:
        result = [tf.reverse(x, [axis]) for x in result]
    return tf.nest.pack_sequence_as(elems, result)


def _sequential_scan(combine, leaves, axis):
    """An inclusive scan along an axis of unknown length (in a graph): a `scan` loop."""
    moved = [tf.experimental.numpy.moveaxis(x, axis, 0) for x in leaves]

    def step(carry, x):
        total = combine(carry, x)
        return total, total

    _, rest = scan(step, [x[0] for x in moved], [x[1:] for x in moved])
    joined = [tf.concat([x[:1], r], 0) for x, r in zip(moved, rest)]
    return [tf.experimental.numpy.moveaxis(x, 0, axis) for x in joined]


def map(f, xs):
    return scan(lambda carry, x: (carry, f(x)), (), _tensors(xs))[1]


def switch(index, branches, *operands):
    operands = _tensors(operands)
    last = len(branches) - 1
    if isinstance(index, (int, np.integer)):
        return branches[builtins.min(builtins.max(int(index), 0), last)](*operands)
    index = tf.clip_by_value(to_tf(index, "int32"), 0, last)
    return tf.switch_case(index, [functools.partial(branch, *operands) for branch in branches])


def vectorized_map(function, elements):
    elements = _tensors(elements)
    try:
        return tf.vectorized_map(function, elements, fallback_to_while_loop=False)
    except (ValueError, TypeError, NotImplementedError):
        # pfor has no converter for some op in `function`: map it one slice at a time.
        return map(function, elements)


# ---------------------------------------------------------------------------------------------
# Slicing and scatter


def _starts(start_indices):
    if isinstance(start_indices, (list, tuple)):
        if builtins.all(isinstance(i, (int, np.integer)) for i in start_indices):
            return [int(i) for i in start_indices]
        return tf.stack([to_tf(i, "int32") for i in start_indices])
    return to_tf(start_indices, "int32")


def slice(inputs, start_indices, shape):
    return tf.slice(to_tf(inputs), _starts(start_indices), [int(d) for d in shape])


def slice_update(inputs, start_indices, updates):
    inputs = to_tf(inputs)
    updates = to_tf(updates, inputs.dtype)
    starts = tf.cast(_starts(start_indices), tf.int32)
    after = tf.shape(inputs) - tf.shape(updates) - starts
    paddings = tf.stack([starts, after], axis=1)
    mask = tf.pad(tf.ones_like(updates, tf.bool), paddings)
    return tf.where(mask, tf.pad(updates, paddings), inputs)


def scatter(indices, values, shape):
    values = to_tf(values)
    return tf.scatter_nd(to_tf(indices), values, [int(d) for d in shape])


def scatter_update(inputs, indices, updates):
    inputs = to_tf(inputs)
    return tf.tensor_scatter_nd_update(inputs, to_tf(indices), to_tf(updates, inputs.dtype))


def unstack(x, num=None, axis=0):
    x = to_tf(x)
    if num is not None and x.shape[axis] is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: num={num} does not match x.shape[{axis}]={x.shape[axis]}.")
    return tf.unstack(x, num=num, axis=axis)


# ---------------------------------------------------------------------------------------------
# Autodiff


def stop_gradient(variable):
    return tf.stop_gradient(to_tf(variable))


def custom_gradient(f):
    decorated = tf.custom_gradient(f)

    @functools.wraps(f)
    def call(*args, **kwargs):
        return decorated(*(_leaf_tensor(a) for a in args), **kwargs)

    return call


def jvp(fun, primals, tangents, has_aux=False):
    primals = _tensors(tuple(primals), scalars=True)
    tangents = _tensors(tuple(tangents), scalars=True)
    with tf.autodiff.ForwardAccumulator(
        tf.nest.flatten(primals), tf.nest.flatten(tangents)
    ) as accumulator:
        output = fun(*primals)
        if has_aux:
            output, aux = output
    out_tangents = accumulator.jvp(output, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return (output, out_tangents, aux) if has_aux else (output, out_tangents)


def _watchable(leaf):
    """A differentiated argument's leaf as the tape watches it: `tf.Variable`s (also inside a
    kcore Variable) as they are, anything else as a tensor."""
    if hasattr(leaf, "_kcore_variable"):
        leaf = leaf.value
    return leaf if isinstance(leaf, tf.Variable) else to_tf(leaf)


def _dense(grad, source):
    if grad is None:
        return tf.zeros_like(source)
    if isinstance(grad, tf.IndexedSlices):
        return tf.convert_to_tensor(grad)
    return grad


def value_and_grad(fun, argnums=0, has_aux=False):
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def value_and_grad_fn(*args, **kwargs):
        args = list(args)
        sources = []
        for position in positions:
            args[position] = tf.nest.map_structure(_watchable, args[position])
            sources.append(tf.nest.flatten(args[position]))
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            for leaves in sources:
                tape.watch(leaves)
            output = fun(*args, **kwargs)
            value = output[0] if has_aux else output
        flat = tape.gradient(value, sources, unconnected_gradients=tf.UnconnectedGradients.NONE)
        grads = tuple(
            tf.nest.pack_sequence_as(args[p], [_dense(g, s) for g, s in zip(grads, leaves)])
            for p, grads, leaves in zip(positions, flat, sources)
        )
        return output, grads[0] if isinstance(argnums, int) else grads

    return value_and_grad_fn


# ---------------------------------------------------------------------------------------------
# Shape inference


def compute_output_spec(fn, *args, **kwargs):
    leaves, treedef = optree.tree_flatten((args, kwargs), none_is_leaf=True)
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    try:
        return _traced_spec(fn, leaves, treedef, symbolic)
    except _TRACE_ERRORS:
        # `fn` needs values (host numpy, Python control flow on values): run it on zeros.
        from kcore.backend.symbolic import evaluate_on_placeholders

        try:
            return evaluate_on_placeholders(fn, args, kwargs)
        except tf.errors.InvalidArgumentError as error:
            # Shapes that do not fit: the ValueError the other backends raise.
            raise ValueError(error.message) from None


class _CreatesVariables(Exception):
    """`fn` creates variables: it must run eagerly, not in a traced graph."""


# What tracing `fn` raises when it cannot run in a graph; the eager fallback reports real errors.
_TRACE_ERRORS = (
    _CreatesVariables,
    TypeError,
    ValueError,
    NotImplementedError,
    AttributeError,
    IndexError,
    tf.errors.OpError,
)


def _refuse_variables(next_creator, **kwargs):
    raise _CreatesVariables()


def _traced_spec(fn, leaves, treedef, symbolic):
    """Traces `fn` with `tf.function` on `TensorSpec`s of the KerasTensors (unknown dims stay
    unknown) and reads the result shapes and dtypes off the graph."""
    static = {}

    def call(*tensors):
        filled = list(leaves)
        for position, tensor in zip(symbolic, tensors):
            filled[position] = tensor
        call_args, call_kwargs = optree.tree_unflatten(treedef, filled)
        with tf.variable_creator_scope(_refuse_variables):
            result = fn(*call_args, **call_kwargs)
        static["leaves"], static["tree"] = optree.tree_flatten(result, none_is_leaf=True)
        return [leaf for leaf in static["leaves"] if tf.is_tensor(leaf)]

    specs = [tf.TensorSpec(leaves[i].shape, tf_dtype(leaves[i].dtype)) for i in symbolic]
    concrete = tf.function(call, autograph=False).get_concrete_function(*specs)
    outputs = iter(concrete.structured_outputs)
    merged = [
        KerasTensor(tuple(next(outputs).shape.as_list()), dtype=dtype_name(leaf))
        if tf.is_tensor(leaf)
        else leaf
        for leaf in static["leaves"]
    ]
    return optree.tree_unflatten(static["tree"], merged)


__all__ = exported(globals())
