import numpy as np
import pytest

import kcore
from kcore import metrics, ops


def value(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_mean_accumulates_weights_and_resets():
    m = metrics.Mean()
    m.update_state([1.0, 3.0, 5.0, 7.0])
    assert value(m.result()) == pytest.approx(4.0)
    m.update_state([10.0], sample_weight=[2.0])
    assert value(m.result()) == pytest.approx((16.0 + 20.0) / 6.0)
    m.reset_state()
    assert value(m.result()) == 0.0
    m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    assert value(m.result()) == pytest.approx(2.0)


def test_mean_reduces_per_sample_before_weighting():
    m = metrics.Mean()
    values = np.array([[1.0, 3.0], [5.0, 7.0]])
    m.update_state(values, sample_weight=[1.0, 3.0])
    expected = (2.0 * 1.0 + 6.0 * 3.0) / 4.0
    assert value(m.result()) == pytest.approx(expected)


def test_mean_scalar_with_python_weight():
    m = metrics.Mean()
    m.update_state(ops.convert_to_tensor(2.0), sample_weight=3)
    m.update_state(ops.convert_to_tensor(4.0), sample_weight=1)
    assert value(m.result()) == pytest.approx(10.0 / 4.0)


def test_sum_with_weights():
    m = metrics.Sum()
    m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    m.update_state([[1.0, 2.0]])
    assert value(m.result()) == pytest.approx(7.0)


def test_variables_are_non_trainable_and_named():
    m = metrics.Mean(name="my_mean")
    assert [v.path for v in m.variables] == ["my_mean/total", "my_mean/count"]
    assert not any(v.trainable for v in m.variables)
    assert m.dtype == "float32"
    assert repr(m) == "<Mean name=my_mean>"


def test_default_names_are_unique():
    first, second = metrics.AUC(), metrics.AUC()
    assert first.name != second.name
    assert first.name.startswith("auc") and second.name.startswith("auc")


def test_nested_metrics_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.parts = [metrics.Mean(name="a"), metrics.Sum(name="b")]

        def update_state(self, x):
            for part in self.parts:
                part.update_state(x)

        def result(self):
            return self.parts[0].result() + self.parts[1].result()

    m = Pair()
    assert len(m.variables) == 3
    assert value(m([1.0, 3.0])) == pytest.approx(2.0 + 4.0)
    m.reset_state()
    assert value(m.result()) == 0.0


def test_missing_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable((), "zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def squared_error(y_true, y_pred):
    return ops.square(ops.subtract(y_true, y_pred))


def test_mean_metric_wrapper_passes_kwargs_and_round_trips():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc", threshold=0.7)
    m.update_state([[1.0], [0.0]], [[0.6], [0.2]])
    assert value(m.result()) == pytest.approx(0.5)
    config = m.get_config()
    assert config["threshold"] == 0.7 and config["name"] == "acc"
    clone = metrics.MeanMetricWrapper.from_config(config)
    assert clone._fn is metrics.binary_accuracy
    clone.update_state([[1.0], [0.0]], [[0.6], [0.2]])
    assert value(clone.result()) == pytest.approx(0.5)


class MaskedArray(np.ndarray):
    """An array carrying a Keras mask, as layer outputs do."""


def test_mean_metric_wrapper_applies_keras_mask():
    m = metrics.MeanMetricWrapper(squared_error)
    y_pred = np.array([1.0, 1.0, 5.0], "float32").view(MaskedArray)
    y_pred._keras_mask = np.array([True, True, False])
    m.update_state(np.array([1.0, 3.0, 1.0], "float32"), y_pred)
    assert value(m.result()) == pytest.approx(2.0)


def test_stateless_api_leaves_variables_untouched():
    m = metrics.Mean()
    state = [ops.zeros(v.shape, dtype=v.dtype) for v in m.variables]
    state = m.stateless_update_state(state, [2.0, 4.0])
    state = m.stateless_update_state(state, [6.0])
    assert value(m.stateless_result(state)) == pytest.approx(4.0)
    assert value(m.result()) == 0.0
    assert [value(v).item() for v in state] == [12.0, 3.0]
    m.update_state([5.0])
    reset = m.stateless_reset_state()
    assert [value(v).item() for v in reset] == [0.0, 0.0]
    assert value(m.result()) == pytest.approx(5.0)


def test_stateless_update_checks_the_number_of_values():
    with pytest.raises(ValueError, match="metric_variables"):
        metrics.Mean().stateless_update_state([ops.zeros(())], [1.0])


def test_stateless_update_runs_compiled():
    m = metrics.Mean()

    def step(state, x):
        return m.stateless_update_state(state, x)

    compiled = kcore.backend.bound.jit(step)
    state = [ops.zeros(v.shape, dtype=v.dtype) for v in m.variables]
    state = compiled(state, ops.convert_to_tensor([1.0, 2.0, 3.0]))
    state = compiled(state, ops.convert_to_tensor([4.0, 5.0, 6.0]))
    assert value(m.stateless_result(state)) == pytest.approx(3.5)


def test_config_round_trip_through_serialize():
    m = metrics.Sum(name="total_sum", dtype="float32")
    config = metrics.serialize(m)
    assert config["module"] == "keras.metrics" and config["class_name"] == "Sum"
    clone = metrics.deserialize(config)
    assert isinstance(clone, metrics.Sum) and clone.name == "total_sum"
