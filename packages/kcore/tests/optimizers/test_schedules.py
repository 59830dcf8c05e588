"""Learning rate schedules against their formulas, their configs, and their use by optimizers."""

import math

import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.optimizers import schedules

STEPS = [0, 1, 3, 7, 10, 15, 40]


def _value(schedule, step):
    return float(ops.convert_to_numpy(schedule(ops.convert_to_tensor(step, dtype="int32"))))


def _exponential(step, staircase):
    p = step / 4
    return 0.1 * 0.5 ** (math.floor(p) if staircase else p)


def _piecewise(step):
    return 1.0 if step <= 3 else 0.5 if step <= 10 else 0.1


def _polynomial(step, cycle):
    decay_steps = 10
    if cycle:
        decay_steps = 10 * (1 if step == 0 else math.ceil(step / 10))
    else:
        step = min(step, decay_steps)
    return (0.1 - 0.01) * (1 - step / decay_steps) ** 2.0 + 0.01


def _inverse_time(step, staircase):
    p = step / 5
    return 0.1 / (1 + 0.5 * (math.floor(p) if staircase else p))


def _cosine(step, decay_from=0.1, alpha=0.1):
    step = min(step, 10)
    return decay_from * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * step / 10)) + alpha)


def _cosine_warmup(step):
    step = min(step, 10 + 5)
    if step < 5:
        return (0.5 - 0.1) * step / 5 + 0.1
    return _cosine(step - 5, decay_from=0.5)


def _restarts(step, t_mul, m_mul=0.5, alpha=0.1):
    fraction = step / 4
    if t_mul == 1.0:
        i = math.floor(fraction)
        fraction -= i
    else:
        i = math.floor(math.log(1 - fraction * (1 - t_mul)) / math.log(t_mul))
        total = (1 - t_mul**i) / (1 - t_mul)
        fraction = (fraction - total) / t_mul**i
    cosine = 0.5 * m_mul**i * (1 + math.cos(math.pi * fraction))
    return 0.1 * ((1 - alpha) * cosine + alpha)


CASES = {
    "exponential": (schedules.ExponentialDecay(0.1, 4, 0.5), lambda s: _exponential(s, False)),
    "exponential_staircase": (
        schedules.ExponentialDecay(0.1, 4, 0.5, staircase=True),
        lambda s: _exponential(s, True),
    ),
    "piecewise": (schedules.PiecewiseConstantDecay([3, 10], [1.0, 0.5, 0.1]), _piecewise),
    "polynomial": (
        schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0),
        lambda s: _polynomial(s, False),
    ),
    "polynomial_cycle": (
        schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0, cycle=True),
        lambda s: _polynomial(s, True),
    ),
    "inverse_time": (schedules.InverseTimeDecay(0.1, 5, 0.5), lambda s: _inverse_time(s, False)),
    "inverse_time_staircase": (
        schedules.InverseTimeDecay(0.1, 5, 0.5, staircase=True),
        lambda s: _inverse_time(s, True),
    ),
    "cosine": (schedules.CosineDecay(0.1, 10, alpha=0.1), _cosine),
    "cosine_warmup": (
        schedules.CosineDecay(0.1, 10, alpha=0.1, warmup_target=0.5, warmup_steps=5),
        _cosine_warmup,
    ),
    "restarts": (
        schedules.CosineDecayRestarts(0.1, 4, t_mul=2.0, m_mul=0.5, alpha=0.1),
        lambda s: _restarts(s, 2.0),
    ),
    "restarts_constant_period": (
        schedules.CosineDecayRestarts(0.1, 4, t_mul=1.0, m_mul=0.5, alpha=0.1),
        lambda s: _restarts(s, 1.0),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_schedule_follows_its_formula(name):
    schedule, formula = CASES[name]
    got = [_value(schedule, step) for step in STEPS]
    np.testing.assert_allclose(got, [formula(step) for step in STEPS], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", list(CASES))
def test_schedule_config_round_trip(name):
    schedule, _ = CASES[name]
    config = schedules.serialize(schedule)
    assert config["module"] == "keras.optimizers.schedules"
    assert config["class_name"] == type(schedule).__name__
    restored = schedules.deserialize(config)
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    np.testing.assert_allclose(_value(restored, 7), _value(schedule, 7), rtol=1e-6)


def test_schedule_configs_keep_keras_names_and_defaults():
    assert schedules.ExponentialDecay(0.1, 10, 0.9).get_config() == {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "decay_rate": 0.9,
        "staircase": False,
        "name": "ExponentialDecay",
    }
    assert schedules.CosineDecayRestarts(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1,
        "first_decay_steps": 10,
        "t_mul": 2.0,
        "m_mul": 1.0,
        "alpha": 0.0,
        "name": "SGDRDecay",
    }
    assert schedules.PolynomialDecay(0.1, 10).get_config()["end_learning_rate"] == 0.0001
    assert schedules.PiecewiseConstantDecay([1], [1.0, 0.5]).name == "PiecewiseConstant"


def test_invalid_schedule_arguments_are_explained():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])


def test_optimizer_evaluates_its_schedule_at_the_step_count():
    schedule = schedules.ExponentialDecay(0.1, 1, 0.5)
    optimizer = kcore.optimizers.SGD(learning_rate=schedule)
    w = kcore.Variable(np.array([1.0], "float32"))
    for _ in range(3):
        optimizer.apply([ops.convert_to_tensor(np.array([1.0], "float32"))], [w])
    # Steps 0, 1, 2 use 0.1, 0.05, 0.025.
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.175], rtol=1e-6)
    assert float(ops.convert_to_numpy(optimizer.learning_rate)) == pytest.approx(0.0125)
    assert len(optimizer.variables) == 1  # no learning_rate variable with a schedule
    config = optimizer.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    restored = kcore.optimizers.SGD.from_config(config)
    assert isinstance(restored._learning_rate, schedules.ExponentialDecay)


def test_a_schedule_cannot_be_replaced_by_a_number():
    optimizer = kcore.optimizers.Adam(learning_rate=schedules.InverseTimeDecay(0.1, 1, 1.0))
    with pytest.raises(TypeError, match="float `learning_rate`"):
        optimizer.learning_rate = 0.01
