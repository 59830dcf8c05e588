"""`kcore.losses`: Keras 3's losses (classes and functions), their aliases and
`get`/`serialize`/`deserialize`.

A loss class (``MeanSquaredError()``) weighs and reduces the per-sample values its function
(``mean_squared_error``) returns; see `Loss` for the reductions.

Example:

>>> import kcore
>>> kcore.losses.get("mse") is kcore.losses.mean_squared_error
True
>>> kcore.losses.get("BinaryCrossentropy").get_config()["from_logits"]
False
"""

from __future__ import annotations

import inspect

from kcore.losses.ctc import CTC, ctc
from kcore.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from kcore.losses.loss import Loss, LossFunctionWrapper, LossShapeError
from kcore.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kcore.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kcore.losses.segmentation import Dice, Tversky, dice, tversky
from kcore.saving import object_registration, serialization

# Short names Keras (and tf.keras before it) accepts for the loss functions.
bce = BCE = binary_crossentropy
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Dice,
    Tversky,
    CTC,
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    ctc,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "kld": kl_divergence,
        "KLD": kl_divergence,
        "kullback_leibler_divergence": kl_divergence,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
        "logcosh": log_cosh,
    }
)

__all__ = [
    *(obj.__name__ for obj in ALL_OBJECTS),
    "BCE",
    "KLD",
    "LossShapeError",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "bce",
    "deserialize",
    "get",
    "kld",
    "kullback_leibler_divergence",
    "logcosh",
    "mae",
    "mape",
    "mse",
    "msle",
    "serialize",
]


def serialize(loss):
    """Returns the config of a `Loss` instance or loss function, as Keras 3 writes it.

    Args:
        loss: a `Loss` instance or a loss function.

    Example:

    >>> import kcore
    >>> kcore.losses.serialize(kcore.losses.MeanSquaredError())["class_name"]
    'MeanSquaredError'
    """
    return serialization.serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """Returns the loss (instance or function) a config or a name describes.

    Args:
        name: a config dict from `serialize`, or a loss name such as ``"mse"``.
        custom_objects: a dict of custom losses (classes or functions) by name.
    """
    return serialization.deserialize_keras_object(
        name, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier):
    """Returns a loss function or `Loss` instance for `identifier`.

    Args:
        identifier: None (returns None), a name (``"mse"``, ``"categorical_crossentropy"``,
            ``"CategoricalCrossentropy"``; a class name gives an instance with the default
            arguments), a config dict, a `Loss` class (instantiated) or a callable (returned as
            is).

    Raises:
        ValueError: when `identifier` names no loss.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            obj = object_registration.get_registered_object(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}. Expected None, a callable, a "
        "config dict or a loss name such as 'mse' or 'CategoricalCrossentropy' (the names are "
        "the keys of kcore.losses.ALL_OBJECTS_DICT)."
    )
