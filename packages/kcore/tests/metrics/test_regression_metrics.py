import numpy as np
import pytest

from kcore import metrics, ops

Y_TRUE = np.array([[0.0, 1.0], [2.0, 0.5], [1.5, 3.0]], "float32")
Y_PRED = np.array([[1.0, 1.0], [1.0, 0.0], [2.0, 2.5]], "float32")
WEIGHTS = np.array([1.0, 0.5, 2.0], "float32")


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def weighted_mean(per_sample, weights=WEIGHTS):
    return np.sum(per_sample * weights) / np.sum(weights)


REFERENCES = {
    "MeanSquaredError": lambda t, p: np.mean((t - p) ** 2, -1),
    "MeanAbsoluteError": lambda t, p: np.mean(np.abs(t - p), -1),
    "MeanAbsolutePercentageError": lambda t, p: (
        100 * np.mean(np.abs((t - p) / np.maximum(np.abs(t), 1e-7)), -1)
    ),
    "MeanSquaredLogarithmicError": lambda t, p: np.mean((np.log1p(t) - np.log1p(p)) ** 2, -1),
    "LogCoshError": lambda t, p: np.mean(np.log(np.cosh(p - t)), -1),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_mean_error_metrics_match_formulas(name):
    m = getattr(metrics, name)()
    m.update_state(Y_TRUE[:1], Y_PRED[:1], sample_weight=WEIGHTS[:1])
    m.update_state(Y_TRUE[1:], Y_PRED[1:], sample_weight=WEIGHTS[1:])
    expected = weighted_mean(REFERENCES[name](Y_TRUE, Y_PRED))
    assert value(m.result()) == pytest.approx(expected, rel=1e-4)
    assert m.get_config() == {"name": m.name, "dtype": "float32"}
    m.reset_state()
    assert value(m.result()) == 0.0


def test_short_names_resolve_to_the_classes():
    assert type(metrics.get("mse")) is metrics.MeanSquaredError
    assert type(metrics.get("MAE")) is metrics.MeanAbsoluteError
    assert type(metrics.get("mape")) is metrics.MeanAbsolutePercentageError
    assert type(metrics.get("msle")) is metrics.MeanSquaredLogarithmicError
    assert metrics.get("mse").name == "mean_squared_error"


def test_root_mean_squared_error():
    m = metrics.RootMeanSquaredError()
    m.update_state(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    expected = np.sqrt(weighted_mean(np.mean((Y_TRUE - Y_PRED) ** 2, -1)))
    assert value(m.result()) == pytest.approx(expected, rel=1e-5)


def test_cosine_similarity():
    m = metrics.CosineSimilarity(axis=1)
    m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], sample_weight=[0.3, 0.7])
    assert value(m.result()) == pytest.approx(0.7, rel=1e-5)
    assert m.get_config() == {"name": "cosine_similarity", "dtype": "float32", "axis": 1}


def r2_reference(y_true, y_pred, aggregation, weights=None):
    w = np.ones_like(y_true) if weights is None else np.broadcast_to(weights[:, None], y_true.shape)
    mean = np.sum(w * y_true, 0) / np.sum(w, 0)
    ss_tot = np.sum(w * (y_true - mean) ** 2, 0)
    ss_res = np.sum(w * (y_true - y_pred) ** 2, 0)
    raw = 1 - ss_res / ss_tot
    if aggregation == "uniform_average":
        return raw.mean()
    if aggregation == "variance_weighted_average":
        return np.sum(ss_tot * raw) / np.sum(ss_tot)
    return raw


@pytest.mark.parametrize("aggregation", [None, "uniform_average", "variance_weighted_average"])
def test_r2_score_matches_reference(aggregation):
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(Y_TRUE[:2], Y_PRED[:2], sample_weight=WEIGHTS[:2])
    m.update_state(Y_TRUE[2:], Y_PRED[2:], sample_weight=WEIGHTS[2:])
    expected = r2_reference(Y_TRUE, Y_PRED, aggregation, WEIGHTS)
    np.testing.assert_allclose(value(m.result()), expected, rtol=1e-4)


def test_adjusted_r2_and_its_fallback():
    y_true = np.array([[1.0], [4.0], [3.0], [2.0], [5.0]], "float32")
    y_pred = np.array([[2.0], [4.0], [4.0], [2.5], [4.0]], "float32")
    r2 = r2_reference(y_true, y_pred, "uniform_average")
    m = metrics.R2Score(num_regressors=2)
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(1 - (1 - r2) * 4 / 2, rel=1e-5)
    m = metrics.R2Score(num_regressors=10)
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(r2, rel=1e-5)


def test_r2_score_errors_and_config():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))
    config = metrics.R2Score(num_regressors=1).get_config()
    assert config == {
        "name": "r2_score",
        "dtype": "float32",
        "class_aggregation": "uniform_average",
        "num_regressors": 1,
    }


PROBABILISTIC = [
    (
        metrics.BinaryCrossentropy(),
        [[0.0, 1.0], [0.0, 0.0]],
        [[0.6, 0.4], [0.4, 0.6]],
        lambda t, p: -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p), -1),
    ),
    (
        metrics.CategoricalCrossentropy(),
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]],
        lambda t, p: -np.sum(t * np.log(np.clip(p, 1e-7, 1)), -1),
    ),
    (
        metrics.KLDivergence(),
        [[0.0, 1.0], [1.0, 0.0]],
        [[0.6, 0.4], [0.4, 0.6]],
        lambda t, p: np.sum(t * np.log(np.clip(t, 1e-7, 1) / p), -1),
    ),
    (
        metrics.Poisson(),
        [[4.0, 1.0], [5.0, 2.0]],
        [[2.0, 1.5], [3.0, 1.0]],
        lambda t, p: np.mean(p - t * np.log(p + 1e-7), -1),
    ),
    (
        metrics.Hinge(),
        [[0.0, 1.0], [0.0, 0.0]],
        [[0.6, 0.4], [0.4, 0.6]],
        lambda t, p: np.mean(np.maximum(1 - (2 * t - 1) * p, 0), -1),
    ),
]


@pytest.mark.parametrize("metric, y_true, y_pred, formula", PROBABILISTIC)
def test_loss_metrics_match_formulas(metric, y_true, y_pred, formula):
    metric.update_state(y_true, y_pred)
    expected = np.mean(formula(np.array(y_true), np.array(y_pred)))
    assert value(metric.result()) == pytest.approx(expected, rel=1e-4)
    clone = type(metric).from_config(metric.get_config())
    assert clone.get_config() == metric.get_config()


def test_sparse_categorical_crossentropy_metric_from_logits():
    logits = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], "float32")
    m = metrics.SparseCategoricalCrossentropy(from_logits=True)
    m.update_state([1, 2], logits)
    log_probs = logits - np.log(np.sum(np.exp(logits), -1, keepdims=True))
    expected = -np.mean([log_probs[0, 1], log_probs[1, 2]])
    assert value(m.result()) == pytest.approx(expected, rel=1e-5)
    assert m.get_config() == {
        "name": "sparse_categorical_crossentropy",
        "dtype": "float32",
        "from_logits": True,
        "axis": -1,
    }


def test_loss_functions_are_reexported():
    from kcore import losses

    assert metrics.mean_squared_error is losses.mean_squared_error
    assert metrics.binary_crossentropy is losses.binary_crossentropy
    with pytest.raises(AttributeError):
        metrics.no_such_metric  # noqa: B018
