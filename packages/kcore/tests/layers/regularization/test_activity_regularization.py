"""ActivityRegularization: identity output, an L1/L2 loss on the activity, Keras's config, and
the loss reaching `fit`."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_activity_regularization_basics():
    data = np.random.default_rng(0).normal(size=(2, 3)).astype("float32")
    run_layer_test(
        layers.ActivityRegularization,
        init_kwargs={"l1": 0.1, "l2": 0.2},
        input_data=data,
        expected_output=data,
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_losses=1,
        supports_masking=True,
    )


def test_the_loss_is_l1_plus_l2_of_the_input_per_example():
    x = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    layer(x)
    (loss,) = layer.losses
    # As in Keras 3, the penalty is divided by the batch size.
    expected = (0.1 * np.abs(x).sum() + 0.01 * (x**2).sum()) / 2
    np.testing.assert_allclose(_np(loss), expected, rtol=1e-6)
    layer(x * 0)
    np.testing.assert_allclose(_np(layer.losses[0]), 0.0)


def test_config_has_l1_and_l2_and_no_activity_regularizer():
    config = layers.ActivityRegularization(l1=0.3).get_config()
    assert set(config) == {"name", "trainable", "dtype", "l1", "l2"}
    revived = layers.ActivityRegularization.from_config(config)
    assert revived.l1 == 0.3 and revived.l2 == 0.0


def test_negative_factors_are_refused():
    with pytest.raises(ValueError, match="l1"):
        layers.ActivityRegularization(l1=-1.0)


@pytest.mark.needs_training
def test_fit_adds_the_activity_loss():
    x = np.ones((8, 2), "float32")
    y = np.zeros((8, 1), "float32")
    model = kcore.Sequential(
        [kcore.Input((2,)), layers.ActivityRegularization(l2=1.0), layers.Dense(1)]
    )
    plain = kcore.Sequential([kcore.Input((2,)), layers.Dense(1)])
    plain.set_weights(model.get_weights())
    losses = []
    for m in (model, plain):
        m.compile(optimizer=kcore.optimizers.SGD(0.0), loss="mse")
        losses.append(m.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0])
    # The L2 penalty of the all-ones batch (16) divided by its 8 examples.
    np.testing.assert_allclose(losses[0], losses[1] + 2.0, rtol=1e-5)
