"""kcore.Variable and the scopes that change how it reads and writes."""

import numpy as np
import pytest

import kcore
from kcore import ops


def test_value_dtype_shape_and_numpy_conversion():
    v = kcore.Variable(np.arange(6, dtype="float32").reshape(2, 3), name="kernel")
    assert v.shape == (2, 3) and v.ndim == 2 and v.dtype == "float32"
    assert v.trainable and v.name == "kernel" and v.path == "kernel"
    np.testing.assert_array_equal(np.asarray(v), np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(v.numpy(), np.arange(6).reshape(2, 3))


def test_python_values_take_floatx_and_int32():
    assert kcore.Variable(1.0).dtype == "float32"
    assert kcore.Variable(3).dtype == "int32"
    assert kcore.Variable([1.0, 2.0], dtype="float16").dtype == "float16"


def test_callable_initializer_needs_a_shape():
    v = kcore.Variable("ones", shape=(2,), dtype="float32")
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0])
    with pytest.raises(ValueError, match="`shape` is required"):
        kcore.Variable(kcore.initializers.Ones())


def test_assign_add_sub_and_shape_check():
    v = kcore.Variable(np.zeros((2,), "float32"))
    v.assign([1.0, 2.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [1.5, 2.5])
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        v.assign([1.0, 2.0, 3.0])


def test_operators_and_ops_accept_variables():
    v = kcore.Variable(np.array([1.0, 2.0], "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(v + 1), [2.0, 3.0])
    np.testing.assert_allclose(ops.convert_to_numpy(2 * v), [2.0, 4.0])
    np.testing.assert_allclose(ops.convert_to_numpy(-v), [-1.0, -2.0])
    np.testing.assert_allclose(ops.convert_to_numpy(v[1]), 2.0)
    np.testing.assert_allclose(ops.convert_to_numpy(ops.sum(v)), 3.0)
    np.testing.assert_allclose(ops.convert_to_numpy(ops.stack([v, v])), [[1, 2], [1, 2]])
    assert bool(ops.convert_to_numpy(v < 2)[0])


def test_name_scope_builds_paths():
    with kcore.name_scope("outer"):
        with kcore.name_scope("inner"):
            v = kcore.Variable(1.0, name="w")
    assert v.path == "outer/inner/w"
    with pytest.raises(ValueError, match="without '/'"):
        kcore.Variable(1.0, name="a/b")


def test_stateless_scope_reads_mapped_values_and_records_assignments():
    v = kcore.Variable(np.ones((2,), "float32"))
    with kcore.StatelessScope([(v, np.full((2,), 5.0, "float32"))]) as scope:
        np.testing.assert_allclose(ops.convert_to_numpy(v.value), [5.0, 5.0])
        v.assign(v * 2)
        np.testing.assert_allclose(ops.convert_to_numpy(scope.get_current_value(v)), [10, 10])
    np.testing.assert_allclose(v.numpy(), [1.0, 1.0])


def test_stateless_scope_rejects_a_wrong_shape():
    v = kcore.Variable(np.ones((2,), "float32"), name="bias")
    with pytest.raises(ValueError, match="'bias' has shape"):
        kcore.StatelessScope([(v, np.ones((3,), "float32"))])


def test_variables_created_in_a_stateless_scope_are_initialized_on_exit():
    with kcore.StatelessScope():
        v = kcore.Variable(kcore.initializers.Ones(), shape=(3,))
        np.testing.assert_allclose(ops.convert_to_numpy(v.value), [1, 1, 1])
    np.testing.assert_allclose(v.numpy(), [1, 1, 1])


def test_autocast_scope_reads_float_variables_in_the_compute_dtype():
    from kcore.backend.scopes import AutocastScope

    v = kcore.Variable(np.ones((2,), "float32"))
    i = kcore.Variable(np.ones((2,), "int32"))
    with AutocastScope("float16"):
        assert v.dtype == "float16"
        assert kcore.backend.standardize_dtype(v.value.dtype) == "float16"
        assert i.dtype == "int32"
    assert v.dtype == "float32"


def test_seed_generator_state_is_a_variable_that_advances():
    generator = kcore.random.SeedGenerator(seed=3)
    assert isinstance(generator.state, kcore.Variable)
    assert not generator.state.trainable
    first = ops.convert_to_numpy(generator.next()).tolist()
    second = ops.convert_to_numpy(generator.next()).tolist()
    assert first == [3, 0] and second == [3, 1]
