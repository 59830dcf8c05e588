"""Keras 3's learning rate schedules: callables from the step count to a learning rate.

Every `__call__` is traceable (no Python branch on the step), so an optimizer evaluates its
schedule inside a compiled training step.

Example:

>>> import kcore
>>> schedule = kcore.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> round(float(schedule(10)), 6)
0.05
"""

from __future__ import annotations

import math

from kcore import ops
from kcore.saving import serialization
from kcore.saving.object_registration import keras_export

_MODULE = "keras.optimizers.schedules"


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


@keras_export(_MODULE)
class LearningRateSchedule:
    """The base class of learning rate schedules.

    A subclass implements `__call__(step)` (`step` is a scalar integer tensor, the optimizer's
    step count) with traceable ops, and `get_config()` to be serializable.

    Example:

    >>> import kcore
    >>> class Halving(kcore.optimizers.schedules.LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         step = kcore.ops.cast(step, "float32")
    ...         return self.initial_learning_rate / (step + 1.0)
    >>> round(float(Halving(0.1)(1)), 6)
    0.05
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        """Returns the schedule's constructor arguments as a JSON-serializable dict."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        """Creates a schedule from its `get_config()` dict.

        Args:
            config: the dict `get_config()` returned.
        """
        return cls(**config)


def _initial(value):
    initial = ops.convert_to_tensor(value)
    return initial, initial.dtype


@keras_export(_MODULE)
class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: a positive int; see the formula.
        decay_rate: the decay rate.
        staircase: whether `step / decay_steps` is an integer division (a staircase decay).
        name: the schedule's name.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.ExponentialDecay(1.0, 2, 0.5, staircase=True)
    >>> [float(s(k)) for k in (0, 1, 2, 3)]
    [1.0, 1.0, 0.5, 0.5]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="ExponentialDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype = _initial(self.initial_learning_rate)
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        return ops.multiply(initial, ops.power(ops.cast(self.decay_rate, dtype), p))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export(_MODULE)
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[1]`` while
    ``step <= boundaries[1]``, ..., ``values[-1]`` after ``boundaries[-1]``.

    Args:
        boundaries: strictly increasing step numbers.
        values: the learning rates, one more than `boundaries`.
        name: the schedule's name.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
    >>> [round(float(s(k)), 2) for k in (0, 2, 3, 5)]
    [1.0, 1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        boundaries = [ops.cast(b, step.dtype) for b in self.boundaries]
        values = [ops.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        result = ops.multiply(ops.cast(ops.less_equal(step, boundaries[0]), dtype), values[0])
        result = ops.add(
            result, ops.multiply(ops.cast(ops.greater(step, boundaries[-1]), dtype), values[-1])
        )
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            inside = ops.logical_and(ops.greater(step, low), ops.less_equal(step, high))
            result = ops.add(result, ops.multiply(ops.cast(inside, dtype), value))
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@keras_export(_MODULE)
class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end``.

    With `cycle=True`, `decay_steps` is replaced by its first multiple above `step`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: a positive int, the number of steps to decay over.
        end_learning_rate: the final learning rate.
        power: the power of the polynomial.
        cycle: whether to restart the decay after `decay_steps`.
        name: the schedule's name.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.PolynomialDecay(1.0, 4, end_learning_rate=0.0)
    >>> [float(s(k)) for k in (0, 2, 8)]
    [1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype = _initial(self.initial_learning_rate)
        end = ops.cast(self.end_learning_rate, dtype)
        power = ops.cast(self.power, dtype)
        step = ops.cast(step, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = ops.where(
                ops.equal(step, 0), ops.ones_like(step), ops.ceil(ops.divide(step, decay_steps))
            )
            decay_steps = ops.multiply(decay_steps, multiplier)
        else:
            step = ops.minimum(step, decay_steps)
        p = ops.divide(step, decay_steps)
        return ops.add(
            ops.multiply(ops.subtract(initial, end), ops.power(ops.subtract(1.0, p), power)), end
        )

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@keras_export(_MODULE)
class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (the quotient floored
    with `staircase=True`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: how often to apply the decay.
        decay_rate: the decay rate.
        staircase: whether to decay at discrete intervals.
        name: the schedule's name.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.InverseTimeDecay(1.0, 1, 0.5)
    >>> float(s(2))
    0.5
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="InverseTimeDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype = _initial(self.initial_learning_rate)
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        denominator = ops.add(ops.cast(1, dtype), ops.multiply(ops.cast(self.decay_rate, dtype), p))
        return ops.divide(initial, denominator)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export(_MODULE)
class CosineDecay(LearningRateSchedule):
    """Cosine decay, after an optional linear warmup.

    Without `warmup_target`: ``initial * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) +
    alpha)`` with ``s = min(step, decay_steps)``. With it, the rate first grows linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps`, then decays from
    `warmup_target` as above.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: a positive int, the number of steps to decay over.
        alpha: the final rate as a fraction of the rate the decay starts from.
        name: the schedule's name.
        warmup_target: the rate reached at the end of the warmup, or None for no warmup.
        warmup_steps: the number of warmup steps.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.CosineDecay(1.0, 10)
    >>> [round(float(s(k)), 4) for k in (0, 5, 10, 20)]
    [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive("decay_steps", decay_steps)

    def _decay_function(self, step, decay_steps, decay_from_lr, dtype):
        fraction = ops.divide(step, decay_steps)
        pi = ops.convert_to_tensor(math.pi, dtype=dtype)
        cosine = ops.multiply(0.5, ops.add(1.0, ops.cos(ops.multiply(pi, fraction))))
        decayed = ops.add(ops.multiply(1 - self.alpha, cosine), self.alpha)
        return ops.multiply(decay_from_lr, decayed)

    def _warmup_function(self, step, warmup_steps, warmup_target, initial_learning_rate):
        fraction = ops.divide(step, warmup_steps)
        delta = ops.subtract(warmup_target, initial_learning_rate)
        return ops.add(ops.multiply(delta, fraction), initial_learning_rate)

    def __call__(self, step):
        initial, dtype = _initial(self.initial_learning_rate)
        decay_steps = ops.cast(self.decay_steps, dtype)
        step = ops.cast(step, dtype)
        if self.warmup_target is None:
            step = ops.minimum(step, decay_steps)
            return self._decay_function(step, decay_steps, initial, dtype)
        warmup_target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, ops.add(decay_steps, warmup_steps))
        # Both branches are computed and one is selected, so the schedule stays traceable; the
        # warmup branch is guarded against a zero `warmup_steps`.
        safe_warmup_steps = ops.maximum(warmup_steps, ops.cast(1, dtype))
        return ops.where(
            ops.less(step, warmup_steps),
            self._warmup_function(step, safe_warmup_steps, warmup_target, initial),
            self._decay_function(
                ops.subtract(step, warmup_steps), decay_steps, warmup_target, dtype
            ),
        )

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@keras_export(_MODULE)
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR).

    The multiplier decays from 1 to `alpha` over `first_decay_steps`, then restarts; each period
    lasts `t_mul` times longer than the previous one and starts at `m_mul` times its rate.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: a positive int, the length of the first period.
        t_mul: the growth factor of the period lengths.
        m_mul: the factor of each period's initial rate.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
        name: the schedule's name.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.CosineDecayRestarts(1.0, 4, t_mul=1.0)
    >>> [round(float(s(k)), 4) for k in (0, 2, 4)]
    [1.0, 0.5, 1.0]
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial, dtype = _initial(self.initial_learning_rate)
        first_decay_steps = ops.cast(self.first_decay_steps, dtype)
        alpha = ops.cast(self.alpha, dtype)
        t_mul = ops.cast(self._t_mul, dtype)
        m_mul = ops.cast(self._m_mul, dtype)
        fraction = ops.divide(ops.cast(step, dtype), first_decay_steps)
        # `t_mul` is a Python number fixed at construction: choosing the formula in Python does
        # not depend on any tensor value.
        if self._t_mul == 1.0:
            i_restart = ops.floor(fraction)
            fraction = ops.subtract(fraction, i_restart)
        else:
            i_restart = ops.floor(
                ops.divide(
                    ops.log(ops.subtract(1.0, ops.multiply(fraction, ops.subtract(1.0, t_mul)))),
                    ops.log(t_mul),
                )
            )
            sum_r = ops.divide(ops.subtract(1.0, ops.power(t_mul, i_restart)), 1.0 - t_mul)
            fraction = ops.divide(ops.subtract(fraction, sum_r), ops.power(t_mul, i_restart))
        m_fac = ops.power(m_mul, i_restart)
        pi = ops.convert_to_tensor(math.pi, dtype=dtype)
        cosine = ops.multiply(
            ops.multiply(0.5, m_fac), ops.add(1.0, ops.cos(ops.multiply(pi, fraction)))
        )
        decayed = ops.add(ops.multiply(ops.subtract(1.0, alpha), cosine), alpha)
        return ops.multiply(initial, decayed)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


ALL_OBJECTS = (
    LearningRateSchedule,
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
    InverseTimeDecay,
    CosineDecay,
    CosineDecayRestarts,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


@keras_export(_MODULE)
def serialize(learning_rate_schedule):
    """Returns the config dict of a schedule (``{"module": "keras.optimizers.schedules", ...}``).

    Args:
        learning_rate_schedule: the schedule to serialize.

    Example:

    >>> import kcore
    >>> s = kcore.optimizers.schedules.ExponentialDecay(0.1, 100, 0.96)
    >>> kcore.optimizers.schedules.serialize(s)["class_name"]
    'ExponentialDecay'
    """
    return serialization.serialize_keras_object(learning_rate_schedule)


@keras_export(_MODULE)
def deserialize(config, custom_objects=None):
    """Returns the schedule a config from `serialize` describes.

    Args:
        config: the config dict.
        custom_objects: a dict of custom schedule classes by name.
    """
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )
