"""Every optimizer's weights after a few `apply` calls match a textbook numpy implementation, on
its own and with each shared feature (clipping, weight decay, EMA, gradient accumulation).

`apply` with given gradients needs no autodiff, so these run on every backend.
"""

import numpy as np
import optimizer_reference as ref
import pytest

import kcore
from kcore import ops

LR = 0.1
RNG = np.random.RandomState(7)
W0 = RNG.uniform(-1, 1, (2, 3)).astype("float32")
W1 = RNG.uniform(-1, 1, (3,)).astype("float32")
# Gradients kept away from zero so that sign-based rules (Lion) are not at a discontinuity.
GRADS = [
    [
        (np.sign(RNG.uniform(-1, 1, W0.shape)) * RNG.uniform(0.2, 2.0, W0.shape)).astype("float32"),
        (np.sign(RNG.uniform(-1, 1, W1.shape)) * RNG.uniform(0.2, 2.0, W1.shape)).astype("float32"),
    ]
    for _ in range(4)
]

# name -> (kcore constructor, numpy rule, extra reference arguments)
OPTIMIZERS = {
    "sgd": (lambda **kw: kcore.optimizers.SGD(**kw), ref.sgd(), {}),
    "sgd_momentum": (
        lambda **kw: kcore.optimizers.SGD(momentum=0.9, **kw),
        ref.sgd(momentum=0.9),
        {},
    ),
    "sgd_nesterov": (
        lambda **kw: kcore.optimizers.SGD(momentum=0.9, nesterov=True, **kw),
        ref.sgd(momentum=0.9, nesterov=True),
        {},
    ),
    "adam": (lambda **kw: kcore.optimizers.Adam(**kw), ref.adam(), {}),
    "adam_amsgrad": (
        lambda **kw: kcore.optimizers.Adam(amsgrad=True, **kw),
        ref.adam(amsgrad=True),
        {},
    ),
    "adamw": (lambda **kw: kcore.optimizers.AdamW(**kw), ref.adam(), {"weight_decay": 0.004}),
    "rmsprop": (lambda **kw: kcore.optimizers.RMSprop(**kw), ref.rmsprop(), {}),
    "rmsprop_centered_momentum": (
        lambda **kw: kcore.optimizers.RMSprop(momentum=0.5, centered=True, **kw),
        ref.rmsprop(momentum=0.5, centered=True),
        {},
    ),
    "adagrad": (lambda **kw: kcore.optimizers.Adagrad(**kw), ref.adagrad(), {}),
    "adadelta": (lambda **kw: kcore.optimizers.Adadelta(**kw), ref.adadelta(), {}),
    "adamax": (lambda **kw: kcore.optimizers.Adamax(**kw), ref.adamax(), {}),
    "nadam": (lambda **kw: kcore.optimizers.Nadam(**kw), ref.nadam(), {}),
    "ftrl": (lambda **kw: kcore.optimizers.Ftrl(**kw), ref.ftrl(), {}),
    "ftrl_regularized": (
        lambda **kw: kcore.optimizers.Ftrl(
            l1_regularization_strength=0.01,
            l2_regularization_strength=0.02,
            l2_shrinkage_regularization_strength=0.03,
            beta=0.1,
            **kw,
        ),
        ref.ftrl(l1=0.01, l2=0.02, l2_shrinkage=0.03, beta=0.1),
        {},
    ),
    "lion": (lambda **kw: kcore.optimizers.Lion(**kw), ref.lion(), {}),
    "adafactor": (lambda **kw: kcore.optimizers.Adafactor(**kw), ref.adafactor(), {}),
}

FEATURES = {
    "plain": {},
    "clipnorm": {"clipnorm": 1.0},
    "clipvalue": {"clipvalue": 0.5},
    "global_clipnorm": {"global_clipnorm": 1.5},
    "weight_decay": {"weight_decay": 0.05},
    "ema": {"use_ema": True, "ema_momentum": 0.9},
    "ema_overwrite": {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 2},
    "gradient_accumulation": {"gradient_accumulation_steps": 2},
}


def _run_kcore(optimizer, steps):
    w0, w1 = kcore.Variable(W0, name="w0"), kcore.Variable(W1, name="w1")
    for grads in GRADS[:steps]:
        optimizer.apply([ops.convert_to_tensor(g) for g in grads], [w0, w1])
    return [w0.numpy(), w1.numpy()]


@pytest.mark.parametrize("feature", list(FEATURES))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_weights_match_the_textbook_update_rule(name, feature):
    make, rule, reference_kwargs = OPTIMIZERS[name]
    kwargs = dict(FEATURES[feature])
    if name == "adamw" and "weight_decay" in kwargs:
        reference_kwargs = {}
    steps = 4 if "gradient_accumulation_steps" in kwargs else 3
    optimizer = make(learning_rate=LR, **kwargs)
    got = _run_kcore(optimizer, steps)
    expected, averages = ref.run(
        rule, [W0, W1], GRADS[:steps], LR, **{**reference_kwargs, **kwargs}
    )
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=2e-5, atol=2e-6)
    assert int(ops.convert_to_numpy(optimizer.iterations)) == (
        steps // kwargs.get("gradient_accumulation_steps", 1)
    )
    if kwargs.get("use_ema"):
        for average, e in zip(optimizer._model_variables_moving_average, averages):
            np.testing.assert_allclose(average.numpy(), e, rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_stateless_apply_matches_apply_and_leaves_variables_untouched(name):
    make, _, _ = OPTIMIZERS[name]
    expected = _run_kcore(make(learning_rate=LR), 3)

    w0, w1 = kcore.Variable(W0, name="w0"), kcore.Variable(W1, name="w1")
    optimizer = make(learning_rate=LR)
    optimizer.build([w0, w1])
    initial_state = [v.numpy() for v in optimizer.variables]
    trainable = [w0.value, w1.value]
    state = [v.value for v in optimizer.variables]
    for grads in GRADS[:3]:
        trainable, state = optimizer.stateless_apply(
            state, [ops.convert_to_tensor(g) for g in grads], trainable
        )
    for g, e in zip(trainable, expected):
        np.testing.assert_allclose(ops.convert_to_numpy(g), e, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(w0.numpy(), W0)
    np.testing.assert_array_equal(w1.numpy(), W1)
    for variable, value in zip(optimizer.variables, initial_state):
        np.testing.assert_array_equal(variable.numpy(), value)
    assert int(ops.convert_to_numpy(state[0])) == 3


@pytest.mark.parametrize(
    "name", ["sgd_momentum", "adam", "nadam", "adafactor", "rmsprop_centered_momentum"]
)
def test_stateless_apply_is_traceable_in_a_compiled_loop(name):
    """Three steps inside `ops.fori_loop` (a compiled loop where the backend has one) give the
    weights of three eager `apply` calls, with accumulation and EMA switched on."""
    make, _, _ = OPTIMIZERS[name]
    kwargs = {"gradient_accumulation_steps": 2, "use_ema": True, "ema_overwrite_frequency": 2}
    expected_optimizer = make(learning_rate=LR, **kwargs)
    expected = _run_kcore(expected_optimizer, 4)

    w0, w1 = kcore.Variable(W0, name="w0"), kcore.Variable(W1, name="w1")
    optimizer = make(learning_rate=LR, **kwargs)
    optimizer.build([w0, w1])
    grads = [ops.convert_to_tensor(np.stack([g[i] for g in GRADS])) for i in range(2)]

    def body(i, carry):
        trainable, state = carry
        step_grads = [ops.take(g, i, axis=0) for g in grads]
        new_trainable, new_state = optimizer.stateless_apply(state, step_grads, trainable)
        return list(new_trainable), list(new_state)

    init = ([w0.value, w1.value], [v.value for v in optimizer.variables])
    trainable, state = ops.fori_loop(0, 4, body, init)
    for g, e in zip(trainable, expected):
        np.testing.assert_allclose(ops.convert_to_numpy(g), e, rtol=1e-5, atol=1e-6)
    for value, variable in zip(state, expected_optimizer.variables):
        np.testing.assert_allclose(
            ops.convert_to_numpy(value), variable.numpy(), rtol=1e-5, atol=1e-6
        )
