"""`kcore.optimizers.schedules`: Keras 3's learning rate schedules and their `serialize` and
`deserialize`.

Example:

>>> import kcore
>>> schedule = kcore.optimizers.schedules.PolynomialDecay(0.1, decay_steps=10)
>>> optimizer = kcore.optimizers.SGD(learning_rate=schedule)
>>> round(float(optimizer.learning_rate), 6)
0.1
"""

from kcore.optimizers.schedules.learning_rate_schedule import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
    deserialize,
    serialize,
)

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
