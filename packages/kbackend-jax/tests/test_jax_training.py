"""Training on JAX the ways Keras 3's JAX guides write it: a stateless `train_step(state, data)`
with `jax.value_and_grad`, and a hand-written loop around `stateless_call` and an optimizer."""

import jax
import numpy as np
import pytest

import kcore

pytestmark = pytest.mark.skipif(
    kcore.backend.backend() != "jax", reason="JAX-specific training patterns"
)


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")


class StatelessModel(kcore.Model):
    """The Keras 3 guide "Customizing what happens in fit() with JAX"."""

    def __init__(self):
        super().__init__()
        self.dense = kcore.layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def compute_loss_and_updates(
        self, trainable_variables, non_trainable_variables, metrics_variables, x, y, training
    ):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=training
        )
        loss, (trainable_variables, non_trainable_variables, metrics_variables) = (
            self.stateless_compute_loss(
                trainable_variables,
                non_trainable_variables,
                metrics_variables,
                x=x,
                y=y,
                y_pred=y_pred,
                training=training,
            )
        )
        return loss, (y_pred, non_trainable_variables, metrics_variables)

    def train_step(self, state, data):
        trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
        x, y = data
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (loss, (y_pred, non_trainable_variables, metrics_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, metrics_variables, x, y, True
        )
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        new_metrics_variables, logs = [], {}
        for metric in self.metrics:
            start = len(new_metrics_variables)
            this = metrics_variables[start : start + len(metric.variables)]
            if metric.name == "loss":
                this = metric.stateless_update_state(this, loss)
            else:
                this = metric.stateless_update_state(this, y, y_pred)
            result = metric.stateless_result(this)
            logs.update(result if isinstance(result, dict) else {metric.name: result})
            new_metrics_variables += this
        state = (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            new_metrics_variables,
        )
        return logs, state


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_stateless_train_step_from_the_keras_jax_guide(run_eagerly):
    x, y = _data()
    model = StatelessModel()
    model.compile(
        optimizer=kcore.optimizers.Adam(0.05), loss="mse", metrics=["mae"], run_eagerly=run_eagerly
    )
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.optimizer.iterations.numpy() == 40


def test_hand_written_loop_with_stateless_call_and_an_optimizer():
    x, y = _data()
    model = kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(1)])
    optimizer = kcore.optimizers.SGD(0.1)
    optimizer.build(model.trainable_variables)
    loss_fn = kcore.losses.MeanSquaredError()

    @jax.jit
    def train_step(state, xb, yb):
        trainable, non_trainable, optimizer_variables = state

        def compute(trainable):
            y_pred, _ = model.stateless_call(trainable, non_trainable, xb, training=True)
            return loss_fn(yb, y_pred)

        loss, grads = jax.value_and_grad(compute)(trainable)
        trainable, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable
        )
        return loss, (trainable, non_trainable, optimizer_variables)

    state = (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in optimizer.variables],
    )
    losses = []
    for _ in range(30):
        loss, state = train_step(state, x, y)
        losses.append(float(loss))
    for variable, value in zip(model.trainable_variables, state[0]):
        variable.assign(value)
    assert losses[-1] < 0.05 * losses[0]
    np.testing.assert_allclose(model.predict(x, verbose=0), y, atol=0.3)
