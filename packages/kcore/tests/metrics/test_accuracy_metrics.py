import numpy as np
import pytest

from kcore import metrics, ops


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_accuracy_with_weights_and_accumulation():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert value(m.result()) == pytest.approx(0.75)
    m.update_state([[1], [2]], [[1], [0]], sample_weight=[2.0, 2.0])
    assert value(m.result()) == pytest.approx((3 + 2) / 8)
    m.reset_state()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0])
    assert value(m.result()) == pytest.approx(0.5)


def test_binary_accuracy_threshold():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert value(m.result()) == pytest.approx(0.75)
    m = metrics.BinaryAccuracy(threshold=0.7)
    m.update_state([1, 1, 0, 0], [0.98, 0.65, 0.0, 0.6], sample_weight=[1, 0, 0, 1])
    assert value(m.result()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="threshold"):
        metrics.BinaryAccuracy(threshold=1.5)


def test_binary_accuracy_function_is_per_entry():
    result = metrics.binary_accuracy([[1, 0], [1, 1]], [[0.9, 0.8], [0.7, 0.6]])
    np.testing.assert_allclose(value(result), [[1.0, 0.0], [1.0, 1.0]])
    m = metrics.BinaryAccuracy()
    m.update_state([[1, 0], [1, 1]], [[0.9, 0.8], [0.7, 0.6]], sample_weight=[1.0, 3.0])
    assert value(m.result()) == pytest.approx((0.5 + 3.0) / 4.0)


def test_categorical_accuracy():
    y_true = [[0, 0, 1], [0, 1, 0]]
    y_pred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m = metrics.CategoricalAccuracy()
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(0.5)
    m.reset_state()
    m.update_state(y_true, y_pred, sample_weight=[0.7, 0.3])
    assert value(m.result()) == pytest.approx(0.3)


@pytest.mark.parametrize("y_true", [[[2], [1]], [2, 1]])
def test_sparse_categorical_accuracy(y_true):
    y_pred = [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]
    np.testing.assert_allclose(value(metrics.sparse_categorical_accuracy(y_true, y_pred)), [0, 1])
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(y_true, y_pred, sample_weight=[0.7, 0.3])
    assert value(m.result()) == pytest.approx(0.3)


def test_top_k_categorical_accuracy():
    y_true = [[0, 0, 1], [0, 1, 0]]
    y_pred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m = metrics.TopKCategoricalAccuracy(k=1)
    m.update_state(y_true, y_pred, sample_weight=[0.7, 0.3])
    assert value(m.result()) == pytest.approx(0.3)
    m = metrics.TopKCategoricalAccuracy(k=2)
    m.update_state(y_true, y_pred)
    assert value(m.result()) == pytest.approx(1.0)


def test_sparse_top_k_categorical_accuracy_keeps_label_shape():
    y_pred = np.array([[[0.1, 0.9, 0.8], [0.05, 0.95, 0]]], "float32")
    result = metrics.sparse_top_k_categorical_accuracy([[2, 1]], y_pred, k=1)
    np.testing.assert_allclose(value(result), [[0.0, 1.0]])
    m = metrics.SparseTopKCategoricalAccuracy(k=2)
    m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    assert value(m.result()) == pytest.approx(1.0)


def test_sparse_top_k_from_sorted_ids():
    sorted_ids = [[1, 2, 0], [0, 2, 1]]
    m = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    m.update_state([2, 1], sorted_ids)
    assert value(m.result()) == pytest.approx(0.5)
    assert m.get_config()["from_sorted_ids"] is True
    assert "from_sorted_ids" not in metrics.SparseTopKCategoricalAccuracy().get_config()


@pytest.mark.parametrize(
    "metric",
    [
        metrics.Accuracy(name="a"),
        metrics.BinaryAccuracy(threshold=0.3),
        metrics.CategoricalAccuracy(),
        metrics.SparseCategoricalAccuracy(),
        metrics.TopKCategoricalAccuracy(k=3),
        metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True),
    ],
    ids=lambda m: type(m).__name__,
)
def test_accuracy_configs_round_trip(metric):
    config = metric.get_config()
    assert "fn" not in config
    clone = metrics.deserialize(metrics.serialize(metric))
    assert type(clone) is type(metric)
    assert clone.get_config() == config
