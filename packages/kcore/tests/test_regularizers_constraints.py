"""`kcore.regularizers` and `kcore.constraints`: values against numpy, configs and `get`."""

import numpy as np
import pytest

from kcore import constraints, ops, regularizers

W = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5], [-0.5, 2.5, 1.0], [0.2, -0.1, 4.0]], "float32")


def _value(x):
    return np.asarray(ops.convert_to_numpy(x), dtype="float64")


def test_l1_l2_l1l2_penalties():
    w = W.astype("float64")
    np.testing.assert_allclose(_value(regularizers.L1(0.3)(W)), 0.3 * np.abs(w).sum(), rtol=1e-6)
    np.testing.assert_allclose(_value(regularizers.L2(0.2)(W)), 0.2 * (w**2).sum(), rtol=1e-6)
    both = regularizers.L1L2(l1=0.1, l2=0.05)(W)
    np.testing.assert_allclose(_value(both), 0.1 * np.abs(w).sum() + 0.05 * (w**2).sum(), rtol=1e-6)
    assert _value(regularizers.L1L2()(W)) == 0.0
    assert _value(regularizers.Regularizer()(W)) == 0.0


def test_penalty_keeps_the_weight_dtype():
    w16 = ops.convert_to_tensor(W, dtype="float16")
    for regularizer in (regularizers.L1(), regularizers.L2(), regularizers.L1L2(0.1, 0.1)):
        assert ops.convert_to_numpy(regularizer(w16)).dtype == np.float16


def test_defaults_and_none_arguments():
    assert regularizers.L1().get_config() == {"l1": 0.01}
    assert regularizers.L2(None).get_config() == {"l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L1L2(l1=None, l2=0.5).get_config() == {"l1": 0.0, "l2": 0.5}
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), "0.1", True])
def test_invalid_factors_raise(value):
    with pytest.raises(ValueError, match="non-negative float"):
        regularizers.L1(value)
    with pytest.raises(ValueError, match="non-negative float"):
        regularizers.OrthogonalRegularizer(factor=value)


def _orthogonal_penalty(w, factor, mode):
    if mode == "columns":
        w = w.T
    unit = w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-12)
    product = unit @ unit.T
    size = product.shape[0]
    off_diagonal = product * (1 - np.eye(size))
    return factor * 0.5 * np.abs(off_diagonal).sum() / (size * (size - 1) / 2)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer(mode):
    regularizer = regularizers.OrthogonalRegularizer(factor=0.4, mode=mode)
    expected = _orthogonal_penalty(W.astype("float64"), 0.4, mode)
    np.testing.assert_allclose(_value(regularizer(W)), expected, rtol=1e-5)
    assert _value(regularizer(np.eye(3, dtype="float32"))) == pytest.approx(0.0, abs=1e-7)
    with pytest.raises(ValueError, match="rank 2"):
        regularizer(np.ones((2, 2, 2), "float32"))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


@pytest.mark.parametrize(
    "regularizer",
    [
        regularizers.L1(0.2),
        regularizers.L2(0.3),
        regularizers.L1L2(0.1, 0.4),
        regularizers.OrthogonalRegularizer(0.5, "columns"),
    ],
    ids=lambda r: type(r).__name__,
)
def test_regularizer_config_round_trip(regularizer):
    config = regularizers.serialize(regularizer)
    assert config["module"] == "keras.regularizers"
    assert config["class_name"] == type(regularizer).__name__
    restored = regularizers.deserialize(config)
    assert type(restored) is type(regularizer)
    assert restored.get_config() == regularizer.get_config()
    np.testing.assert_allclose(_value(restored(W)), _value(regularizer(W)))


def test_regularizers_get():
    assert isinstance(regularizers.get("l1"), regularizers.L1)
    assert isinstance(regularizers.get("L2"), regularizers.L2)
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert isinstance(
        regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer
    )
    assert regularizers.get(None) is None
    assert isinstance(
        regularizers.get({"class_name": "L1", "config": {"l1": 0.5}}), regularizers.L1
    )

    def custom(x):
        return ops.sum(x)

    assert regularizers.get(custom) is custom
    with pytest.raises(ValueError, match="Could not interpret regularizer"):
        regularizers.get("l3")
    assert regularizers.l1_l2 is regularizers.L1L2


def _norms(w, axis):
    return np.sqrt((w**2).sum(axis=axis, keepdims=True))


EPS = 1e-7


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm(axis):
    w = W.astype("float64")
    norms = _norms(w, tuple(axis) if isinstance(axis, list) else axis)
    expected = w * (np.clip(norms, 0, 2.0) / (EPS + norms))
    got = _value(constraints.MaxNorm(max_value=2.0, axis=axis)(W))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert (
        np.sqrt((got**2).sum(axis=tuple(axis) if isinstance(axis, list) else axis)) <= 2.0 + 1e-5
    ).all()


def test_unit_norm_min_max_norm_non_neg():
    w = W.astype("float64")
    unit = _value(constraints.UnitNorm(axis=0)(W))
    np.testing.assert_allclose(np.sqrt((unit**2).sum(axis=0)), 1.0, rtol=1e-5)
    norms = _norms(w, 0)
    desired = 0.5 * np.clip(norms, 1.0, 3.0) + 0.5 * norms
    got = _value(constraints.MinMaxNorm(min_value=1.0, max_value=3.0, rate=0.5, axis=0)(W))
    np.testing.assert_allclose(got, w * desired / (EPS + norms), rtol=1e-5)
    np.testing.assert_array_equal(_value(constraints.NonNeg()(W)), np.maximum(w, 0))
    np.testing.assert_array_equal(_value(constraints.Constraint()(W)), w)


@pytest.mark.parametrize(
    "constraint",
    [
        constraints.MaxNorm(3, axis=1),
        constraints.MinMaxNorm(0.5, 2.0, rate=0.3, axis=[0, 1]),
        constraints.NonNeg(),
        constraints.UnitNorm(axis=1),
    ],
    ids=lambda c: type(c).__name__,
)
def test_constraint_config_round_trip(constraint):
    config = constraints.serialize(constraint)
    assert config["module"] == "keras.constraints"
    assert config["class_name"] == type(constraint).__name__
    restored = constraints.deserialize(config)
    assert type(restored) is type(constraint)
    assert restored.get_config() == constraint.get_config()


def test_constraint_defaults_and_get():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {
        "min_value": 0.0,
        "max_value": 1.0,
        "rate": 1.0,
        "axis": 0,
    }
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert isinstance(constraints.get("NonNeg"), constraints.NonNeg)
    assert isinstance(constraints.get("unit_norm"), constraints.UnitNorm)
    assert isinstance(constraints.get("min_max_norm"), constraints.MinMaxNorm)
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)
    assert constraints.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret constraint"):
        constraints.get("positive")
    assert constraints.non_neg is constraints.NonNeg
