import numpy as np
import pytest

import kcore
from kcore import metrics, ops

RNG = np.random.default_rng(1)
PROBS = RNG.random((8, 3)).astype("float32")
LABELS = (RNG.random((8, 3)) > 0.5).astype("float32")
WEIGHTS = RNG.random((8,)).astype("float32")


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("mse", metrics.MeanSquaredError),
        ("auc", metrics.AUC),
        ("AUC", metrics.AUC),
        ("precision", metrics.Precision),
        ("recall", metrics.Recall),
        ("Recall", metrics.Recall),
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
        ("bce", metrics.BinaryCrossentropy),
        ("f1_score", metrics.F1Score),
        ("r2_score", metrics.R2Score),
        ("kl_divergence", metrics.KLDivergence),
    ],
)
def test_get_by_name_returns_a_new_instance(identifier, cls):
    metric = metrics.get(identifier)
    assert type(metric) is cls
    assert metrics.get(identifier) is not metric


def test_get_other_identifiers():
    assert metrics.get(None) is None
    instance = metrics.Mean()
    assert metrics.get(instance) is instance
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert type(metrics.get(metrics.Sum)) is metrics.Sum
    config = {"class_name": "BinaryAccuracy", "config": {"threshold": 0.2}}
    assert metrics.get(config).threshold == 0.2
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("no_such_metric")


def test_serialize_uses_keras_modules():
    config = metrics.serialize(metrics.Precision(thresholds=0.3, name="p"))
    assert config == {
        "module": "keras.metrics",
        "class_name": "Precision",
        "config": {
            "name": "p",
            "dtype": "float32",
            "thresholds": 0.3,
            "top_k": None,
            "class_id": None,
        },
        "registered_name": None,
    }
    assert metrics.serialize(metrics.binary_accuracy)["config"] == "binary_accuracy"


def test_custom_metric_round_trips_with_custom_objects():
    @kcore.saving.register_keras_serializable(package="tests")
    class Total(metrics.Sum):
        pass

    config = metrics.serialize(Total(name="t"))
    assert config["registered_name"] == "tests>Total"
    assert isinstance(metrics.deserialize(config), Total)


def build(make):
    metric = make()
    metric.update_state(LABELS, PROBS)  # builds metrics whose variables follow the data
    metric.reset_state()
    return metric


CASES = {
    "Mean": (lambda: metrics.Mean(), lambda: (PROBS,)),
    "BinaryAccuracy": (lambda: metrics.BinaryAccuracy(), lambda: (LABELS, PROBS)),
    "CategoricalAccuracy": (lambda: metrics.CategoricalAccuracy(), lambda: (LABELS, PROBS)),
    "TopK": (lambda: metrics.TopKCategoricalAccuracy(k=2), lambda: (LABELS, PROBS)),
    "Precision": (lambda: metrics.Precision(thresholds=[0.2, 0.6]), lambda: (LABELS, PROBS)),
    "RecallTopK": (lambda: metrics.Recall(top_k=2), lambda: (LABELS, PROBS)),
    "AUC": (lambda: metrics.AUC(num_thresholds=20), lambda: (LABELS, PROBS)),
    "AUCMultiLabel": (
        lambda: metrics.AUC(curve="PR", multi_label=True),
        lambda: (LABELS, PROBS),
    ),
    "TNExplicit": (lambda: metrics.TrueNegatives([0.1, 0.35]), lambda: (LABELS, PROBS)),
    "SensitivityAtSpecificity": (
        lambda: metrics.SensitivityAtSpecificity(0.4, num_thresholds=30),
        lambda: (LABELS, PROBS),
    ),
    "F1Score": (lambda: metrics.F1Score(average="weighted"), lambda: (LABELS, PROBS)),
    "R2Score": (lambda: metrics.R2Score(num_regressors=1), lambda: (LABELS, PROBS)),
    "RMSE": (lambda: metrics.RootMeanSquaredError(), lambda: (LABELS, PROBS)),
    "MeanIoU": (
        lambda: metrics.OneHotMeanIoU(num_classes=3),
        lambda: (LABELS, PROBS),
    ),
    "MSE": (lambda: metrics.MeanSquaredError(), lambda: (LABELS, PROBS)),
    "BCE": (lambda: metrics.BinaryCrossentropy(), lambda: (LABELS, PROBS)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_stateless_update_matches_eager_update(case):
    make, data = CASES[case]
    eager = build(make)
    eager.update_state(*data(), sample_weight=WEIGHTS)
    eager.update_state(*data())
    metric = build(make)

    def step(state, y_true_or_values, *rest, sample_weight=None):
        return metric.stateless_update_state(
            state, y_true_or_values, *rest, sample_weight=sample_weight
        )

    compiled = kcore.backend.bound.jit(step)
    state = metric.stateless_reset_state()
    args = [ops.convert_to_tensor(x) for x in data()]
    state = compiled(state, *args, sample_weight=ops.convert_to_tensor(WEIGHTS))
    state = compiled(state, *args)
    result = kcore.backend.bound.jit(metric.stateless_result)(state)
    np.testing.assert_allclose(value(result), value(eager.result()), rtol=1e-5, atol=1e-6)
    assert all(not value(v).any() for v in metric.variables)
