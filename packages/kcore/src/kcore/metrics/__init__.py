"""`kcore.metrics`: Keras 3's metrics, the accuracy functions and `get`/`serialize`/`deserialize`.

The loss functions Keras re-exports here (``kcore.metrics.mean_squared_error``...) are those of
`kcore.losses`, loaded on first access.

Example:

>>> import kcore
>>> m = kcore.metrics.get("mae")
>>> type(m).__name__, m.name
('MeanAbsoluteError', 'mean_absolute_error')
>>> m = kcore.metrics.BinaryAccuracy()
>>> m.update_state([1, 0, 1], [0.9, 0.2, 0.3])
>>> round(float(m.result()), 4)
0.6667
"""

from __future__ import annotations

import importlib
import inspect

from kcore.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from kcore.metrics.auc_metrics import AUC
from kcore.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from kcore.metrics.f_score_metrics import F1Score, FBetaScore
from kcore.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from kcore.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kcore.metrics.metric import Metric
from kcore.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from kcore.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from kcore.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)
from kcore.saving import serialization
from kcore.utils.naming import to_snake_case

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    RootMeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCoshError,
    R2Score,
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    F1Score,
    FBetaScore,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
# As in Keras 3: class names, their snake-case forms ("binary_accuracy", "auc") and the short
# aliases all name classes, so `get("mse")` returns a `MeanSquaredError()` instance.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
    }
)

# The loss functions `keras.metrics` re-exports, resolved from kcore.losses on first access.
_LOSS_FUNCTIONS = (
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "sparse_categorical_crossentropy",
    "squared_hinge",
)

__all__ = [
    *(cls.__name__ for cls in ALL_OBJECTS),
    "binary_accuracy",
    "categorical_accuracy",
    "deserialize",
    "get",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
    *_LOSS_FUNCTIONS,
]


def __getattr__(name):
    if name in _LOSS_FUNCTIONS:
        return getattr(importlib.import_module("kcore.losses"), name)
    raise AttributeError(f"module 'kcore.metrics' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


def serialize(metric):
    """Returns the config of a metric (a `Metric` instance or a metric function).

    Args:
        metric: a `Metric` instance or a function.
    """
    return serialization.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Returns the metric (instance or function) a config from `serialize` describes.

    Args:
        config: a config dict or a name.
        custom_objects: a dict of custom metric classes or functions by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns a metric for `identifier`.

    Args:
        identifier: None (returns None), a name (``"mse"``, ``"auc"``, ``"Precision"``,
            ``"binary_accuracy"``: a class, returned as a new instance), a config dict, a
            metric class (instantiated), a `Metric` instance or a function (returned as is).

    Raises:
        ValueError: when `identifier` names no metric.

    Example:

    >>> import kcore
    >>> kcore.metrics.get("AUC").get_config()["num_thresholds"]
    200
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(
        f"Could not interpret metric identifier: {identifier!r}. Expected None, a Metric, a "
        "callable, a config dict or a metric name such as 'mse', 'auc', 'Precision' or "
        "'binary_accuracy' (see kcore.metrics.ALL_OBJECTS_DICT)."
    )
