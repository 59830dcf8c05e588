"""Each loss against its formula written out in numpy, on small arrays."""

import numpy as np
import pytest

import kcore
from kcore import losses, ops

EPS = 1e-7

Y_TRUE = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]], dtype="float32")
Y_PRED = np.array([[0.2, 0.7, 1.5], [0.9, 0.4, 0.1]], dtype="float32")
PROBS = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]], dtype="float32")
ONE_HOT = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype="float32")
LOGITS = np.array([[1.0, -2.0, 0.5], [0.3, 2.0, -1.0]], dtype="float32")


def np_value(x):
    return ops.convert_to_numpy(x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_np(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


REGRESSION = [
    (losses.mean_squared_error, lambda t, p: np.mean((t - p) ** 2, axis=-1)),
    (losses.mean_absolute_error, lambda t, p: np.mean(np.abs(t - p), axis=-1)),
    (
        losses.mean_absolute_percentage_error,
        lambda t, p: 100 * np.mean(np.abs((t - p) / np.maximum(np.abs(t), EPS)), axis=-1),
    ),
    (
        losses.mean_squared_logarithmic_error,
        lambda t, p: np.mean(
            (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2, axis=-1
        ),
    ),
    (losses.log_cosh, lambda t, p: np.mean(np.log(np.cosh(p - t)), axis=-1)),
    (losses.poisson, lambda t, p: np.mean(p - t * np.log(p + EPS), axis=-1)),
    (
        losses.hinge,
        lambda t, p: np.mean(np.maximum(1 - np.where(t > 0.5, 1.0, -1.0) * p, 0), axis=-1),
    ),
]


@pytest.mark.parametrize("fn, formula", REGRESSION, ids=lambda x: getattr(x, "__name__", ""))
def test_elementwise_losses_match_their_formula(fn, formula):
    y_true = Y_TRUE if fn not in (losses.hinge,) else np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    y_true = y_true.astype("float32")
    np.testing.assert_allclose(np_value(fn(y_true, Y_PRED)), formula(y_true, Y_PRED), rtol=1e-5)


def test_hinge_keeps_minus_one_plus_one_labels_and_squared_hinge_squares():
    y_true = np.array([[-1.0, 1.0], [1.0, -1.0]], dtype="float32")
    y_pred = np.array([[0.3, 0.4], [-0.5, -2.0]], dtype="float32")
    margins = np.maximum(1 - y_true * y_pred, 0)
    np.testing.assert_allclose(np_value(losses.hinge(y_true, y_pred)), margins.mean(-1), 1e-6)
    np.testing.assert_allclose(
        np_value(losses.squared_hinge(y_true, y_pred)), (margins**2).mean(-1), 1e-6
    )


def test_categorical_hinge():
    pos = np.sum(ONE_HOT * Y_PRED, axis=-1)
    neg = np.max((1 - ONE_HOT) * Y_PRED, axis=-1)
    np.testing.assert_allclose(
        np_value(losses.categorical_hinge(ONE_HOT, Y_PRED)), np.maximum(neg - pos + 1, 0), 1e-6
    )


def test_huber_is_quadratic_then_linear():
    delta = 0.5
    error = Y_PRED - Y_TRUE
    expected = np.where(
        np.abs(error) <= delta, 0.5 * error**2, delta * np.abs(error) - 0.5 * delta**2
    ).mean(-1)
    np.testing.assert_allclose(np_value(losses.huber(Y_TRUE, Y_PRED, delta=delta)), expected, 1e-6)
    loss = losses.Huber(delta=delta, reduction="sum")
    np.testing.assert_allclose(float(loss(Y_TRUE, Y_PRED)), expected.sum(), 1e-6)


def test_cosine_similarity_is_minus_the_cosine():
    t = Y_TRUE / np.linalg.norm(Y_TRUE, axis=-1, keepdims=True)
    p = Y_PRED / np.linalg.norm(Y_PRED, axis=-1, keepdims=True)
    np.testing.assert_allclose(
        np_value(losses.cosine_similarity(Y_TRUE, Y_PRED)), -(t * p).sum(-1), rtol=1e-5
    )
    along_batch = losses.CosineSimilarity(axis=0, reduction=None)(Y_TRUE, Y_PRED)
    t0 = Y_TRUE / np.linalg.norm(Y_TRUE, axis=0, keepdims=True)
    p0 = Y_PRED / np.linalg.norm(Y_PRED, axis=0, keepdims=True)
    np.testing.assert_allclose(np_value(along_batch), -(t0 * p0).sum(0), rtol=1e-5)


def test_kl_divergence_clips_both_sides():
    t = np.clip(ONE_HOT, EPS, 1)
    p = np.clip(PROBS, EPS, 1)
    np.testing.assert_allclose(
        np_value(losses.kl_divergence(ONE_HOT, PROBS)), (t * np.log(t / p)).sum(-1), rtol=1e-5
    )


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_binary_crossentropy_probabilities_and_logits(smoothing):
    t = ONE_HOT * (1 - smoothing) + 0.5 * smoothing
    from_probs = losses.binary_crossentropy(ONE_HOT, PROBS, label_smoothing=smoothing)
    np.testing.assert_allclose(np_value(from_probs), bce_np(t, PROBS).mean(-1), rtol=1e-5)
    from_logits = losses.binary_crossentropy(
        ONE_HOT, LOGITS, from_logits=True, label_smoothing=smoothing
    )
    np.testing.assert_allclose(
        np_value(from_logits), bce_np(t, sigmoid(LOGITS)).mean(-1), rtol=1e-5
    )


def test_binary_crossentropy_matches_keras_documented_values():
    y_true = np.array([[0, 1], [0, 0]])
    y_pred = np.array([[-18.6, 0.51], [2.94, -12.8]])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce(y_true, y_pred)) == pytest.approx(0.8654, abs=1e-4)
    assert float(bce(y_true, y_pred, sample_weight=[0.8, 0.2])) == pytest.approx(0.243, abs=1e-3)
    summed = losses.BinaryCrossentropy(from_logits=True, reduction="sum")
    assert float(summed(y_true, y_pred)) == pytest.approx(1.730, abs=1e-3)


@pytest.mark.parametrize("balancing", [False, True])
def test_binary_focal_crossentropy(balancing):
    alpha, gamma = 0.3, 1.5
    p = sigmoid(LOGITS)
    p_t = ONE_HOT * p + (1 - ONE_HOT) * (1 - p)
    expected = (1 - p_t) ** gamma * bce_np(ONE_HOT, p)
    if balancing:
        expected = (ONE_HOT * alpha + (1 - ONE_HOT) * (1 - alpha)) * expected
    loss = losses.binary_focal_crossentropy(
        ONE_HOT, LOGITS, apply_class_balancing=balancing, alpha=alpha, gamma=gamma, from_logits=True
    )
    np.testing.assert_allclose(np_value(loss), expected.mean(-1), rtol=1e-5)


def test_binary_focal_crossentropy_matches_keras_documented_values():
    y_true = np.array([0, 1, 0, 0])
    y_pred = np.array([-18.6, 0.51, 2.94, -12.8])
    loss = losses.BinaryFocalCrossentropy(gamma=2, from_logits=True)
    assert float(loss(y_true, y_pred)) == pytest.approx(0.691, abs=1e-3)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2, from_logits=True)
    assert float(balanced(y_true, y_pred)) == pytest.approx(0.51, abs=1e-2)


@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_categorical_crossentropy(smoothing):
    t = ONE_HOT * (1 - smoothing) + smoothing / 3
    p = np.clip(PROBS / PROBS.sum(-1, keepdims=True), EPS, 1 - EPS)
    np.testing.assert_allclose(
        np_value(losses.categorical_crossentropy(ONE_HOT, PROBS, label_smoothing=smoothing)),
        -(t * np.log(p)).sum(-1),
        rtol=1e-5,
    )
    from_logits = losses.categorical_crossentropy(
        ONE_HOT, LOGITS, from_logits=True, label_smoothing=smoothing
    )
    np.testing.assert_allclose(
        np_value(from_logits), -(t * np.log(softmax(LOGITS))).sum(-1), rtol=1e-5
    )


def test_categorical_crossentropy_along_another_axis():
    loss = losses.categorical_crossentropy(ONE_HOT.T, LOGITS.T, from_logits=True, axis=0)
    np.testing.assert_allclose(
        np_value(loss), -(ONE_HOT * np.log(softmax(LOGITS))).sum(-1), rtol=1e-5
    )


def test_categorical_crossentropy_matches_keras_documented_values():
    y_true = np.array([[0, 1, 0], [0, 0, 1]])
    y_pred = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    cce = losses.CategoricalCrossentropy()
    assert float(cce(y_true, y_pred)) == pytest.approx(1.177, abs=1e-3)
    assert float(cce(y_true, y_pred, sample_weight=np.array([0.3, 0.7]))) == pytest.approx(
        0.814, abs=1e-3
    )


def test_categorical_crossentropy_warns_for_a_single_class():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy([[1.0]], [[0.7]])


def test_categorical_focal_crossentropy():
    alpha, gamma = [0.2, 0.5, 0.3], 2.0
    p = np.clip(softmax(LOGITS), EPS, 1 - EPS)
    expected = (np.array(alpha) * (1 - p) ** gamma * -ONE_HOT * np.log(p)).sum(-1)
    loss = losses.categorical_focal_crossentropy(
        ONE_HOT, LOGITS, alpha=alpha, gamma=gamma, from_logits=True
    )
    np.testing.assert_allclose(np_value(loss), expected, rtol=1e-5)
    keras_example = losses.CategoricalFocalCrossentropy()(
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    )
    assert float(keras_example) == pytest.approx(0.23315276, rel=1e-4)


def test_sparse_categorical_crossentropy_matches_the_one_hot_form():
    labels = np.array([1, 2])
    for from_logits, y_pred in ((False, PROBS), (True, LOGITS)):
        sparse = losses.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits)
        dense = losses.categorical_crossentropy(ONE_HOT, y_pred, from_logits=from_logits)
        np.testing.assert_allclose(np_value(sparse), np_value(dense), rtol=1e-6)
    column = losses.sparse_categorical_crossentropy(labels[:, None], LOGITS, from_logits=True)
    assert tuple(column.shape) == (2,)


def test_dice_and_tversky():
    y_true = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 1.0]], dtype="float32")
    y_pred = np.array([[0.9, 0.2, 0.4, 0.0], [0.6, 0.1, 0.8, 0.3]], dtype="float32")
    inter = (y_true * y_pred).sum(-1)
    dice = 1 - 2 * inter / (y_true.sum(-1) + y_pred.sum(-1) + EPS)
    np.testing.assert_allclose(np_value(losses.dice(y_true, y_pred, axis=(1,))), dice, 1e-5)
    whole = 1 - 2 * inter.sum() / (y_true.sum() + y_pred.sum() + EPS)
    assert float(losses.Dice()(y_true, y_pred)) == pytest.approx(whole, rel=1e-5)
    alpha, beta = 0.7, 0.3
    fp = ((1 - y_pred) * y_true).sum(-1)
    fn = (y_pred * (1 - y_true)).sum(-1)
    tversky = 1 - inter / (inter + alpha * fp + beta * fn + EPS)
    loss = losses.Tversky(alpha=alpha, beta=beta, axis=(1,), reduction=None)(y_true, y_pred)
    np.testing.assert_allclose(np_value(loss), tversky, rtol=1e-5)


def test_dice_matches_keras_documented_values():
    y_true = [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
    y_pred = [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
    per_image = losses.dice(y_true, y_pred, axis=(1, 2, 3))
    np.testing.assert_allclose(np_value(per_image), [0.5, 0.75757575], rtol=1e-5)
    assert float(losses.dice(y_true, y_pred)) == pytest.approx(0.6164384, rel=1e-5)


def test_ctc_of_a_certain_path_is_zero_and_counts_labels_up_to_the_padding():
    # Three steps, classes {blank, a, b}: logits that make "a, b, blank" near certain.
    big = 30.0
    logits = np.full((2, 3, 3), -big, dtype="float32")
    logits[:, 0, 1] = logits[:, 1, 2] = logits[:, 2, 0] = big
    labels = np.array([[1, 2], [1, 0]])
    values = np_value(losses.CTC(reduction=None)(labels, logits))
    assert values[0] == pytest.approx(0.0, abs=1e-4)
    assert values[1] > 10.0  # "a" alone cannot produce "a, b": very unlikely
    assert float(losses.ctc(labels, logits)[0]) == pytest.approx(0.0, abs=1e-4)


def test_losses_compute_in_floatx_and_in_the_dtype_asked_for():
    assert kcore.backend.standardize_dtype(losses.MeanSquaredError()(Y_TRUE, Y_PRED).dtype) == (
        "float32"
    )
    half = losses.MeanSquaredError(dtype="float16")(Y_TRUE, Y_PRED)
    assert kcore.backend.standardize_dtype(half.dtype) == "float16"
    mixed = losses.MeanSquaredError()(Y_TRUE.astype("int32"), Y_PRED.astype("float64"))
    assert kcore.backend.standardize_dtype(mixed.dtype) == "float32"
