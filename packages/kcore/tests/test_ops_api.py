"""The shape of the public ops API: names, coverage by the contract and the conformance cases."""

import inspect

import pytest

import kcore
from kcore import ops
from kcore.backend.contract import FUNCTIONS, GROUPS
from kcore.testing.cases import all_cases, all_random_cases


def _public_ops():
    names = set(ops.__all__) - {"core", "image", "linalg", "math", "nn", "numpy"}
    return names | {f"image.{name}" for name in ops.image.__all__}


def test_at_least_250_public_ops():
    assert len(_public_ops()) >= 250


def test_every_contract_function_has_a_conformance_case():
    covered = {case.name for case in all_cases()} | {case.name for case in all_random_cases()}
    hooks = {name for name, spec in FUNCTIONS.items() if spec.hook}
    missing = sorted(set(FUNCTIONS) - covered - hooks)
    assert missing == []


def test_ops_have_the_contract_signature_and_docstring():
    for group in ("core", "numpy", "nn", "math", "linalg", "image"):
        for name, spec in GROUPS[group].functions.items():
            if not spec.public:
                assert not hasattr(getattr(ops, group), name), name
                continue
            op = getattr(getattr(ops, group), name)
            assert inspect.signature(op) == inspect.signature(spec.stub), name
            assert op.__doc__, f"ops.{name} has no docstring"


def test_flat_namespace_matches_keras_layout():
    assert ops.matmul is ops.numpy.matmul
    assert not hasattr(ops, "resize")  # image ops live in ops.image only
    assert ops.abs is ops.absolute


def test_bad_shapes_name_the_op_and_the_inputs():
    with pytest.raises(ValueError, match=r"ops\.add: .*received float32\[2, 3\], float32\[4\]"):
        ops.add(ops.zeros((2, 3)), ops.zeros((4,)))


def test_symbolic_bad_shapes_name_the_op_and_the_inputs():
    x = kcore.KerasTensor((None, 3))
    # Backends differ in the exception class (JAX raises TypeError), not in the message.
    with pytest.raises(
        (ValueError, TypeError),
        match=r"ops\.matmul: .*received float32\[None, 3\], float32\[4, 5\]",
    ):
        ops.matmul(x, ops.zeros((4, 5)))


def test_symbolic_only_ops_refuse_keras_tensors_clearly():
    with pytest.raises(ValueError, match="ops.convert_to_numpy needs concrete tensors"):
        ops.convert_to_numpy(kcore.KerasTensor((2,)))


def test_autodiff_ops_explain_what_backend_they_need():
    if kcore.backend.capabilities().supports_training:
        pytest.skip("the active backend has autodiff")
    with pytest.raises(NotImplementedError, match="automatic differentiation"):
        ops.jvp(lambda x: x * 2.0, (ops.ones((2,)),), (ops.ones((2,)),))
