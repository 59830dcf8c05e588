import numpy as np
import pytest

from kcore import metrics, ops

EPS = 1e-7
RNG = np.random.default_rng(0)
Y_TRUE = (RNG.random((6, 3)) > 0.5).astype("float32")
Y_PRED = RNG.random((6, 3)).astype("float32")
WEIGHTS = RNG.random((6,)).astype("float32")


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def counts(y_true, y_pred, thresholds, weights=None):
    """tp, fp, tn, fn per threshold, counted directly."""
    y_true = np.asarray(y_true, "float64").reshape(len(y_true), -1)
    y_pred = np.asarray(y_pred, "float64").reshape(len(y_pred), -1)
    w = (
        np.ones_like(y_true)
        if weights is None
        else np.broadcast_to(np.asarray(weights, "float64").reshape(-1, 1), y_true.shape)
    )
    result = []
    for t in thresholds:
        pos = y_pred > t
        result.append(
            [
                np.sum(w * (y_true == 1) * pos),
                np.sum(w * (y_true == 0) * pos),
                np.sum(w * (y_true == 0) * ~pos),
                np.sum(w * (y_true == 1) * ~pos),
            ]
        )
    return np.array(result).T


@pytest.mark.parametrize(
    "cls, row",
    [
        (metrics.TruePositives, 0),
        (metrics.FalsePositives, 1),
        (metrics.TrueNegatives, 2),
        (metrics.FalseNegatives, 3),
    ],
)
@pytest.mark.parametrize("thresholds", [None, [0.2, 0.7], [0.0, 0.5, 1.0]])
def test_condition_counts_match_direct_counting(cls, row, thresholds):
    m = cls(thresholds=thresholds)
    m.update_state(Y_TRUE[:3], Y_PRED[:3], sample_weight=WEIGHTS[:3])
    m.update_state(Y_TRUE[3:], Y_PRED[3:], sample_weight=WEIGHTS[3:])
    expected = counts(Y_TRUE, Y_PRED, thresholds or [0.5], WEIGHTS)[row]
    np.testing.assert_allclose(
        value(m.result()), expected if thresholds else expected[0], 1e-5, 1e-5
    )
    m.reset_state()
    np.testing.assert_allclose(value(m.result()), 0.0)


def test_evenly_spaced_thresholds_count_predictions_at_zero_like_the_others():
    thresholds = [0.0, 0.5, 1.0]
    y_pred = np.array([0.0, 0.5, 0.7, 1.0, 0.2], "float32")
    y_true = np.array([1, 0, 1, 1, 0], "float32")
    m = metrics.TruePositives(thresholds=thresholds)
    m.update_state(y_true, y_pred)
    np.testing.assert_allclose(value(m.result()), counts(y_true, y_pred, thresholds)[0])


@pytest.mark.parametrize("cls, other", [(metrics.Precision, 1), (metrics.Recall, 3)])
def test_precision_and_recall_match_counting(cls, other):
    m = cls(thresholds=[0.3, 0.6])
    m.update_state(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    c = counts(Y_TRUE, Y_PRED, [0.3, 0.6], WEIGHTS)
    np.testing.assert_allclose(value(m.result()), c[0] / (c[0] + c[other]), 1e-5)


def test_precision_docstring_values():
    m = metrics.Precision()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert value(m.result()) == pytest.approx(2 / 3)
    m.reset_state()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert value(m.result()) == pytest.approx(1.0)


def test_precision_top_k_and_class_id():
    y_true = np.array([[0, 0, 1, 1], [1, 0, 0, 1]], "float32")
    y_pred = np.array([[0.1, 0.2, 0.9, 0.3], [0.8, 0.7, 0.1, 0.2]], "float32")
    top2 = metrics.Precision(top_k=2)
    top2.update_state(y_true, y_pred)
    # Top 2 of row 0: classes 2, 3 (both true); row 1: classes 0 (true), 1 (false).
    assert value(top2.result()) == pytest.approx(3 / 4)
    recall = metrics.Recall(class_id=1, thresholds=0.5)
    recall.update_state(y_true, y_pred)
    assert value(recall.result()) == 0.0
    recall = metrics.Recall(class_id=3, thresholds=0.25)
    recall.update_state(y_true, y_pred)
    assert value(recall.result()) == pytest.approx(0.5)


def test_precision_rejects_thresholds_outside_unit_interval():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 1.5])


def test_precision_config_round_trip():
    m = metrics.Precision(thresholds=[0.3, 0.6], top_k=2, class_id=1, name="p")
    config = m.get_config()
    assert config == {
        "name": "p",
        "dtype": "float32",
        "thresholds": [0.3, 0.6],
        "top_k": 2,
        "class_id": 1,
    }
    assert metrics.Precision.from_config(config).get_config() == config


def rates(y_true, y_pred, thresholds, weights=None):
    tp, fp, tn, fn = counts(y_true, y_pred, thresholds, weights)
    div = lambda a, b: np.divide(a, b, out=np.zeros_like(a), where=b != 0)  # noqa: E731
    return div(tp, tp + fn), div(fp, fp + tn), div(tp, tp + fp)


def auc_thresholds(num):
    return [-EPS] + [(i + 1) / (num - 1) for i in range(num - 2)] + [1 + EPS]


@pytest.mark.parametrize("num_thresholds", [3, 50])
def test_roc_auc_matches_trapezoids(num_thresholds):
    m = metrics.AUC(num_thresholds=num_thresholds)
    m.update_state(Y_TRUE[:3], Y_PRED[:3], sample_weight=WEIGHTS[:3])
    m.update_state(Y_TRUE[3:], Y_PRED[3:], sample_weight=WEIGHTS[3:])
    tpr, fpr, _ = rates(Y_TRUE, Y_PRED, auc_thresholds(num_thresholds), WEIGHTS)
    expected = np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)
    assert value(m.result()) == pytest.approx(expected, abs=1e-5)


def test_roc_auc_approaches_the_exact_pairwise_value():
    y_true = np.array([0, 0, 1, 1, 1, 0], "float32")
    y_pred = np.array([0.1, 0.45, 0.3, 0.9, 0.6, 0.7], "float32")
    pos, neg = y_pred[y_true == 1], y_pred[y_true == 0]
    exact = np.mean(pos[:, None] > neg[None, :])
    m = metrics.AUC(num_thresholds=1000)
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(exact, abs=1e-3)


def test_auc_docstring_values():
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert value(m.result()) == pytest.approx(0.75)
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
    assert value(m.result()) == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["minoring", "majoring"])
def test_pr_auc_riemann_sums(method):
    thresholds = [0.25, 0.5, 0.75]
    m = metrics.AUC(curve="PR", summation_method=method, thresholds=thresholds)
    m.update_state(Y_TRUE, Y_PRED)
    recall, _, precision = rates(Y_TRUE, Y_PRED, [-EPS, *thresholds, 1 + EPS])
    pick = np.minimum if method == "minoring" else np.maximum
    expected = np.sum((recall[:-1] - recall[1:]) * pick(precision[:-1], precision[1:]))
    assert value(m.result()) == pytest.approx(expected, abs=1e-5)


def test_pr_auc_interpolation_is_close_to_average_precision():
    y_true = np.array([0, 0, 1, 1, 1, 0, 1, 0], "float32")
    y_pred = np.array([0.1, 0.45, 0.3, 0.9, 0.6, 0.7, 0.8, 0.2], "float32")
    order = np.argsort(-y_pred)
    hits = y_true[order]
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    average_precision = np.sum(precision_at * hits) / hits.sum()
    m = metrics.AUC(curve="PR", num_thresholds=500)
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(average_precision, abs=0.05)


def test_multi_label_auc_averages_label_aucs():
    m = metrics.AUC(num_thresholds=20, multi_label=True, label_weights=[1.0, 2.0, 0.0])
    m.update_state(Y_TRUE, Y_PRED)
    assert m.true_positives.shape == (20, 3)
    per_label = []
    for j in range(3):
        tpr, fpr, _ = rates(Y_TRUE[:, j], Y_PRED[:, j], auc_thresholds(20))
        per_label.append(np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2))
    expected = (per_label[0] + 2 * per_label[1]) / 3
    assert value(m.result()) == pytest.approx(expected, abs=1e-5)


def test_auc_from_logits_equals_auc_of_probabilities():
    logits = np.log(Y_PRED / (1 - Y_PRED))
    a, b = metrics.AUC(from_logits=True), metrics.AUC()
    a.update_state(Y_TRUE, logits)
    b.update_state(Y_TRUE, Y_PRED)
    assert value(a.result()) == pytest.approx(value(b.result()), abs=1e-5)


def test_auc_config_round_trip():
    m = metrics.AUC(thresholds=[0.3, 0.6], curve="pr", summation_method="majoring", name="a")
    config = m.get_config()
    assert config["thresholds"] == pytest.approx([0.3, 0.6])
    assert config["curve"] == "PR" and config["num_thresholds"] == 4
    clone = metrics.deserialize(metrics.serialize(m))
    assert clone.thresholds == pytest.approx(m.thresholds)
    assert clone.get_config() == config


def test_auc_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XY")
    with pytest.raises(ValueError, match="num_labels"):
        metrics.AUC(num_labels=3)


def at_value(constrained, dependent, floor):
    feasible = constrained >= floor
    return dependent[feasible].max() if feasible.any() else 0.0


@pytest.mark.parametrize(
    "cls, floor, pick",
    [
        (metrics.SensitivityAtSpecificity, 0.5, lambda s, f, p: (1 - f, s)),
        (metrics.SpecificityAtSensitivity, 0.5, lambda s, f, p: (s, 1 - f)),
        (metrics.PrecisionAtRecall, 0.6, lambda s, f, p: (s, p)),
        (metrics.RecallAtPrecision, 0.6, lambda s, f, p: (p, s)),
    ],
)
def test_value_at_constraint_metrics(cls, floor, pick):
    m = cls(floor, num_thresholds=11)
    m.update_state(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    thresholds = [i / 10 for i in range(11)]
    sensitivity, fpr, precision = rates(Y_TRUE, Y_PRED, thresholds, WEIGHTS)
    constrained, dependent = pick(sensitivity, fpr, precision)
    assert value(m.result()) == pytest.approx(at_value(constrained, dependent, floor), abs=1e-5)
    config = m.get_config()
    assert config["num_thresholds"] == 11
    assert cls.from_config(config).get_config() == config


def test_value_at_constraint_docstring_values():
    m = metrics.SensitivityAtSpecificity(0.5)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], sample_weight=[1, 1, 2, 2, 1])
    assert value(m.result()) == pytest.approx(1 / 3, abs=1e-5)
    m = metrics.PrecisionAtRecall(0.5)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], sample_weight=[2, 2, 2, 1, 1])
    assert value(m.result()) == pytest.approx(1 / 3, abs=1e-5)
    with pytest.raises(ValueError, match="recall"):
        metrics.PrecisionAtRecall(1.5)
