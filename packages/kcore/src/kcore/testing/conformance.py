"""The conformance tests: every contract case, on the backend chosen with `--kcore-backend`, and
the checks of the integration hooks (variables, layer bases, fused optimizer updates).

Collected only when asked for (see `kcore.testing.plugin`).
"""

from __future__ import annotations

import numpy as np
import pytest

from kcore.backend.contract import FUNCTIONS
from kcore.testing import checks
from kcore.testing.cases import all_cases, all_random_cases
from kcore.testing.checks import implementation

_CASES = all_cases()
_RANDOM_CASES = all_random_cases()


def _salts(cases) -> list[str]:
    """A seed salt per case that depends only on its op and its position among that op's cases."""
    seen: dict[str, int] = {}
    salts = []
    for case in cases:
        seen[case.name] = seen.get(case.name, -1) + 1
        salts.append(f"{case.name}/{case.id or seen[case.name]}")
    return salts


_SALTS = _salts(_CASES)
_SYMBOLIC = [(i, c) for i, c in enumerate(_CASES) if c.symbolic and FUNCTIONS[c.name].symbolic]

pytestmark = pytest.mark.conformance


def _skip_unsupported(case, module):
    missing = checks.unsupported_dtypes(case, module.capabilities)
    if missing:
        pytest.skip(f"backend does not support {sorted(missing)}")
    lacking = [flag for flag in case.needs if not getattr(module.capabilities, flag)]
    if lacking:
        pytest.skip(f"backend lacks {', '.join(lacking)}")


@pytest.mark.parametrize(
    "index, case", list(enumerate(_CASES)), ids=[c.label(i) for i, c in enumerate(_CASES)]
)
def test_matches_reference(kcore_backend, index, case):
    _skip_unsupported(case, kcore_backend)
    try:
        checks.run_case(kcore_backend, case, salt=_SALTS[index])
    except checks.NotProvided as reason:
        pytest.skip(str(reason))


@pytest.mark.parametrize("index, case", _SYMBOLIC, ids=[c.label(i) for i, c in _SYMBOLIC])
def test_symbolic_matches_eager(kcore_backend, index, case):
    _skip_unsupported(case, kcore_backend)
    try:
        checks.run_symbolic_case(kcore_backend, case, salt=_SALTS[index])
    except checks.NotProvided as reason:
        pytest.skip(str(reason))


@pytest.mark.parametrize(
    "case", _RANDOM_CASES, ids=[c.label(i) for i, c in enumerate(_RANDOM_CASES)]
)
def test_random(kcore_backend, case):
    if case.dtype not in kcore_backend.capabilities.dtypes:
        pytest.skip(f"backend does not support {case.dtype}")
    checks.run_random_case(kcore_backend, case)


# ---------------------------------------------------------------------------------------------
# The integration hooks (`FunctionSpec.hook`): variables' storage, layer and variable bases,
# fused optimizer updates.


def _needs_training(module):
    if not module.capabilities.supports_training:
        pytest.skip("backend lacks supports_training")


def test_variables_keep_their_state(kcore_backend):
    import kcore

    variable = kcore.Variable(np.ones((2, 3), np.float32), name="w")
    state = variable._value
    variable.assign(np.full((2, 3), 2.0, np.float32))
    variable.assign_add(np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(variable.numpy(), np.full((2, 3), 3.0, np.float32))
    if kcore_backend.capabilities.mutable_variables:
        assert variable._value is state, "a mutable variable's state must be updated in place"


def test_variables_do_not_share_memory_with_their_initial_value(kcore_backend):
    import kcore

    initial = np.zeros((3,), np.float32)
    variable = kcore.Variable(initial)
    variable.assign(np.ones((3,), np.float32))
    np.testing.assert_array_equal(initial, np.zeros((3,), np.float32))


def test_layers_and_variables_inherit_the_backend_bases(kcore_backend):
    import kcore

    layer = kcore.layers.Dense(2)
    layer.build((None, 3))
    for base, instance in (
        (implementation(kcore_backend, "layer_base")(), layer),
        (implementation(kcore_backend, "variable_base")(), layer.kernel),
    ):
        if base is not None:
            assert isinstance(instance, base)


def test_no_grad_computes_the_same_values(kcore_backend):
    from kcore import ops

    with implementation(kcore_backend, "no_grad")():
        result = ops.convert_to_numpy(ops.multiply(ops.ones((2,)), 3.0))
    np.testing.assert_array_equal(result, np.full((2,), 3.0, np.float32))


@pytest.mark.parametrize(
    "make",
    [
        lambda o: o.SGD(0.1),
        lambda o: o.SGD(0.1, momentum=0.9, nesterov=True),
        lambda o: o.Adam(0.01),
        lambda o: o.Adam(0.01, amsgrad=True),
        lambda o: o.AdamW(0.01, weight_decay=0.1),
        lambda o: o.RMSprop(0.01, momentum=0.5, centered=True),
    ],
    ids=["sgd", "sgd-nesterov", "adam", "adam-amsgrad", "adamw", "rmsprop-centered"],
)
def test_fused_update_step_matches_update_step(kcore_backend, make):
    """A backend's fused multi-tensor update gives what `update_step` per variable gives."""
    import kcore

    _needs_training(kcore_backend)
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (2, 2, 2)]
    values = [rng.normal(size=s).astype(np.float32) for s in shapes]
    grads = [[rng.normal(size=s).astype(np.float32) for s in shapes] for _ in range(3)]
    results = []
    for fused in (True, False):
        variables = [kcore.Variable(v) for v in values]
        optimizer = make(kcore.optimizers)
        if not fused:
            # The per-variable path: what `_backend_update_step` does without the hook.
            def per_variable(grads, trainable, learning_rate, optimizer=optimizer):
                for grad, variable in zip(grads, trainable):
                    optimizer.update_step(grad, variable, learning_rate)

            optimizer._backend_update_step = per_variable
        for step_grads in grads:
            optimizer.apply([kcore.ops.convert_to_tensor(g) for g in step_grads], variables)
        results.append([v.numpy() for v in variables] + [v.numpy() for v in optimizer.variables])
    for fused_value, reference in zip(*results):
        np.testing.assert_allclose(fused_value, reference, rtol=1e-5, atol=1e-6)
