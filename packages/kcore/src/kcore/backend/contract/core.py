"""Contract group ``core``: tensors, dtypes, control flow, slicing and scatter, shape inference."""

from __future__ import annotations

from kcore.backend.contract._spec import Group, ops

group = Group("core")


def _shape_spec(x):
    return tuple(x.shape)


def _dtype_spec(x):
    return x.dtype


@group.required(symbolic=False)
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts `x` (array-like, Python scalar or nested lists, or a tensor) to a backend tensor.

    With `dtype=None`, numpy arrays and tensors keep their dtype; Python floats become floatx,
    Python ints the backend's default int (`result_type(int)`), bools `bool`.
    """


@group.required(symbolic=False)
def convert_to_numpy(x):
    """Returns `x` as a numpy array (a copy when the backend cannot share memory)."""


@group.required(output_spec=lambda x: False)
def is_tensor(x):
    """Whether `x` is a tensor of this backend."""


@group.required(output_spec=_shape_spec)
def shape(x):
    """The shape of `x` as a tuple of ints (dims unknown at trace time may be backend scalars)."""


@group.required(output_spec=_dtype_spec)
def dtype(x):
    """The standardized dtype name of `x`, such as ``"float32"``."""


@group.required
def cast(x, dtype):
    """Casts `x` to `dtype`."""


@group.optional
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, clipping values to the range `dtype` can hold first."""
    import numpy as np

    from kcore.backend.dtypes import standardize_dtype

    dtype = standardize_dtype(dtype)
    if dtype in ("bool",) or "complex" in dtype:
        return ops.cast(x, dtype)
    info = np.iinfo(dtype) if "int" in dtype else _float_info(dtype)
    x = ops.convert_to_tensor(x)
    x_dtype = standardize_dtype(x.dtype)
    if x_dtype == "bool":
        return ops.cast(x, dtype)
    in_info = np.iinfo(x_dtype) if "int" in x_dtype else _float_info(x_dtype)
    low = max(float(info.min), float(in_info.min))
    high = min(float(info.max), float(in_info.max))
    result = ops.cast(ops.clip(x, low, high), dtype)
    if "int" in dtype and "int" not in x_dtype:
        # A float bound may round past the int range (2**31 - 1 is 2**31 in float32): pin the
        # saturated entries to the exact int bounds, and NaN to 0.
        result = ops.where(x >= high, ops.full_like(result, int(info.max)), result)
        result = ops.where(x <= low, ops.full_like(result, int(info.min)), result)
        result = ops.where(ops.isnan(x), ops.zeros_like(result), result)
    return result


def _float_info(dtype):
    import ml_dtypes
    import numpy as np

    return ml_dtypes.finfo(dtype) if dtype == "bfloat16" else np.finfo(dtype)


@group.required
def cond(pred, true_fn, false_fn):
    """Calls `true_fn()` if `pred` is true, else `false_fn()`; both return the same structure."""


@group.required
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns the final `loop_vars`.

    `loop_vars` is a tuple or list (a single tensor is accepted and returned as one). Stops after
    `maximum_iterations` iterations when given.
    """


@group.optional
def fori_loop(lower, upper, body_fun, init_val):
    """Returns `val` after `for i in range(lower, upper): val = body_fun(i, val)`."""

    def step(i, val):
        return i + 1, body_fun(i, val)

    return ops.while_loop(lambda i, val: i < upper, step, (lower, init_val))[1]


@group.required
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans `f(carry, x) -> (carry, y)` over the leading axis of `xs`; returns `(carry, stacked ys)`.

    With `xs=None`, runs `length` steps with `x=None`. `reverse=True` scans from the end (the ys keep
    their positions). `unroll` is a performance hint.
    """


@group.required
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of the associative binary function `f` over `axis` of (a structure of) `elems`."""


@group.required
def map(f, xs):
    """Applies `f` to each slice of `xs` along its leading axis and stacks the results."""


@group.required
def switch(index, branches, *operands):
    """Calls `branches[index](*operands)`, with `index` clamped to the valid range."""


@group.required
def stop_gradient(variable):
    """Returns `variable` unchanged, with its gradient stopped."""


@group.required(symbolic=False)
def custom_gradient(f):
    """Decorator: `f(*args)` returns `(output, grad_fn)`; `grad_fn(*upstream)` gives the input grads.

    On backends without autodiff the decorated function just returns `output`.
    """


@group.required
def slice(inputs, start_indices, shape):
    """The block of `inputs` that starts at `start_indices` and has the given `shape`."""


@group.required
def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`."""


@group.required
def scatter(indices, values, shape):
    """A zeros tensor of `shape` with `values` added at `indices` (last axis indexes dims)."""


@group.required
def scatter_update(inputs, indices, updates):
    """A copy of `inputs` whose entries at `indices` (shape `(n, k)`) are set to `updates`."""


@group.required
def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors of rank `ndim - 1`."""


@group.required
def vectorized_map(function, elements):
    """Maps `function` over the leading axis of `elements` (a tensor or a structure of tensors)."""


@group.optional(symbolic=False)
def compute_output_spec(fn, *args, **kwargs):
    """Runs `fn` on `KerasTensor` placeholders and returns KerasTensors with the result's shapes and
    dtypes. Unknown (``None``) dims stay ``None``. Backends with abstract evaluation (JAX's
    `eval_shape`, torch's meta device) should provide their own; the fallback runs `fn` on zeros.
    """
    from kcore.backend.symbolic import evaluate_on_placeholders

    return evaluate_on_placeholders(fn, args, kwargs)


@group.optional(symbolic=False)
def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode derivative: returns `(fun(*primals), jvp)` (and `aux` when `has_aux=True`).

    Needs a backend with autodiff (`capabilities.supports_training`); the fallback raises.
    """
    raise NotImplementedError(_no_autodiff("ops.jvp"))


@group.optional(symbolic=False, public=False)
def value_and_grad(fun, argnums=0, has_aux=False):
    """Returns a function that computes `fun(*args)` and its gradient with respect to the positional
    arguments `argnums` (an int or a tuple of ints), as `jax.value_and_grad` does.

    `fun` returns a scalar tensor, or `(scalar, aux)` when `has_aux=True`. The returned function gives
    `(value, grads)`, or `((value, aux), grads)`; each gradient has the structure (nested lists,
    tuples, dicts of tensors) of its argument, and is a tuple of them when `argnums` is a tuple.
    Not a public op: kcore's layers and training build on it. The fallback raises (no autodiff).
    """
    raise NotImplementedError(_no_autodiff("gradients"))


@group.optional(symbolic=False, public=False)
def jit(fun, donate_argnums=(), jit_compile=True):
    """Returns `fun` compiled for the backend (`jax.jit`, `tf.function`, `torch.compile`), with the
    positional arguments `donate_argnums` donated: the caller never uses them again, so the
    compiled call may reuse their memory for its outputs.

    `fun` takes and returns (nested structures of) tensors. Without `capabilities.mutable_variables`
    it is a pure function of them; with it, `fun` may also read and assign kcore Variables, whose
    values the backend updates in place. kcore's trainer compiles its train, test and predict
    steps with it when `capabilities.supports_jit`. `jit_compile=False` asks for the backend's
    graph mode without whole-program compilation where it has one (`tf.function` without XLA,
    graph capture of a pure `fun` with `capabilities.graph_capture`); a backend without such a
    mode returns `fun` itself then. The fallback returns `fun` itself (eager execution).
    """
    return fun


@group.hook
def no_grad():
    """A context manager under which the backend records nothing for automatic differentiation
    (`torch.no_grad`); evaluate and predict run their steps in it. The fallback records nothing
    to begin with: a null context."""
    import contextlib

    return contextlib.nullcontext()


@group.hook
def variable_state(value, variable):
    """What a new `kcore.Variable` keeps as its state, given its initial value (a tensor of the
    backend): the value itself by default; a backend with mutable state returns its own
    container (a `torch.nn.Parameter`, a `tf.Variable`), which `assign_variable_state` then
    updates in place. `variable` is the kcore Variable (its `trainable`, `path`, ...)."""
    del variable
    return value


@group.hook
def assign_variable_state(state, value):
    """Writes `value` (a tensor of the state's shape and dtype) into a variable's `state` (what
    `variable_state` returned) and returns the new state: `value` itself by default, the same
    container updated in place on a backend with mutable state."""
    del state
    return value


@group.hook
def assign_variable_states(states, values):
    """`assign_variable_state` for many variables at once (a training step writes its whole
    state back after each call); returns the new states. A backend may write them all in one
    call (torch: one multi-tensor copy)."""
    from kcore.backend import bound  # the active backend's own `assign_variable_state`

    return [bound.assign_variable_state(state, value) for state, value in zip(states, values)]


@group.hook
def layer_base():
    """A class every kcore layer also inherits from while this backend is active (torch's
    `nn.Module`, so kcore layers mix into torch models), or None. The class must derive from a
    plain Python class and add no `__slots__`; kcore inserts it into `kcore.layers.Layer`'s bases
    when the backend is activated."""
    return None


@group.hook
def variable_base():
    """A class every `kcore.Variable` also inherits from while this backend is active (for the
    framework's protocols: TensorFlow's resource-variable and tensor-conversion hooks), or None.
    Same rules as `layer_base`."""
    return None


@group.hook
def fused_update_step(optimizer, grads, variables, learning_rate):
    """Runs `optimizer`'s update of all `variables` at once (multi-tensor kernels), in place,
    and returns True; or returns False to let the optimizer call `update_step` per variable (the
    fallback, always). Called outside stateless scopes only."""
    del optimizer, grads, variables, learning_rate
    return False


def _no_autodiff(what: str) -> str:
    from kcore.backend import backend

    return (
        f"{what}: this needs a backend with automatic differentiation; the active backend {backend()!r} "
        "has none (capabilities.supports_training is False). Install one, for example: "
        'pip install "kcore[jax]".'
    )
