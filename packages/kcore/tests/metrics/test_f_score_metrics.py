import numpy as np
import pytest

from kcore import metrics, ops

Y_TRUE = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], "float32")
Y_PRED = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], "float32")


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def reference(average, beta, threshold, weights=None):
    pred = (Y_PRED > threshold) if threshold else (Y_PRED == Y_PRED.max(-1, keepdims=True))
    pred = pred.astype("float64")
    w = np.ones((3, 1)) if weights is None else np.asarray(weights, "float64")[:, None]
    axis = None if average == "micro" else 0
    tp = np.sum(pred * Y_TRUE * w, axis=axis)
    fp = np.sum(pred * (1 - Y_TRUE) * w, axis=axis)
    fn = np.sum((1 - pred) * Y_TRUE * w, axis=axis)
    support = np.sum(Y_TRUE * w, axis=axis)
    precision, recall = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
    b2 = beta**2
    score = (1 + b2) * precision * recall / (b2 * precision + recall + 1e-7)
    if average == "weighted":
        return np.sum(score * support / support.sum())
    if average is not None:
        return np.mean(score)
    return score


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [1.0, 2.0])
@pytest.mark.parametrize("threshold", [None, 0.5])
def test_fbeta_matches_reference(average, beta, threshold):
    m = metrics.FBetaScore(average=average, beta=beta, threshold=threshold)
    m.update_state(Y_TRUE[:2], Y_PRED[:2])
    m.update_state(Y_TRUE[2:], Y_PRED[2:])
    np.testing.assert_allclose(value(m.result()), reference(average, beta, threshold), 1e-5)


def test_f1_with_sample_weight_and_reset():
    m = metrics.F1Score(average="macro", threshold=0.5)
    weights = [0.5, 1.0, 2.0]
    m.update_state(Y_TRUE, Y_PRED, sample_weight=weights)
    assert value(m.result()) == pytest.approx(reference("macro", 1.0, 0.5, weights), rel=1e-5)
    m.reset_state()
    np.testing.assert_allclose(value(m.result()), 0.0)


def test_f1_docstring_values():
    m = metrics.F1Score(threshold=0.5)
    m.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(value(m.result()), [0.5, 0.8, 0.6666667], 1e-5)


def test_fbeta_builds_from_first_shapes_and_checks_rank():
    m = metrics.FBetaScore()
    assert m.variables == []
    m.update_state(Y_TRUE, Y_PRED)
    assert [v.shape for v in m.variables] == [(3,)] * 4
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score().update_state([1.0, 0.0], [0.5, 0.5])


def test_fbeta_argument_errors():
    with pytest.raises(ValueError, match="average"):
        metrics.FBetaScore(average="sum")
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta=1)
    with pytest.raises(ValueError, match="threshold"):
        metrics.FBetaScore(threshold=1.5)


def test_f_score_configs():
    config = metrics.F1Score(average="micro", threshold=0.4, name="f1").get_config()
    assert config == {"name": "f1", "dtype": "float32", "average": "micro", "threshold": 0.4}
    assert metrics.F1Score.from_config(config).get_config() == config
    config = metrics.FBetaScore(beta=2.0).get_config()
    assert config["beta"] == 2.0 and config["name"] == "fbeta_score"
