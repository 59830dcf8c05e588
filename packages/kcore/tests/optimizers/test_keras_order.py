"""Optimizer variables come out in Keras 3.15's order, with its names and shapes, so optimizer
state in a `.weights.h5` file (stored by index) moves between Keras and kcore both ways.

The expected lists were recorded once from Keras 3.15.1 (jax backend): after
`keras.utils.clear_session()`, `optimizer.build(model.trainable_variables)` on
``Sequential([Input((4,)), Dense(3)])``, the ``(path, shape)`` of each of `optimizer.variables`.
"""

import numpy as np
import pytest

import kcore

K, B = (4, 3), (3,)  # the Dense kernel and bias shapes


def _head(prefix):
    return [(f"{prefix}/iteration", ()), (f"{prefix}/learning_rate", ())]


ADAM = [
    ("adam/iteration", ()),
    ("adam/learning_rate", ()),
    ("adam/sequential_dense_kernel_momentum", K),
    ("adam/sequential_dense_kernel_velocity", K),
    ("adam/sequential_dense_bias_momentum", B),
    ("adam/sequential_dense_bias_velocity", B),
]

CASES = {
    "sgd": (lambda: kcore.optimizers.SGD(), _head("sgd")),
    "sgd_momentum": (
        lambda: kcore.optimizers.SGD(momentum=0.9),
        _head("sgd")
        + [
            ("sgd/sequential_dense_kernel_momentum", K),
            ("sgd/sequential_dense_bias_momentum", B),
        ],
    ),
    "adam": (lambda: kcore.optimizers.Adam(), ADAM),
    "adam_amsgrad": (
        lambda: kcore.optimizers.Adam(amsgrad=True),
        ADAM
        + [
            ("adam/sequential_dense_kernel_velocity_hat", K),
            ("adam/sequential_dense_bias_velocity_hat", B),
        ],
    ),
    "adamw": (
        lambda: kcore.optimizers.AdamW(),
        [
            ("adam_w/iteration", ()),
            ("adam_w/learning_rate", ()),
            ("adam_w/sequential_dense_kernel_momentum", K),
            ("adam_w/sequential_dense_kernel_velocity", K),
            ("adam_w/sequential_dense_bias_momentum", B),
            ("adam_w/sequential_dense_bias_velocity", B),
        ],
    ),
    "adamw_amsgrad": (
        lambda: kcore.optimizers.AdamW(amsgrad=True),
        [
            ("adam_w/iteration", ()),
            ("adam_w/learning_rate", ()),
            ("adam_w/sequential_dense_kernel_momentum", K),
            ("adam_w/sequential_dense_kernel_velocity", K),
            ("adam_w/sequential_dense_bias_momentum", B),
            ("adam_w/sequential_dense_bias_velocity", B),
            ("adam_w/sequential_dense_kernel_velocity_hat", K),
            ("adam_w/sequential_dense_bias_velocity_hat", B),
        ],
    ),
    "rmsprop": (
        lambda: kcore.optimizers.RMSprop(),
        [
            ("rm_sprop/iteration", ()),
            ("rm_sprop/learning_rate", ()),
            ("rm_sprop/sequential_dense_kernel_velocity", K),
            ("rm_sprop/sequential_dense_bias_velocity", B),
        ],
    ),
    "rmsprop_centered_momentum": (
        lambda: kcore.optimizers.RMSprop(momentum=0.9, centered=True),
        [
            ("rm_sprop/iteration", ()),
            ("rm_sprop/learning_rate", ()),
            ("rm_sprop/sequential_dense_kernel_velocity", K),
            ("rm_sprop/sequential_dense_bias_velocity", B),
            ("rm_sprop/sequential_dense_kernel_momentum", K),
            ("rm_sprop/sequential_dense_bias_momentum", B),
            ("rm_sprop/sequential_dense_kernel_average_gradient", K),
            ("rm_sprop/sequential_dense_bias_average_gradient", B),
        ],
    ),
    "adagrad": (
        lambda: kcore.optimizers.Adagrad(),
        [
            ("adagrad/iteration", ()),
            ("adagrad/learning_rate", ()),
            ("adagrad/sequential_dense_kernel_accumulator", K),
            ("adagrad/sequential_dense_bias_accumulator", B),
        ],
    ),
    "adadelta": (
        lambda: kcore.optimizers.Adadelta(),
        [
            ("adadelta/iteration", ()),
            ("adadelta/learning_rate", ()),
            ("adadelta/sequential_dense_kernel_accumulated_grad", K),
            ("adadelta/sequential_dense_kernel_accumulated_delta_var", K),
            ("adadelta/sequential_dense_bias_accumulated_grad", B),
            ("adadelta/sequential_dense_bias_accumulated_delta_var", B),
        ],
    ),
    "adamax": (
        lambda: kcore.optimizers.Adamax(),
        [
            ("adamax/iteration", ()),
            ("adamax/learning_rate", ()),
            ("adamax/sequential_dense_kernel_momentum", K),
            ("adamax/sequential_dense_kernel_norm", K),
            ("adamax/sequential_dense_bias_momentum", B),
            ("adamax/sequential_dense_bias_norm", B),
        ],
    ),
    "nadam": (
        lambda: kcore.optimizers.Nadam(),
        [
            ("nadam/iteration", ()),
            ("nadam/learning_rate", ()),
            ("nadam/sequential_dense_kernel_momentum", K),
            ("nadam/sequential_dense_kernel_velocity", K),
            ("nadam/sequential_dense_bias_momentum", B),
            ("nadam/sequential_dense_bias_velocity", B),
            ("variable", ()),
        ],
    ),
    "ftrl": (
        lambda: kcore.optimizers.Ftrl(),
        [
            ("ftrl/iteration", ()),
            ("ftrl/learning_rate", ()),
            ("ftrl/sequential_dense_kernel_accumulator", K),
            ("ftrl/sequential_dense_kernel_linear", K),
            ("ftrl/sequential_dense_bias_accumulator", B),
            ("ftrl/sequential_dense_bias_linear", B),
        ],
    ),
    "lion": (
        lambda: kcore.optimizers.Lion(),
        [
            ("lion/iteration", ()),
            ("lion/learning_rate", ()),
            ("lion/sequential_dense_kernel_momentum", K),
            ("lion/sequential_dense_bias_momentum", B),
        ],
    ),
    "adafactor": (
        lambda: kcore.optimizers.Adafactor(),
        [
            ("adafactor/iteration", ()),
            ("adafactor/learning_rate", ()),
            ("adafactor/kernel", (4,)),
            ("adafactor/kernel", (3,)),
            ("adafactor/sequential_dense_kernel_velocity", K),
            ("bias", ()),
            ("bias", ()),
            ("adafactor/sequential_dense_bias_velocity", B),
        ],
    ),
    "adam_ema": (
        lambda: kcore.optimizers.Adam(use_ema=True),
        [
            ("adam/iteration", ()),
            ("adam/learning_rate", ()),
            ("adam/sequential_dense_kernel_average", K),
            ("adam/sequential_dense_bias_average", B),
            ("adam/sequential_dense_kernel_momentum", K),
            ("adam/sequential_dense_kernel_velocity", K),
            ("adam/sequential_dense_bias_momentum", B),
            ("adam/sequential_dense_bias_velocity", B),
        ],
    ),
    "adam_accumulation": (
        lambda: kcore.optimizers.Adam(gradient_accumulation_steps=2),
        [
            ("adam/iteration", ()),
            ("adam/learning_rate", ()),
            ("adam/sequential_dense_kernel_gradient_accumulator", K),
            ("adam/sequential_dense_bias_gradient_accumulator", B),
            ("adam/sequential_dense_kernel_momentum", K),
            ("adam/sequential_dense_kernel_velocity", K),
            ("adam/sequential_dense_bias_momentum", B),
            ("adam/sequential_dense_bias_velocity", B),
        ],
    ),
    "sgd_momentum_ema_accumulation": (
        lambda: kcore.optimizers.SGD(momentum=0.9, use_ema=True, gradient_accumulation_steps=2),
        [
            ("sgd/iteration", ()),
            ("sgd/learning_rate", ()),
            ("sgd/sequential_dense_kernel_average", K),
            ("sgd/sequential_dense_bias_average", B),
            ("sgd/sequential_dense_kernel_gradient_accumulator", K),
            ("sgd/sequential_dense_bias_gradient_accumulator", B),
            ("sgd/sequential_dense_kernel_momentum", K),
            ("sgd/sequential_dense_bias_momentum", B),
        ],
    ),
    "adam_schedule": (
        lambda: kcore.optimizers.Adam(
            learning_rate=kcore.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
        ),
        [entry for entry in ADAM if entry[0] != "adam/learning_rate"],
    ),
    "loss_scale_optimizer": (
        lambda: kcore.optimizers.LossScaleOptimizer(kcore.optimizers.Adam()),
        [
            ("loss_scale_optimizer/iteration", ()),
            ("loss_scale_optimizer/learning_rate", ()),
            ("loss_scale_optimizer/step_counter", ()),
            ("loss_scale_optimizer/dynamic_scale", ()),
        ]
        + ADAM,
    ),
}


def _built(make):
    kcore.utils.clear_session()
    model = kcore.Sequential([kcore.Input((4,)), kcore.layers.Dense(3)])
    optimizer = make()
    optimizer.build(model.trainable_variables)
    return optimizer


@pytest.mark.parametrize("case", sorted(CASES))
def test_variables_match_keras_order_names_and_shapes(case):
    make, expected = CASES[case]
    optimizer = _built(make)
    assert [(v.path, tuple(v.shape)) for v in optimizer.variables] == expected


def test_default_names_are_keras_automatic_names():
    kcore.utils.clear_session()
    assert kcore.optimizers.SGD().name == "sgd"
    assert kcore.optimizers.AdamW().name == "adam_w"
    assert kcore.optimizers.AdamW().name == "adam_w_1"
    assert kcore.optimizers.RMSprop().get_config()["name"] == "rm_sprop"


def _state(optimizer):
    return {str(i): np.asarray(v.numpy()) for i, v in enumerate(optimizer.variables)}


def test_state_round_trips_through_the_keras_layout():
    source = _built(lambda: kcore.optimizers.Adam())
    for i, variable in enumerate(source.variables[2:]):
        variable.assign(np.full(variable.shape, i + 1.0, "float32"))
    target = _built(lambda: kcore.optimizers.Adam())
    target.load_own_variables(_state(source))
    for a, b in zip(source.variables, target.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_loading_a_different_count_raises_and_assigns_nothing():
    saved = _state(_built(lambda: kcore.optimizers.Adam(amsgrad=True)))
    target = _built(lambda: kcore.optimizers.Adam())
    before = _state(target)
    with pytest.raises(ValueError, match=r"'adam' \(Adam\): it has 6 variables.*holds 8"):
        target.load_own_variables(saved)
    after = _state(target)
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_loading_different_shapes_raises_and_assigns_nothing():
    saved = _state(_built(lambda: kcore.optimizers.Adam()))
    saved["1"] = np.asarray(0.5, "float32")
    saved["3"] = np.zeros((3, 4), "float32")
    target = _built(lambda: kcore.optimizers.Adam())
    with pytest.raises(ValueError, match=r"kernel_velocity expects \(4, 3\), found \(3, 4\)"):
        target.load_own_variables(saved)
    assert float(target.variables[1].numpy()) == pytest.approx(0.001)
