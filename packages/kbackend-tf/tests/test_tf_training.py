"""Training on TensorFlow the ways Keras 3's TensorFlow guides write it, and what the backend
promises: a custom `train_step` with `tf.GradientTape`, a hand-written loop with a kcore optimizer,
tf.data input, on-device `steps_per_execution`, XLA, and flat memory over repeated calls."""

import numpy as np
import pytest

import kcore

tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.skipif(
    kcore.backend.backend() != "tensorflow", reason="TensorFlow-specific training patterns"
)


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")


def _model():
    return kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(8), kcore.layers.Dense(1)])


class TapeModel(kcore.Model):
    """The Keras 3 guide "Customizing what happens in fit() with TensorFlow"."""

    def __init__(self):
        super().__init__()
        self.hidden = kcore.layers.Dense(8)
        self.out = kcore.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_custom_train_step_with_gradient_tape(run_eagerly):
    x, y = _data()
    model = TapeModel()
    model.compile(
        optimizer=kcore.optimizers.Adam(0.05), loss="mse", metrics=["mae"], run_eagerly=run_eagerly
    )
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert set(history.history) == {"loss", "mae"}


def test_hand_written_loop_with_a_kcore_optimizer():
    x, y = _data()
    model = _model()
    optimizer = kcore.optimizers.SGD(0.05)
    loss_fn = kcore.losses.MeanSquaredError()

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)
        return loss

    model(x[:1])
    optimizer.build(model.trainable_weights)
    first = float(step(x, y))
    for _ in range(100):
        loss = step(x, y)
    assert float(loss) < 0.05 * first


@pytest.mark.parametrize("steps_per_execution", [1, 4])
@pytest.mark.parametrize("jit_compile", [False, True])
def test_steps_per_execution_and_xla_train_like_eager(steps_per_execution, jit_compile):
    x, y = _data()
    results = []
    for run_eagerly in (True, False):
        kcore.utils.set_random_seed(1)
        model = _model()
        model.compile(
            optimizer="sgd",
            loss="mse",
            run_eagerly=run_eagerly,
            jit_compile=False if run_eagerly else jit_compile,
            steps_per_execution=steps_per_execution,
        )
        model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
        results.append(model.get_weights())
    for compiled, eager in zip(*results):
        np.testing.assert_allclose(compiled, eager, rtol=1e-5, atol=1e-6)


def test_tf_data_input():
    x, y = _data()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=0).batch(16)
    model = _model()
    model.compile(optimizer=kcore.optimizers.Adam(0.05), loss="mse")
    history = model.fit(dataset, epochs=15, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert model.predict(dataset, verbose=0).shape == (64, 1)


def test_memory_stays_flat_over_repeated_fit_and_predict():
    import gc

    x, y = _data(256)
    model = _model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])

    def live_objects():
        gc.collect()
        return len(gc.get_objects())

    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    model.predict(x, verbose=0)
    baseline = live_objects()
    for _ in range(20):
        model.fit(x, y, epochs=2, batch_size=32, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
    # No new graph per call: the objects alive stay the same, give or take a few.
    assert live_objects() <= baseline + 200
