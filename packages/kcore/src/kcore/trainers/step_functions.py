"""How the trainer runs a step over a group of batches: eagerly, or compiled by the backend.

On a backend whose variables are immutable values (JAX), a compiled step is a pure function of the
state's values: kcore runs the (stateful) step inside a `StatelessScope` that maps every state
variable to a traced value and collects the new values, and the backend's `jit` compiles it with
the state donated. Between calls the new values are written straight into the variables, so a
callback always sees the current weights, and nothing is copied to the host but the logs.

On a backend with mutable variables (TensorFlow's `tf.Variable`, torch's parameters) the backend
compiles the stateful step itself (`tf.function`, `torch.compile`), which updates the variables in
place.

On a backend with graph capture (torch), a step that has run `CAPTURE_AFTER_STEPS` times eagerly
is captured in its pure form (an op graph replayed without running kcore's Python) unless the model
asked for `jit_compile=True` (the backend's compiler) or `run_eagerly=True`. Where capture fails
(the step reads tensor values in Python, draws random numbers from a stateful generator) the step
keeps running eagerly.

With ``steps_per_execution=N``, on a backend with device loops, the N steps of a group run inside
one compiled call, as an `ops.scan` over the stacked batches (an on-device loop).

`model_runner` makes (and caches) a model's runner for train, test or predict, after
`symbolic_build` has created every variable the step needs from the first batch's shapes.
"""

from __future__ import annotations

import logging

import numpy as np
import optree

from kcore.backend import KerasTensor, bound, capabilities, scopes
from kcore.backend.contract import CaptureFailed
from kcore.layers import _state
from kcore.trainers.data_adapters import data_adapter_utils
from kcore.trainers.steps import is_stateless

# Eager steps before a graph-capture backend captures the step: a capture costs about as much as
# a few hundred small eager steps, so short runs (a few batches) never pay for one.
CAPTURE_AFTER_STEPS = 100
# Captured steps are pure: the state they change is written back after each call, and their
# optimizer update is not fused. That pays off where Python overhead dominates a step (a small
# state); a step that changes more state than this stays eager (measured on CPU: a 784-512-512-10
# MLP, 8 MB of weights and Adam slots, runs 8% slower captured; Dense(10) on 64 features 40%
# faster).
CAPTURE_MAX_STATE_BYTES = 1 << 20

_log = logging.getLogger("kcore")


def _stack(batches):
    """The batches stacked on a new leading axis, or None when their shapes differ (a partial
    last batch)."""
    first = optree.tree_structure(batches[0])
    leaves = [optree.tree_leaves(b) for b in batches]
    if any(optree.tree_structure(b) != first for b in batches[1:]):
        return None
    for column in zip(*leaves):
        if any(np.shape(a) != np.shape(column[0]) for a in column[1:]):
            return None
    return optree.tree_unflatten(first, [np.stack(column) for column in zip(*leaves)])


class StepRunner:
    """Runs `step` on groups of batches and returns the last step's output.

    Args:
        step: the step. Stateful form `step(batch) -> output` (reads and assigns variables), or,
            with `stateless=True`, `step(state, batch) -> (output, state)` where `state` holds the
            values of `state_variables` as `state_structure(values)` arranges them.
        state_variables: the variables the step may change (donated to the compiled call).
        read_variables: variables the step only reads (passed in, not donated).
        compiled: hand the step to the backend's `jit`; otherwise run it eagerly.
        jit_compile: what `jit` is asked for: whole-program compilation, or the backend's
            graph mode without it.
        steps_per_execution: how many steps one compiled call runs.
        concatenate: the outputs of the steps of a group are concatenated along the batch axis
            (predict) instead of keeping the last one (train and test logs).
        stateless: `step` is in the stateless form.
        state_structure: turns the flat list of state values into what a stateless step takes,
            and `state_flatten` back.
        differentiable: the step takes gradients; otherwise it runs under the backend's
            `no_grad` (evaluate, predict).
    """

    def __init__(
        self,
        step,
        state_variables,
        read_variables=(),
        *,
        compiled=True,
        jit_compile=True,
        steps_per_execution=1,
        concatenate=False,
        stateless=False,
        state_structure=None,
        state_flatten=None,
        differentiable=True,
    ):
        self.step = step
        self.state_variables = list(state_variables)
        self.read_variables = list(read_variables)
        self.steps_per_execution = int(steps_per_execution)
        self.concatenate = concatenate
        self.stateless = stateless
        self.differentiable = differentiable
        self._structure = state_structure or (lambda values: values)
        self._flatten = state_flatten or (lambda state: list(state))
        self._single = None
        self._multi = None
        self._multi_length = None
        # The layers' state, walked once per fit/evaluate/predict (`model_runner` empties it).
        self.state_cache = {}
        self._init_mode(compiled, jit_compile)

    def _init_mode(self, compiled, jit_compile):
        self.jit_compile = jit_compile
        self.mode = step_mode(compiled, jit_compile)
        self.device_loops = capabilities().device_loops and self.mode != "eager"
        # Graph capture: the pure step is captured once it has run eagerly often enough.
        self.capture = self.mode == "pure" and not jit_compile and capabilities().graph_capture
        if self.capture and _nbytes(self.state_variables) > CAPTURE_MAX_STATE_BYTES:
            self.mode, self.capture = "eager", False
        self.eager_steps = 0

    def __call__(self, batches):
        with _state.frozen_state(self.state_cache):
            if self.differentiable:
                return self._run(batches)
            with bound.no_grad():
                return self._run(batches)

    def _run(self, batches):
        if self.mode == "eager":
            return self._run_each(self._run_one, batches)
        if self.mode == "stateful":
            return self._run_stateful(batches)
        if self.capture and self.eager_steps < CAPTURE_AFTER_STEPS:
            self.eager_steps += len(batches)
            return self._run_each(self._run_one, batches)
        return self._run_pure(batches)

    def _group(self, batches):
        """The group's batches stacked for one looping call, or None to run them one by one.
        One loop length is compiled (the group size); a shorter last group runs step by step
        rather than compiling another loop."""
        if not self.device_loops or len(batches) < 2:
            return None
        if len(batches) != (self._multi_length or len(batches)):
            return None
        stacked = _stack(batches)
        if stacked is not None:
            self._multi_length = len(batches)
        return stacked

    def _run_each(self, function, batches):
        # The step sees backend tensors, as in Keras 3 (a compiled step converts them itself).
        outputs = [function(optree.tree_map(_to_tensor, batch)) for batch in batches]
        return _concatenate(outputs) if self.concatenate else outputs[-1]

    def _run_one(self, batch):
        """One step on the live variables (stateful, or stateless with the values written back)."""
        if not self.stateless:
            return self.step(batch)
        state = self._structure([v.value for v in self.state_variables])
        output, state = self.step(state, batch)
        for variable, value in zip(self.state_variables, self._flatten(state)):
            variable.assign(value)
        return output

    def _run_stateful(self, batches):
        stacked = self._group(batches)
        if stacked is not None:
            if self._multi is None:
                self._multi = bound.jit(self._stateful_multi, jit_compile=self.jit_compile)
            return self._multi(stacked)
        if self._single is None:
            self._single = bound.jit(self._run_one, jit_compile=self.jit_compile)
        return self._run_each(self._single, batches)

    def _stateful_multi(self, stacked):
        def body(carry, batch):
            return carry, self._run_one(batch)

        _, outputs = bound.scan(body, bound.zeros((), "int32"), stacked)
        return self._last_or_all(outputs)

    def _run_pure(self, batches):
        state = [v._value for v in self.state_variables]
        read = [v._value for v in self.read_variables]
        stacked = self._group(batches)
        if stacked is not None:
            if self._multi is None:
                self._multi = bound.jit(
                    self._pure_multi, donate_argnums=(0,), jit_compile=self.jit_compile
                )
            output, state = self._multi(state, read, stacked)
        else:
            if self._single is None:
                self._single = bound.jit(
                    self._pure, donate_argnums=(0,), jit_compile=self.jit_compile
                )
            outputs = []
            for index, batch in enumerate(batches):
                if self.capture:
                    # Captured graphs take tensors (arrays would become constants of the graph).
                    batch = optree.tree_map(_to_tensor, batch)
                try:
                    output, state = self._single(state, read, batch)
                except CaptureFailed as error:
                    self._write_back(state)
                    self._stop_capture(error)
                    outputs.append(self._run_each(self._run_one, batches[index:]))
                    return _concatenate(outputs) if self.concatenate else outputs[-1]
                outputs.append(output)
            output = _concatenate(outputs) if self.concatenate else outputs[-1]
        self._write_back(state)
        return output

    def _write_back(self, state):
        variables = self.state_variables
        states = bound.assign_variable_states([v._value for v in variables], state)
        for variable, value in zip(variables, states):
            variable._value = value

    def _stop_capture(self, error):
        _log.info("kcore runs this step eagerly: its graph cannot be captured (%s)", error)
        self.capture = False
        self.mode = "eager"
        self._single = None

    def _pure(self, state, read, batch):
        if self.stateless:
            mapping = list(zip(self.read_variables, read))
            with scopes.StatelessScope(mapping, collect_losses=True):
                output, new_state = self.step(self._structure(list(state)), batch)
            return output, self._flatten(new_state)
        mapping = list(zip(self.state_variables, state)) + list(zip(self.read_variables, read))
        # Collecting: the losses layers add (`add_loss`, activity regularization) reach
        # `compute_loss` in evaluate as they do in fit.
        with scopes.StatelessScope(mapping, collect_losses=True) as scope:
            output = self.step(batch)
            new_state = [scope.get_current_value(v) for v in self.state_variables]
            known = {id(v) for v in self.state_variables}
            lost = [v.path for v in scope.assigned_variables() if id(v) not in known]
        if lost:
            raise RuntimeError(
                f"The step assigned variables that are not part of the model's training state: "
                f"{lost}. Create every variable before training (build layers and metrics in "
                "`build()`), or compile with run_eagerly=True."
            )
        return output, new_state

    def _pure_multi(self, state, read, stacked):
        def body(carry, batch):
            output, carry = self._pure(carry, read, batch)
            return carry, output

        state, outputs = bound.scan(body, state, stacked)
        return self._last_or_all(outputs), state

    def _last_or_all(self, outputs):
        """The stacked outputs of a loop: the last step's (logs), or all of them concatenated
        along the batch axis (predictions)."""
        if self.concatenate:
            return optree.tree_map(lambda y: bound.reshape(y, (-1, *tuple(y.shape[2:]))), outputs)
        return optree.tree_map(lambda y: y[-1], outputs)


def step_mode(compiled: bool, jit_compile: bool) -> str:
    """How steps run on the active backend: "eager" (the step as it is), "stateful" (the
    backend compiles the step itself; its variables change in place) or "pure" (a compiled or
    captured pure function of the state's values, written back after each call)."""
    if not compiled:
        return "eager"
    caps = capabilities()
    if caps.mutable_variables and (jit_compile or not caps.graph_capture):
        return "stateful"
    return "pure" if jit_compile or caps.graph_capture else "eager"


def _nbytes(variables) -> int:
    """The bytes the values of `variables` take (a dtype's size is in its name: float32, bool)."""
    total = 0
    for v in variables:
        bits = "".join(c for c in v.dtype if c.isdigit())
        total += int(np.prod(v.shape, dtype=np.int64)) * (int(bits) // 8 if bits else 1)
    return total


def _to_tensor(value):
    return bound.convert_to_tensor(value) if isinstance(value, np.ndarray) else value


def _concatenate(outputs):
    if len(outputs) == 1:
        return outputs[0]
    return optree.tree_map(lambda *parts: bound.concatenate(parts, axis=0), *outputs)


def symbolic_build(model, batch, check_targets=True) -> None:
    """Builds the model, the compiled loss and metrics and the optimizer from a batch's
    shapes, without running the model: every variable exists before a step is compiled."""
    needs_build = not model.built or any(
        part is not None and not part.built
        for part in (model._compile_loss, model._compile_metrics)
    )
    x, y, sample_weight = data_adapter_utils.unpack_x_y_sample_weight(batch)
    y_pred_spec = None
    if needs_build:

        def run(x, y, sample_weight):
            y_pred = model(x, training=False)
            if y is not None and model._compile_loss is not None:
                model._compile_loss(y, y_pred, sample_weight)
            if y is not None and model._compile_metrics is not None:
                model._compile_metrics.update_state(y, y_pred, sample_weight)
            return y_pred

        with scopes.StatelessScope(collect_losses=True):
            y_pred_spec = bound.compute_output_spec(
                run, *(_spec(part) for part in (x, y, sample_weight))
            )
    if (check_targets or needs_build) and model._compile_loss is not None and y is not None:
        if y_pred_spec is None:
            y_pred_spec = _output_spec(model, x)
        model._compile_loss.check_targets(y, y_pred_spec)
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def _output_spec(model, x):
    """The model's output spec for inputs shaped like `x`, traced once per input signature
    (each `fit` call checks its targets against it; tracing a large model costs up to a second)."""
    leaves, treedef = optree.tree_flatten(x)
    key = (
        treedef,
        tuple((np.shape(a), _dtype_name(a)) for a in leaves),
        tuple(map(id, model.variables)),  # a layer added: traced again
    )
    specs = model.__dict__.setdefault("_output_specs", {})
    if key not in specs:
        with scopes.StatelessScope(collect_losses=True):
            specs[key] = bound.compute_output_spec(lambda x: model(x), _spec(x))
    return specs[key]


def model_runner(model, kind: str, batch, check_targets=True) -> StepRunner:
    """The step runner of `model` for `kind` ("train", "test", "predict"), made once and
    reused while the model's variables stay the same; builds what the first batch needs first."""
    if kind != "predict":
        symbolic_build(model, batch, check_targets)
    elif not model.built:
        symbolic_build(model, batch[:1], False)
    runners = model.__dict__.setdefault("_runners", {})
    key = (kind, model.run_eagerly, model.jit_compile, model.steps_per_execution)
    cached = runners.get(key)
    if kind == "predict" and cached is not None and cached[2] == _state.structure_generation:
        # No layer gained or lost anything since this runner was made: its variables (and the
        # layer state walked while it ran) are still the model's. A one-sample predict in a
        # loop then costs one compiled call, not a walk over every layer.
        return cached[1]
    step = {"train": model.train_step, "test": model.test_step, "predict": model.predict_step}[kind]
    stateless = is_stateless(step)
    groups = (
        model._state_groups()
        if model.compiled
        else (
            model.trainable_variables,
            model.non_trainable_variables,
            [],
            [],
        )
    )
    if kind == "train" or stateless:
        state, read = [v for group in groups for v in group], []
    elif kind == "test":
        state = groups[3]
        read = groups[0] + groups[1]
    else:
        state, read = [], groups[0] + groups[1]
    identity = (stateless, tuple(map(id, state)), tuple(map(id, read)))
    generation = _state.structure_generation
    if cached is not None and cached[0] == identity:
        runners[key] = (identity, cached[1], generation)
        cached[1].state_cache.clear()
        return cached[1]
    sizes = [len(group) for group in groups]

    def structure(values):
        parts, start = [], 0
        for size in sizes:
            parts.append(list(values[start : start + size]))
            start += size
        return tuple(parts)

    def flatten(state):
        return [value for group in state for value in group]

    runner = StepRunner(
        step,
        state,
        read,
        compiled=not model.run_eagerly,
        jit_compile=model.jit_compile,
        differentiable=kind == "train",
        steps_per_execution=model.steps_per_execution,
        concatenate=kind == "predict",
        stateless=stateless,
        state_structure=structure,
        state_flatten=flatten,
    )
    runners[key] = (identity, runner, generation)
    return runner


def _spec(part):
    if part is None:
        return None
    return optree.tree_map(lambda a: KerasTensor(np.shape(a), _dtype_name(a)), part)


def _dtype_name(array) -> str:
    from kcore.backend import standardize_dtype

    return standardize_dtype(getattr(array, "dtype", "float32"))
