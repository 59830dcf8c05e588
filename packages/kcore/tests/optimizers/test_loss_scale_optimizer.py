"""`LossScaleOptimizer`: unscaling, skipping non-finite steps, growing the scale, configs."""

import numpy as np
import pytest

import kcore
from kcore import ops


def _tensor(values):
    return ops.convert_to_tensor(np.asarray(values, "float32"))


def _scale(optimizer):
    return float(optimizer.dynamic_scale.numpy())


def test_finite_gradients_are_unscaled_before_the_inner_update():
    w = kcore.Variable(np.array([1.0, 2.0], "float32"))
    optimizer = kcore.optimizers.LossScaleOptimizer(
        kcore.optimizers.SGD(learning_rate=0.5), initial_scale=4.0
    )
    optimizer.apply([_tensor([4.0, 8.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 1.0])
    assert int(optimizer.iterations.numpy()) == 1
    assert _scale(optimizer) == 4.0
    assert int(optimizer.step_counter.numpy()) == 1


def test_non_finite_gradients_skip_the_step_and_halve_the_scale():
    w = kcore.Variable(np.array([1.0, 2.0], "float32"))
    inner = kcore.optimizers.Adam(learning_rate=0.1)
    optimizer = kcore.optimizers.LossScaleOptimizer(inner, initial_scale=16.0)
    optimizer.apply([_tensor([1.0, 1.0])], [w])
    after_first = w.numpy().copy()
    slots = [v.numpy().copy() for v in inner.variables]
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        optimizer.apply([_tensor([np.inf, 1.0])], [w])
        optimizer.apply([_tensor([np.nan, 1.0])], [w])
    np.testing.assert_array_equal(w.numpy(), after_first)
    for variable, before in zip(inner.variables, slots):
        np.testing.assert_array_equal(variable.numpy(), before)
    assert int(inner.iterations.numpy()) == 1
    assert _scale(optimizer) == 4.0
    assert int(optimizer.step_counter.numpy()) == 0


def test_scale_doubles_after_dynamic_growth_steps_finite_steps():
    w = kcore.Variable(np.array([1.0], "float32"))
    optimizer = kcore.optimizers.LossScaleOptimizer(
        kcore.optimizers.SGD(learning_rate=0.01), initial_scale=2.0, dynamic_growth_steps=3
    )
    scales = []
    for _ in range(7):
        optimizer.apply([_tensor([1.0])], [w])
        scales.append(_scale(optimizer))
    assert scales == [2.0, 2.0, 4.0, 4.0, 4.0, 8.0, 8.0]


def test_scale_loss_uses_the_current_scale():
    optimizer = kcore.optimizers.LossScaleOptimizer(kcore.optimizers.SGD(), initial_scale=8.0)
    assert float(ops.convert_to_numpy(optimizer.scale_loss(_tensor(0.5)))) == 4.0
    optimizer.build([kcore.Variable(np.zeros(2, "float32"))])
    optimizer.dynamic_scale.assign(32.0)
    assert float(ops.convert_to_numpy(optimizer.scale_loss(_tensor(0.5)))) == 16.0


def test_stateless_apply_matches_apply_including_a_skipped_step():
    def run(stateless):
        w = kcore.Variable(np.array([1.0, -1.0], "float32"))
        optimizer = kcore.optimizers.LossScaleOptimizer(
            kcore.optimizers.SGD(learning_rate=0.1, momentum=0.9),
            initial_scale=4.0,
            dynamic_growth_steps=2,
        )
        optimizer.build([w])
        steps = [[1.0, 2.0], [np.inf, 0.0], [3.0, -1.0], [2.0, 2.0]]
        trainable, state = [w.value], [v.value for v in optimizer.variables]
        with np.errstate(invalid="ignore", over="ignore"):
            for grad in steps:
                if stateless:
                    trainable, state = optimizer.stateless_apply(state, [_tensor(grad)], trainable)
                else:
                    optimizer.apply([_tensor(grad)])
        if stateless:
            np.testing.assert_array_equal(w.numpy(), [1.0, -1.0])
            return ops.convert_to_numpy(trainable[0]), [ops.convert_to_numpy(s) for s in state]
        return w.numpy(), [v.numpy() for v in optimizer.variables]

    w_apply, state_apply = run(stateless=False)
    w_stateless, state_stateless = run(stateless=True)
    np.testing.assert_allclose(w_stateless, w_apply, rtol=1e-6)
    for a, b in zip(state_stateless, state_apply):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_learning_rate_and_iterations_are_the_inner_optimizers():
    inner = kcore.optimizers.SGD(learning_rate=0.5)
    optimizer = kcore.optimizers.LossScaleOptimizer(inner)
    optimizer.learning_rate = 0.25
    assert float(inner.learning_rate.numpy()) == 0.25
    assert optimizer.iterations is inner.iterations


def test_config_round_trip_and_rejected_arguments():
    optimizer = kcore.optimizers.LossScaleOptimizer(
        kcore.optimizers.Adam(learning_rate=0.01), initial_scale=128.0, dynamic_growth_steps=10
    )
    config = kcore.optimizers.serialize(optimizer)
    assert config["class_name"] == "LossScaleOptimizer"
    assert set(config["config"]) == {
        "name",
        "inner_optimizer",
        "initial_scale",
        "dynamic_growth_steps",
    }
    restored = kcore.optimizers.deserialize(config)
    assert isinstance(restored.inner_optimizer, kcore.optimizers.Adam)
    assert restored.initial_scale == 128.0 and restored.dynamic_growth_steps == 10
    assert restored.inner_optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    with pytest.raises(ValueError, match="Set `clipnorm` on the `inner_optimizer`"):
        kcore.optimizers.LossScaleOptimizer(kcore.optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="dynamic=False"):
        kcore.optimizers.LossScaleOptimizer(kcore.optimizers.SGD(), dynamic=False)
