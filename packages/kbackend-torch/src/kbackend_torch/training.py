"""Training on torch: variables as parameters, kcore layers as torch modules, fused optimizer
updates, `torch.compile` on request.

- A kcore Variable keeps its value in a `torch.nn.Parameter` that assignments update in place, so
  torch optimizers, `state_dict` and `loss.backward()` see the same tensors kcore trains.
- Every kcore layer is a `torch.nn.Module` (`layer_base`): its trainable variables are its
  parameters, its other variables its buffers, its sublayers its submodules. A kcore layer mixes
  into a torch model and trains with a torch optimizer.
- The optimizer update of a training step runs as a few multi-tensor kernels (`torch._foreach_*`)
  over all variables for SGD, Adam/AdamW and RMSprop, instead of a dozen small ops per variable.
- `jit` compiles a step with `torch.compile` when `jit_compile=True`; when torch cannot compile
  it, a warning says why and the step runs eagerly. Otherwise it captures the aten graph of the
  trainer's pure step (`make_fx`) and replays it: the Python of layers, losses, metrics and the
  optimizer runs once per input signature instead of once per step.
"""

from __future__ import annotations

import warnings

import optree
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from kbackend_torch._utils import to_torch
from kcore.backend.contract import CaptureFailed, exported

# ---------------------------------------------------------------------------------------------
# Variables


def variable_state(value, variable):
    value = to_torch(value).detach().clone()
    differentiable = value.is_floating_point() or value.is_complex()
    return torch.nn.Parameter(value, requires_grad=bool(variable.trainable) and differentiable)


def assign_variable_state(state, value):
    with torch.no_grad():
        state.copy_(to_torch(value))
    return state


def assign_variable_states(states, values):
    if not states:
        return states
    values = [to_torch(value) for value in values]
    with torch.no_grad():
        torch._foreach_copy_(states, values)
    return states


def no_grad():
    return torch.no_grad()


# ---------------------------------------------------------------------------------------------
# kcore layers as torch modules


def _torch_name(name: str, taken: dict) -> str:
    """`name` as a torch attribute name (no dots), unique among `taken`."""
    base = name.replace(".", "_") or "_"
    candidate, count = base, 1
    while candidate in taken:
        candidate = f"{base}_{count}"
        count += 1
    return candidate


class TorchLayer(torch.nn.Module):
    """The base torch gives every kcore layer: `torch.nn.Module`, with the parameters, buffers and
    submodules read from the layer's own state (nothing is stored twice, so they are always
    current). Attributes are set the plain Python way: the layer keeps its own bookkeeping."""

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        torch.nn.Module.__init__(layer)
        return layer

    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__

    def _own_states(self, trainable: bool) -> dict:
        states = {}
        for variable in self._own_state_variables():
            state = variable._value
            if isinstance(state, torch.Tensor) and bool(variable.trainable) == trainable:
                states[_torch_name(variable.name, states)] = state
        return states

    @property
    def _parameters(self):
        return self._own_states(trainable=True)

    @_parameters.setter
    def _parameters(self, value):
        del value  # torch.nn.Module.__init__ sets it; the layer's state is the truth

    @property
    def _buffers(self):
        return self._own_states(trainable=False)

    @_buffers.setter
    def _buffers(self, value):
        del value

    @property
    def _modules(self):
        modules = {}
        for layer in self._layers:
            modules[_torch_name(layer.name, modules)] = layer
        return modules

    @_modules.setter
    def _modules(self, value):
        del value

    def forward(self, *args, **kwargs):
        """Calls the layer (torch's entry point; `layer(x)` does the same)."""
        return self(*args, **kwargs)


def layer_base():
    return TorchLayer


# ---------------------------------------------------------------------------------------------
# Compiled steps


class _CompiledStep:
    """`torch.compile(fun)`, falling back to `fun` itself (with a warning that says why) when
    torch cannot compile it."""

    def __init__(self, fun):
        self.fun = fun
        self.call = torch.compile(fun)

    def __call__(self, *args, **kwargs):
        if self.call is self.fun:
            return self.fun(*args, **kwargs)
        try:
            return self.call(*args, **kwargs)
        except Exception as error:
            warnings.warn(
                f"torch.compile could not compile the step ({type(error).__name__}: {error}). "
                "kcore runs it eagerly instead; compile the model with jit_compile=False to skip "
                "the attempt.",
                RuntimeWarning,
                stacklevel=2,
            )
            self.call = self.fun
            return self.fun(*args, **kwargs)


class _CapturedStep:
    """A pure function's graph of aten ops, captured with `make_fx` on fake tensors (one graph per
    input signature: structure, shapes, dtypes) and replayed: each call runs the ops without
    the Python that produced them. Capture fails, with `CaptureFailed`, where the function needs
    tensor values in Python (data-dependent control flow, `tolist`, seeded generators)."""

    def __init__(self, fun):
        self.fun = fun
        self.graphs = {}

    def __call__(self, *args):
        leaves, treedef = optree.tree_flatten(args, none_is_leaf=True)
        leaves = [_detached_leaf(leaf) for leaf in leaves]
        key = (treedef, tuple(_signature(leaf) for leaf in leaves))
        entry = self.graphs.get(key)
        if entry is None:
            entry = self.graphs[key] = self._capture(treedef, leaves)
        graph, outputs = entry
        # The graph takes and returns flat lists: no pytree work inside it; `forward` directly,
        # without `nn.Module.__call__`'s hook handling (the graph has no hooks).
        return optree.tree_unflatten(outputs, graph.forward(*leaves))

    def _capture(self, treedef, leaves):
        structure = {}

        def flat(*leaves):
            result = self.fun(*optree.tree_unflatten(treedef, list(leaves)))
            flat_result, structure["outputs"] = optree.tree_flatten(result, none_is_leaf=True)
            return flat_result

        try:
            graph = make_fx(flat, tracing_mode="fake")(*leaves)
        except Exception as error:
            raise CaptureFailed(f"{type(error).__name__}: {error}") from error
        _simplify(graph)
        return graph, structure["outputs"]


def _simplify(graph) -> None:
    """Drops what a replay without autograd does not need: `detach` (the graph computes its own
    gradients), copies of constants that nothing modifies, and dead nodes; a small step's
    graph has about 15% fewer ops."""
    aten = torch.ops.aten
    for node in list(graph.graph.nodes):
        node.meta.clear()  # the fake tensors of the capture: not needed to replay
        if node.op != "call_function":
            continue
        if node.target is aten.detach.default or (
            node.target is aten.lift_fresh_copy.default
            and not any(_mutates(user) for user in node.users)
        ):
            node.replace_all_uses_with(node.args[0])
            graph.graph.erase_node(node)
    graph.graph.eliminate_dead_code()
    graph.recompile()


def _mutates(node) -> bool:
    schema = getattr(node.target, "_schema", None)
    return schema is None or any(
        argument.alias_info is not None and argument.alias_info.is_write
        for argument in schema.arguments
    )


def _detached_leaf(leaf):
    # Parameters enter the graph as plain tensors: the graph computes the gradients itself.
    return leaf.detach() if isinstance(leaf, torch.Tensor) and leaf.requires_grad else leaf


def _signature(leaf):
    if isinstance(leaf, torch.Tensor):
        return (tuple(leaf.shape), leaf.dtype, leaf.device)
    return leaf if leaf is None or isinstance(leaf, (bool, int, float, str)) else type(leaf)


def jit(fun, donate_argnums=(), jit_compile=True):
    del donate_argnums  # torch frees what nothing references
    # jit_compile=True: torch.compile of the (stateful) step; otherwise graph capture of the pure
    # step (the trainer hands it the pure form, see `capabilities.graph_capture`).
    return _CompiledStep(fun) if jit_compile else _CapturedStep(fun)


# ---------------------------------------------------------------------------------------------
# Fused optimizer updates


def fused_update_step(optimizer, grads, variables, learning_rate):
    update = _fused_update(optimizer)
    if update is None or optimizer.gradient_accumulation_steps:
        return False
    params = [v._value for v in variables]
    if not all(isinstance(p, torch.Tensor) and p.is_floating_point() for p in params):
        return False
    grads = [to_torch(g).to(p.dtype) for g, p in zip(grads, params)]
    with torch.no_grad():
        update(optimizer, grads, params, variables, to_torch(learning_rate).to(params[0].dtype))
    return True


def _fused_update(optimizer):
    from kcore.optimizers import SGD, Adam, RMSprop

    step = type(optimizer).update_step
    fused = {Adam.update_step: _adam, SGD.update_step: _sgd, RMSprop.update_step: _rmsprop}
    return fused.get(step)


def _slots(optimizer, slots, variables):
    return [slots[optimizer._get_variable_index(v)]._value for v in variables]


def _adam(optimizer, grads, params, variables, lr):
    step = (optimizer.iterations._value + 1).to(lr.dtype)
    beta_1, beta_2 = optimizer.beta_1, optimizer.beta_2
    alpha = lr * torch.sqrt(1 - beta_2**step) / (1 - beta_1**step)
    m = _slots(optimizer, optimizer._momentums, variables)
    v = _slots(optimizer, optimizer._velocities, variables)
    torch._foreach_lerp_(m, grads, 1 - beta_1)
    torch._foreach_mul_(v, beta_2)
    torch._foreach_addcmul_(v, grads, grads, 1 - beta_2)
    if optimizer.amsgrad:
        v_hat = _slots(optimizer, optimizer._velocity_hats, variables)
        torch._foreach_maximum_(v_hat, v)
        v = v_hat
    denominators = torch._foreach_sqrt(v)
    torch._foreach_add_(denominators, optimizer.epsilon)
    # params -= alpha * m / denominators, in one pass (the scale as a tensor: no host sync).
    scales = (-alpha).to("cpu").reshape(1).expand(len(params))
    torch._foreach_addcdiv_(params, m, denominators, scales.contiguous())


def _sgd(optimizer, grads, params, variables, lr):
    updates = torch._foreach_mul(grads, lr)
    if optimizer.momentum == 0:
        torch._foreach_sub_(params, updates)
        return
    m = _slots(optimizer, optimizer.momentums, variables)
    torch._foreach_mul_(m, optimizer.momentum)
    torch._foreach_sub_(m, updates)
    if optimizer.nesterov:
        steps = torch._foreach_mul(m, optimizer.momentum)
        torch._foreach_sub_(steps, updates)
        torch._foreach_add_(params, steps)
    else:
        torch._foreach_add_(params, m)


def _rmsprop(optimizer, grads, params, variables, lr):
    rho = optimizer.rho
    velocities = _slots(optimizer, optimizer._velocities, variables)
    torch._foreach_mul_(velocities, rho)
    torch._foreach_addcmul_(velocities, grads, grads, 1 - rho)
    if optimizer.centered:
        averages = _slots(optimizer, optimizer._average_gradients, variables)
        torch._foreach_lerp_(averages, grads, 1 - rho)
        denominators = torch._foreach_addcmul(velocities, averages, averages, -1)
        torch._foreach_add_(denominators, optimizer.epsilon)
    else:
        denominators = torch._foreach_add(velocities, optimizer.epsilon)
    torch._foreach_sqrt_(denominators)
    increments = torch._foreach_div(grads, denominators)
    torch._foreach_mul_(increments, lr)
    if optimizer.momentum > 0:
        momentums = _slots(optimizer, optimizer._momentums, variables)
        torch._foreach_mul_(momentums, optimizer.momentum)
        torch._foreach_add_(momentums, increments)
        increments = momentums
    torch._foreach_sub_(params, increments)


__all__ = exported(globals())
