"""The `Loss` machinery: reductions, sample weights, masks, shapes, configs, `get`, gradients."""

import json

import numpy as np
import pytest

import kcore
from kcore import losses, ops

Y_TRUE = np.array([1.0, 0.0, 1.0, 0.0], dtype="float32")
Y_PRED = np.array([0.1, 0.2, 0.3, 0.4], dtype="float32")
SQUARES = (Y_TRUE - Y_PRED) ** 2


class SquaredError(losses.Loss):
    def call(self, y_true, y_pred):
        return ops.square(y_true - y_pred)


def np_value(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize(
    "reduction, expected",
    [
        (None, SQUARES),
        ("none", SQUARES),
        ("sum", SQUARES.sum()),
        ("sum_over_batch_size", SQUARES.mean()),
        ("mean", SQUARES.mean()),
        ("mean_with_sample_weight", SQUARES.mean()),
    ],
)
def test_each_reduction(reduction, expected):
    loss = SquaredError(reduction=reduction)(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(np_value(loss), expected, rtol=1e-6)
    assert kcore.backend.standardize_dtype(loss.dtype) == "float32"


def test_an_unknown_reduction_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`.*'auto'"):
        SquaredError(reduction="auto")


@pytest.mark.parametrize(
    "reduction, expected",
    [
        ("sum", lambda w: np.sum(w * SQUARES)),
        ("sum_over_batch_size", lambda w: np.sum(w * SQUARES) / 4),
        ("mean_with_sample_weight", lambda w: np.sum(w * SQUARES) / np.sum(w)),
        (None, lambda w: w * SQUARES),
    ],
)
def test_sample_weight_scales_each_loss_value(reduction, expected):
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    loss = SquaredError(reduction=reduction)(Y_TRUE, Y_PRED, sample_weight=weights)
    np.testing.assert_allclose(np_value(loss), expected(weights), rtol=1e-6)


def test_zero_sample_weights_give_zero_not_nan():
    zeros = np.zeros(4)
    for reduction in ("sum_over_batch_size", "mean_with_sample_weight"):
        loss = SquaredError(reduction=reduction)(Y_TRUE, Y_PRED, sample_weight=zeros)
        assert float(loss) == 0.0


def test_sample_weight_with_a_trailing_axis_of_one_is_squeezed():
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    flat = SquaredError()(Y_TRUE, Y_PRED, sample_weight=weights)
    column = SquaredError()(Y_TRUE, Y_PRED, sample_weight=weights[:, None])
    np.testing.assert_allclose(np_value(flat), np_value(column), rtol=1e-6)


def test_per_sample_weight_broadcasts_over_a_per_timestep_loss():
    y_true = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], dtype="float32")
    y_pred = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], dtype="float32")
    loss = losses.MeanSquaredError(reduction="sum")
    expected = 0.5 * (2 / 3) + 2.0 * 1.0
    assert float(loss(y_true, y_pred, sample_weight=[0.5, 2.0])) == pytest.approx(expected)


def test_float64_weights_and_int_targets_keep_the_loss_dtype():
    weights = np.array([0.4, 0.3, 0.2, 0.1], dtype="float64")
    loss = SquaredError()(Y_TRUE.astype("int32"), Y_PRED, sample_weight=weights)
    assert kcore.backend.standardize_dtype(loss.dtype) == "float32"
    assert float(loss) == pytest.approx(np.sum(weights * SQUARES) / 4, rel=1e-6)


def test_the_loss_dtype_argument_sets_the_compute_dtype():
    loss = SquaredError(dtype="float16")(Y_TRUE, Y_PRED)
    assert kcore.backend.standardize_dtype(loss.dtype) == "float16"
    assert losses.MeanSquaredError(dtype="float16").dtype == "float16"


def test_targets_of_shape_n_pair_with_predictions_of_shape_n_1():
    mse = losses.MeanSquaredError(reduction=None)
    flat = mse(Y_TRUE, Y_PRED[:, None])
    assert tuple(flat.shape) == (4,)
    np.testing.assert_allclose(np_value(flat), SQUARES, rtol=1e-6)
    swapped = mse(Y_TRUE[:, None], Y_PRED)
    np.testing.assert_allclose(np_value(swapped), SQUARES, rtol=1e-6)
    bce = losses.BinaryCrossentropy(reduction=None)
    assert tuple(bce(Y_TRUE, Y_PRED[:, None]).shape) == (4,)


def test_sparse_targets_with_a_trailing_axis_of_one():
    y_pred = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype="float32")
    scce = losses.SparseCategoricalCrossentropy(reduction=None)
    flat = np_value(scce(np.array([0, 2]), y_pred))
    column = np_value(scce(np.array([[0], [2]]), y_pred))
    np.testing.assert_allclose(flat, column)
    np.testing.assert_allclose(flat, -np.log([0.7, 0.8]), rtol=1e-5)


@pytest.mark.parametrize(
    "loss, y_true_shape, y_pred_shape",
    [
        (losses.MeanSquaredError(), (2, 3), (2, 4)),
        (losses.Huber(), (4, 2), (3, 2)),
        (losses.BinaryCrossentropy(), (2, 3), (2, 1, 3)),
        (losses.CategoricalCrossentropy(), (2, 3), (2, 4)),
        (losses.SparseCategoricalCrossentropy(), (3,), (2, 4)),
        (losses.CTC(), (2, 3, 4), (2, 5, 4)),
    ],
    ids=lambda x: type(x).__name__ if isinstance(x, losses.Loss) else str(x),
)
def test_mismatched_shapes_raise_naming_the_loss_and_both_shapes(loss, y_true_shape, y_pred_shape):
    name = type(loss).__name__
    with pytest.raises(ValueError, match=name) as info:
        loss(np.zeros(y_true_shape), np.full(y_pred_shape, 0.5))
    message = str(info.value)
    assert str(y_true_shape) in message and str(y_pred_shape) in message


def test_the_function_form_names_itself_in_the_shape_error():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(2, 3\).*\(2, 4\)"):
        losses.mean_squared_error(np.zeros((2, 3)), np.zeros((2, 4)))


def test_ignore_class_masks_entries_out_of_sum_and_count():
    y_true = np.array([[0, 1], [2, -1]])
    y_pred = np.array(
        [
            [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]],
            [[0.2, 0.3, 0.5], [0.3, 0.3, 0.4]],
        ],
        dtype="float32",
    )
    kept = -np.log([0.7, 0.6, 0.5])
    per_entry = losses.sparse_categorical_crossentropy(y_true, y_pred, ignore_class=-1)
    np.testing.assert_allclose(np_value(per_entry), [[kept[0], kept[1]], [kept[2], 0.0]], 1e-5)
    mean = losses.SparseCategoricalCrossentropy(ignore_class=-1)(y_true, y_pred)
    assert float(mean) == pytest.approx(kept.mean(), rel=1e-5)
    total = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="sum")
    assert float(total(y_true, y_pred)) == pytest.approx(kept.sum(), rel=1e-5)
    weighted = losses.SparseCategoricalCrossentropy(ignore_class=-1)(
        y_true, y_pred, sample_weight=np.array([[1.0, 2.0], [3.0, 4.0]])
    )
    assert float(weighted) == pytest.approx((kept * [1, 2, 3]).sum() / 3, rel=1e-5)


def test_ignore_class_of_every_entry_gives_zero():
    scce = losses.SparseCategoricalCrossentropy(ignore_class=255)
    assert float(scce(np.array([255, 255]), np.full((2, 3), 1 / 3))) == 0.0


ALL_CLASSES = [
    obj
    for obj in losses.ALL_OBJECTS
    if isinstance(obj, type) and obj not in (losses.Loss, losses.LossFunctionWrapper)
]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_every_loss_class_round_trips_its_config(cls):
    loss = cls(reduction="sum", name="my_loss")
    config = losses.serialize(loss)
    assert config["module"] == "keras.losses"
    assert config["class_name"] == cls.__name__
    json.dumps(config)
    restored = losses.deserialize(config)
    assert type(restored) is cls
    assert restored.get_config() == loss.get_config()
    assert restored.reduction == "sum" and restored.name == "my_loss"


def test_non_default_arguments_survive_the_round_trip():
    cases = [
        losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=3.0),
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=1),
        losses.CategoricalFocalCrossentropy(alpha=[0.2, 0.8], gamma=1.0),
        losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
        losses.Tversky(alpha=0.7, beta=0.3, axis=[1, 2]),
        losses.Huber(delta=2.0),
        losses.CosineSimilarity(axis=1),
    ]
    for loss in cases:
        restored = losses.get(json.loads(json.dumps(losses.serialize(loss))))
        assert restored.get_config() == loss.get_config()


def test_keras_3_configs_load():
    config = {
        "module": "keras.losses",
        "class_name": "SparseCategoricalCrossentropy",
        "config": {
            "name": "sparse_categorical_crossentropy",
            "reduction": "sum_over_batch_size",
            "from_logits": True,
            "ignore_class": None,
        },
        "registered_name": None,
    }
    loss = losses.deserialize(config)
    assert isinstance(loss, losses.SparseCategoricalCrossentropy) and loss.from_logits
    assert losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    function = {
        "module": "builtins",
        "class_name": "function",
        "config": "mean_squared_error",
        "registered_name": "function",
    }
    assert losses.deserialize(function) is losses.mean_squared_error
    assert losses.serialize(losses.mean_squared_error) == function


def test_a_wrapped_function_round_trips_with_its_arguments():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", reduction="sum", delta=2.0)
    config = losses.serialize(wrapper)
    assert config["registered_name"] == "LossFunctionWrapper"
    restored = losses.deserialize(json.loads(json.dumps(config)))
    assert restored.fn is losses.huber and restored.name == "h"
    assert float(restored([0.0], [5.0])) == pytest.approx(2.0 * 5.0 - 2.0)


ALIASES = {
    "mse": losses.mean_squared_error,
    "MSE": losses.mean_squared_error,
    "mean_squared_error": losses.mean_squared_error,
    "mae": losses.mean_absolute_error,
    "MAE": losses.mean_absolute_error,
    "mape": losses.mean_absolute_percentage_error,
    "MAPE": losses.mean_absolute_percentage_error,
    "msle": losses.mean_squared_logarithmic_error,
    "MSLE": losses.mean_squared_logarithmic_error,
    "kld": losses.kl_divergence,
    "KLD": losses.kl_divergence,
    "kl_divergence": losses.kl_divergence,
    "kullback_leibler_divergence": losses.kl_divergence,
    "bce": losses.binary_crossentropy,
    "BCE": losses.binary_crossentropy,
    "huber": losses.huber,
    "log_cosh": losses.log_cosh,
    "logcosh": losses.log_cosh,
    "binary_crossentropy": losses.binary_crossentropy,
    "categorical_crossentropy": losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": losses.sparse_categorical_crossentropy,
    "binary_focal_crossentropy": losses.binary_focal_crossentropy,
    "categorical_focal_crossentropy": losses.categorical_focal_crossentropy,
    "poisson": losses.poisson,
    "cosine_similarity": losses.cosine_similarity,
    "hinge": losses.hinge,
    "squared_hinge": losses.squared_hinge,
    "categorical_hinge": losses.categorical_hinge,
    "ctc": losses.ctc,
    "dice": losses.dice,
    "tversky": losses.tversky,
}


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_get_by_every_function_name_and_alias(name):
    assert losses.get(name) is ALIASES[name]
    assert getattr(losses, name) is ALIASES[name]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_get_by_class_name_gives_a_default_instance(cls):
    assert type(losses.get(cls.__name__)) is cls
    assert type(losses.get(cls)) is cls


def test_get_passes_callables_and_none_and_refuses_typos():
    loss = losses.Hinge()
    assert losses.get(loss) is loss
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'msee'"):
        losses.get("msee")


def test_names_default_to_keras_names():
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    assert SquaredError().name.startswith("squared_error")


def test_losses_trace_under_a_symbolic_call():
    y_true = kcore.KerasTensor((None, 3))
    y_pred = kcore.KerasTensor((None, 3))
    out = losses.CategoricalCrossentropy()(y_true, y_pred)
    assert tuple(out.shape) == ()
    with pytest.raises(ValueError, match=r"MeanSquaredError.*\(None, 3\).*\(None, 4\)"):
        losses.MeanSquaredError()(y_true, kcore.KerasTensor((None, 4)))


def test_losses_run_in_a_compiled_step():
    y_true = np.array([[0, 1], [2, -1]])
    y_pred = np.full((2, 2, 3), 0.5, dtype="float32")
    scce = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    step = kcore.backend.bound.jit(lambda t, p: scce(t, p))
    assert float(step(y_true, y_pred)) == pytest.approx(np.log(3.0), rel=1e-5)
    mse = kcore.backend.bound.jit(lambda t, p: losses.MeanSquaredError()(t, p))
    with pytest.raises(ValueError, match=r"MeanSquaredError.*\(2, 3\).*\(2, 4\)"):
        mse(np.zeros((2, 3)), np.zeros((2, 4)))


@pytest.mark.needs_training
def test_the_gradient_of_a_loss_matches_its_formula():
    bound = kcore.backend.bound
    y_true = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype="float32")
    logits = np.array([[1.0, -2.0, 0.5], [0.3, 2.0, -1.0]], dtype="float32")
    loss = losses.CategoricalCrossentropy(from_logits=True)

    value, grad = bound.value_and_grad(lambda x: loss(y_true, x))(ops.convert_to_tensor(logits))
    e = np.exp(logits - logits.max(-1, keepdims=True))
    softmax = e / e.sum(-1, keepdims=True)
    assert float(value) == pytest.approx(-(y_true * np.log(softmax)).sum(-1).mean(), rel=1e-5)
    np.testing.assert_allclose(np_value(grad), (softmax - y_true) / 2, rtol=1e-5, atol=1e-7)


@pytest.mark.needs_training
def test_ignored_classes_get_no_gradient_and_no_nan():
    bound = kcore.backend.bound
    y_true = np.array([1, -1])
    probs = np.array([[0.3, 0.7], [0.0, 1.0]], dtype="float32")
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    _, grad = bound.value_and_grad(lambda x: loss(y_true, x))(ops.convert_to_tensor(probs))
    grad = np_value(grad)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad[1], [0.0, 0.0])
