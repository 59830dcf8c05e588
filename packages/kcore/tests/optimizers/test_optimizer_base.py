"""The shared `Optimizer` behaviour: variables, learning rate, gradients that are None or
overwrite their variable, weight decay exclusions, EMA finalization, configs, `get`, errors, and
a training loop with real gradients."""

import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.backend import bound


def _tensor(values):
    return ops.convert_to_tensor(np.asarray(values, "float32"))


ALL_CLASSES = [
    kcore.optimizers.SGD,
    kcore.optimizers.Adam,
    kcore.optimizers.AdamW,
    kcore.optimizers.RMSprop,
    kcore.optimizers.Adagrad,
    kcore.optimizers.Adadelta,
    kcore.optimizers.Adamax,
    kcore.optimizers.Nadam,
    kcore.optimizers.Ftrl,
    kcore.optimizers.Lion,
    kcore.optimizers.Adafactor,
]


def test_variables_are_iteration_learning_rate_then_slots_in_keras_order():
    kcore.utils.clear_session()  # optimizer names are made unique, as layer names are
    with kcore.name_scope("dense"):
        kernel = kcore.Variable(np.ones((2, 3), "float32"), name="kernel")
        bias = kcore.Variable(np.zeros(3, "float32"), name="bias")
    optimizer = kcore.optimizers.Adam(learning_rate=0.01, amsgrad=True)
    optimizer.build([kernel, bias])
    paths = [v.path for v in optimizer.variables]
    assert paths == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/dense_kernel_momentum",
        "adam/dense_kernel_velocity",
        "adam/dense_bias_momentum",
        "adam/dense_bias_velocity",
        "adam/dense_kernel_velocity_hat",
        "adam/dense_bias_velocity_hat",
    ]
    int_dtype = "int64" if "int64" in kcore.backend.capabilities().dtypes else "int32"
    assert optimizer.iterations.dtype == int_dtype
    assert optimizer.variables[1].dtype == "float32"
    assert not any(v.trainable for v in optimizer.variables)


def test_default_names_follow_keras():
    kcore.utils.clear_session()
    assert kcore.optimizers.SGD().name == "sgd"
    assert kcore.optimizers.Adam().name == "adam"
    assert kcore.optimizers.Adagrad().name.startswith("adagrad")


def test_learning_rate_is_a_settable_variable():
    optimizer = kcore.optimizers.SGD(learning_rate=0.5)
    assert float(optimizer.learning_rate.numpy()) == 0.5
    optimizer.learning_rate = 0.125
    w = kcore.Variable(np.array([1.0], "float32"))
    optimizer.apply([_tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.875])
    assert optimizer.get_config()["learning_rate"] == 0.125
    optimizer.learning_rate = lambda: 0.25
    assert optimizer.learning_rate == 0.25
    assert len(optimizer.variables) == 1  # the learning_rate variable is no longer tracked


def test_learning_rate_must_be_a_number_schedule_or_callable():
    with pytest.raises(ValueError, match="learning_rate"):
        kcore.optimizers.Adam(learning_rate="fast")


def test_none_gradients_are_skipped_with_a_warning():
    a = kcore.Variable(np.array([1.0], "float32"), name="a")
    b = kcore.Variable(np.array([1.0], "float32"), name="b")
    optimizer = kcore.optimizers.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        optimizer.apply([None, _tensor([1.0])], [a, b])
    np.testing.assert_allclose(a.numpy(), [1.0])
    np.testing.assert_allclose(b.numpy(), [0.5])
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizer.apply([None, None], [a, b])


def test_overwrite_with_gradient_variables_take_their_gradient():
    w = kcore.Variable(np.array([1.0, 2.0], "float32"), name="w")
    scale = kcore.Variable(np.array([3.0], "float32"), name="scale")
    scale.overwrite_with_gradient = True
    optimizer = kcore.optimizers.Adam(learning_rate=0.1)
    optimizer.apply([_tensor([1.0, 1.0]), _tensor([7.0])], [w, scale])
    np.testing.assert_allclose(scale.numpy(), [7.0])
    assert len(optimizer.variables) == 2 + 2 * 1  # no slots for `scale`


def test_overwrite_with_gradient_and_accumulation_keep_the_running_maximum():
    w = kcore.Variable(np.array([1.0], "float32"), name="w")
    amax = kcore.Variable(np.array([0.0], "float32"), name="amax")
    amax.overwrite_with_gradient = True
    optimizer = kcore.optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=2)
    optimizer.apply([_tensor([1.0]), _tensor([5.0])], [w, amax])
    np.testing.assert_allclose(amax.numpy(), [0.0])
    optimizer.apply([_tensor([1.0]), _tensor([2.0])], [w, amax])
    np.testing.assert_allclose(amax.numpy(), [5.0])


def test_exclude_from_weight_decay_by_variable_and_by_name():
    kernel = kcore.Variable(np.ones(2, "float32"), name="kernel")
    bias = kcore.Variable(np.ones(2, "float32"), name="bias")
    other = kcore.Variable(np.ones(2, "float32"), name="other")
    optimizer = kcore.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    zero = _tensor([0.0, 0.0])
    optimizer.apply([zero, zero, zero], [kernel, bias, other])
    np.testing.assert_allclose(kernel.numpy(), [0.95, 0.95])
    np.testing.assert_allclose(bias.numpy(), [1.0, 1.0])
    np.testing.assert_allclose(other.numpy(), [1.0, 1.0])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


def test_finalize_variable_values_copies_the_moving_averages():
    w = kcore.Variable(np.array([1.0], "float32"))
    optimizer = kcore.optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5)
    for _ in range(2):
        optimizer.apply([_tensor([1.0])], [w])
    # Weights 0.9 then 0.8; averages 0.9 (first step copies) then 0.5 * 0.9 + 0.5 * 0.8.
    np.testing.assert_allclose(w.numpy(), [0.8], rtol=1e-6)
    optimizer.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [0.85], rtol=1e-6)


def test_loss_scale_factor_scales_the_loss_and_unscales_gradients():
    w = kcore.Variable(np.array([1.0], "float32"))
    optimizer = kcore.optimizers.SGD(learning_rate=0.5, loss_scale_factor=8.0)
    assert float(ops.convert_to_numpy(optimizer.scale_loss(_tensor(2.0)))) == 16.0
    optimizer.apply([_tensor([8.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5])


def test_constraints_are_applied_after_the_update():
    w = kcore.Variable(np.array([0.5, -0.5], "float32"))
    w.constraint = kcore.constraints.NonNeg()
    kcore.optimizers.SGD(learning_rate=1.0).apply([_tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.0, 0.0])


def test_apply_gradients_and_errors_for_unknown_variables():
    a = kcore.Variable(np.array([1.0], "float32"))
    optimizer = kcore.optimizers.SGD(learning_rate=0.5)
    iterations = optimizer.apply_gradients([(_tensor([1.0]), a)])
    assert int(iterations.numpy()) == 1
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply([_tensor([1.0])], [kcore.Variable(np.array([1.0], "float32"))])
    with pytest.raises(ValueError, match="built with 1 trainable variables"):
        optimizer.apply([_tensor([1.0]), _tensor([1.0])])
    with pytest.raises(ValueError, match="must be built"):
        kcore.optimizers.Adam().stateless_apply([], [], [])
    with pytest.raises(ValueError, match="Only one of `clipnorm`"):
        kcore.optimizers.Adam(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        kcore.optimizers.Adam(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="not recognized"):
        kcore.optimizers.Adam(betta_1=0.5)
    with pytest.raises(ValueError, match="weight_decay=None"):
        kcore.optimizers.AdamW(weight_decay=None)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    optimizer = cls(learning_rate=0.02, clipnorm=2.0, use_ema=True)
    config = kcore.optimizers.serialize(optimizer)
    assert config["module"] == "keras.optimizers"
    assert config["class_name"] == cls.__name__
    restored = kcore.optimizers.deserialize(config)
    assert type(restored) is cls
    assert restored.get_config() == optimizer.get_config()
    inner = optimizer.get_config()
    assert inner["learning_rate"] == pytest.approx(0.02)
    for key in ("weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "use_ema"):
        assert key in inner


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("adam", kcore.optimizers.Adam),
        ("Adam", kcore.optimizers.Adam),
        ("sgd", kcore.optimizers.SGD),
        ("SGD", kcore.optimizers.SGD),
        ("rmsprop", kcore.optimizers.RMSprop),
        ("adamw", kcore.optimizers.AdamW),
        ("adagrad", kcore.optimizers.Adagrad),
        ("adadelta", kcore.optimizers.Adadelta),
        ("adamax", kcore.optimizers.Adamax),
        ("nadam", kcore.optimizers.Nadam),
        ("ftrl", kcore.optimizers.Ftrl),
        ("lion", kcore.optimizers.Lion),
        ("adafactor", kcore.optimizers.Adafactor),
    ],
)
def test_get_by_name(identifier, cls):
    assert type(kcore.optimizers.get(identifier)) is cls


def test_get_with_config_instance_none_and_unknown():
    optimizer = kcore.optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.3}})
    assert isinstance(optimizer, kcore.optimizers.SGD)
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.3)
    assert kcore.optimizers.get(optimizer) is optimizer
    assert kcore.optimizers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        kcore.optimizers.get("not_an_optimizer")


def test_custom_optimizer_subclass():
    class HalfStep(kcore.optimizers.Optimizer):
        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)
            self.counts = self.add_optimizer_variables(var_list, "count")

        def update_step(self, gradient, variable, learning_rate):
            count = self.counts[self._get_variable_index(variable)]
            self.assign_add(count, ops.ones_like(count))
            self.assign_sub(variable, ops.multiply(0.5 * learning_rate, gradient))

    w = kcore.Variable(np.array([1.0], "float32"), name="w")
    optimizer = HalfStep(learning_rate=1.0)
    optimizer.apply([_tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5])
    np.testing.assert_allclose(optimizer.counts[0].numpy(), [1.0])
    assert optimizer.variables[-1].path == f"{optimizer.name}/w_count"


@pytest.mark.needs_training
@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_minimizes_a_quadratic_with_computed_gradients(cls):
    target = np.array([[0.5, -0.25, 1.0], [-1.0, 0.75, 0.0]], "float32")
    w = kcore.Variable(np.zeros((2, 3), "float32"), name="w")
    optimizer = cls(learning_rate=0.05)
    optimizer.build([w])

    def loss_fn(value):
        return ops.mean(ops.square(ops.subtract(value, target)))

    grad_fn = bound.value_and_grad(loss_fn)
    first_loss = None
    trainable, state = [w.value], [v.value for v in optimizer.variables]
    for _ in range(20):
        loss, grad = grad_fn(trainable[0])
        first_loss = float(ops.convert_to_numpy(loss)) if first_loss is None else first_loss
        trainable, state = optimizer.stateless_apply(state, [grad], trainable)
    final_loss = float(ops.convert_to_numpy(loss_fn(trainable[0])))
    assert final_loss < first_loss
