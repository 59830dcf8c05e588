import numpy as np
import pytest

from kcore import metrics, ops


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def iou_reference(y_true, y_pred, num_classes, target_ids, weights=None):
    cm = np.zeros((num_classes, num_classes))
    weights = np.ones(len(y_true)) if weights is None else weights
    for t, p, w in zip(y_true, y_pred, weights):
        cm[t, p] += w
    tp = np.diag(cm)
    denominator = cm.sum(0) + cm.sum(1) - tp
    ious = [tp[i] / denominator[i] for i in target_ids if denominator[i] > 0]
    return np.mean(ious)


Y_TRUE = np.array([0, 0, 1, 1, 2, 2, 1])
Y_PRED = np.array([0, 1, 0, 1, 2, 1, 1])
WEIGHTS = np.array([0.3, 0.3, 0.3, 0.1, 1.0, 0.5, 2.0])


@pytest.mark.parametrize("target_ids", [[0], [0, 2], [0, 1, 2]])
def test_iou_matches_reference(target_ids):
    m = metrics.IoU(num_classes=3, target_class_ids=target_ids)
    m.update_state(Y_TRUE[:4], Y_PRED[:4], sample_weight=WEIGHTS[:4])
    m.update_state(Y_TRUE[4:], Y_PRED[4:], sample_weight=WEIGHTS[4:])
    expected = iou_reference(Y_TRUE, Y_PRED, 3, target_ids, WEIGHTS)
    assert value(m.result()) == pytest.approx(expected, rel=1e-5)
    m.reset_state()
    assert value(m.result()) == 0.0


def test_mean_iou_skips_absent_classes_and_ignores_a_class():
    m = metrics.MeanIoU(num_classes=4, ignore_class=2)
    m.update_state(Y_TRUE, Y_PRED)
    keep = Y_TRUE != 2
    expected = iou_reference(Y_TRUE[keep], Y_PRED[keep], 4, range(4))
    assert value(m.result()) == pytest.approx(expected, rel=1e-5)


def test_binary_iou_thresholds_predictions():
    m = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    assert value(m.result()) == pytest.approx(0.17361112, rel=1e-5)


def test_one_hot_ious():
    y_true = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    y_pred = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    weights = [0.1, 0.2, 0.3, 0.4]
    m = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    m.update_state(y_true, y_pred, sample_weight=weights)
    assert value(m.result()) == pytest.approx((0 + 0.1 / 0.7) / 2, rel=1e-4)
    m = metrics.OneHotMeanIoU(num_classes=3)
    m.update_state(y_true, y_pred, sample_weight=weights)
    assert value(m.result()) == pytest.approx((0.1 / 0.7) / 3, rel=1e-4)


def test_iou_rejects_out_of_range_targets():
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])


@pytest.mark.parametrize(
    "metric",
    [
        metrics.IoU(num_classes=3, target_class_ids=[1], ignore_class=0),
        metrics.BinaryIoU(target_class_ids=[1], threshold=0.4),
        metrics.MeanIoU(num_classes=3, sparse_y_pred=False),
        metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 1]),
        metrics.OneHotMeanIoU(num_classes=3),
    ],
    ids=lambda m: type(m).__name__,
)
def test_iou_configs_round_trip(metric):
    clone = metrics.deserialize(metrics.serialize(metric))
    assert type(clone) is type(metric)
    assert clone.get_config() == metric.get_config()
