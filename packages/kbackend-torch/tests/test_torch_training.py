"""Training on torch the ways Keras 3's torch guides write it, and what the torch backend promises:
a custom `train_step` with `loss.backward()`, a hand-written loop with a kcore optimizer,
`torch.compile`, DataLoader input, no autograd in predict, and flat memory over repeated calls."""

import gc
import warnings

import numpy as np
import pytest

import kcore

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(
    kcore.backend.backend() != "torch", reason="torch-specific training patterns"
)


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")


def _model():
    return kcore.Sequential([kcore.Input((3,)), kcore.layers.Dense(8), kcore.layers.Dense(1)])


class BackwardModel(kcore.Model):
    """The Keras 3 guide "Customizing what happens in fit() with PyTorch"."""

    def __init__(self):
        super().__init__()
        self.hidden = kcore.layers.Dense(8)
        self.out = kcore.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = list(self.trainable_weights)
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_custom_train_step_with_backward():
    x, y = _data()
    model = BackwardModel()
    model.compile(optimizer=kcore.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert set(history.history) == {"loss", "mae"}


def test_hand_written_loop_with_a_kcore_optimizer():
    x, y = _data()
    model = _model()
    optimizer = kcore.optimizers.SGD(0.05)
    loss_fn = kcore.losses.MeanSquaredError()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    first = None
    for _ in range(100):
        model.zero_grad()
        loss = loss_fn(yt, model(xt))
        loss.backward()
        grads = [v.value.grad for v in model.trainable_weights]
        with torch.no_grad():
            optimizer.apply(grads, model.trainable_weights)
        first = float(loss) if first is None else first
    assert float(loss) < 0.05 * first


def test_jit_compile_trains_like_eager():
    x, y = _data()
    results = []
    for jit_compile in (False, True):
        kcore.utils.set_random_seed(1)
        model = _model()
        model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
        assert model.jit_compile is jit_compile
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a compiler that falls back
            model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
        results.append(model.get_weights())
    for compiled, eager in zip(*results):
        np.testing.assert_allclose(compiled, eager, rtol=1e-5, atol=1e-6)


def _train(model, x, y, **fit):
    model.fit(x, y, epochs=3, batch_size=20, verbose=0, shuffle=False, **fit)
    return model.get_weights()


@pytest.fixture
def capture_at_once(monkeypatch):
    from kcore.trainers import step_functions

    monkeypatch.setattr(step_functions, "CAPTURE_AFTER_STEPS", 0)


def test_captured_steps_train_like_eager_steps(capture_at_once):
    # 64 samples in batches of 20: a partial last batch, so two graphs (one per batch shape).
    x, y = _data()
    results = []
    for run_eagerly in (True, False):
        kcore.utils.set_random_seed(1)
        model = _model()
        model.compile(
            optimizer=kcore.optimizers.Adam(0.01),
            loss="mse",
            metrics=["mae"],
            run_eagerly=run_eagerly,
        )
        results.append((_train(model, x, y), model.evaluate(x, y, verbose=0), model.predict(x)))
    runner = model._runners[("train", False, False, 1)][1]
    assert runner.mode == "pure" and len(runner._single.graphs) == 2
    (eager_weights, eager_eval, eager_pred), (weights, evaluation, pred) = results
    for captured, eager in zip(weights, eager_weights):
        np.testing.assert_allclose(captured, eager, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(evaluation, eager_eval, rtol=1e-5)
    np.testing.assert_allclose(pred, eager_pred, rtol=1e-5, atol=1e-6)


def test_a_step_that_cannot_be_captured_runs_eagerly(capture_at_once):
    # Dropout draws from a seeded torch.Generator (seed values read in Python): no capture.
    x, y = _data()
    model = kcore.Sequential(
        [kcore.Input((3,)), kcore.layers.Dense(8), kcore.layers.Dropout(0.2), kcore.layers.Dense(1)]
    )
    model.compile(optimizer=kcore.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    runner = model._runners[("train", False, False, 1)][1]
    assert runner.mode == "eager"
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_short_runs_stay_eager():
    from kcore.trainers import step_functions

    x, y = _data()
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    runner = model._runners[("train", False, False, 1)][1]
    assert runner._single is None and runner.eager_steps < step_functions.CAPTURE_AFTER_STEPS


def test_a_failing_compile_falls_back_with_a_message():
    from kbackend_torch.training import jit

    def step(x):
        return x * 2

    compiled = jit(step)
    compiled.call = lambda *args: (_ for _ in ()).throw(RuntimeError("unsupported op"))
    with pytest.warns(RuntimeWarning, match="runs it eagerly instead"):
        assert float(compiled(torch.tensor(2.0))) == 4.0
    assert float(compiled(torch.tensor(3.0))) == 6.0  # no second attempt, no second warning


def test_dataloader_input():
    x, y = _data()
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(dataset, batch_size=16, shuffle=True)
    model = _model()
    model.compile(optimizer=kcore.optimizers.Adam(0.05), loss="mse")
    history = model.fit(loader, epochs=15, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert model.evaluate(loader, verbose=0) < 0.1 * history.history["loss"][0]


def test_predict_and_evaluate_record_no_autograd():
    x, y = _data()
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    seen = []
    model.call = _recording(model.call, seen)
    model.predict(x, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert seen and not any(seen)
    seen.clear()
    model.fit(x, y, epochs=1, verbose=0)
    assert seen[-1]  # the training steps do record (the first call only infers shapes)


def _recording(call, seen):
    def recording_call(*args, **kwargs):
        output = call(*args, **kwargs)
        seen.append(output.requires_grad)
        return output

    return recording_call


def _live_tensors() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, torch.Tensor))


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_memory_stays_flat_over_repeated_fit_and_predict(capture_at_once, run_eagerly):
    # Captured at once (run_eagerly=False): the graphs exist before the baseline is counted.
    x, y = _data(256)
    model = _model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], run_eagerly=run_eagerly)
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    model.predict(x, verbose=0)
    baseline = _live_tensors()
    for _ in range(20):
        model.fit(x, y, epochs=2, batch_size=32, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
    assert _live_tensors() <= baseline + 5


def test_a_step_with_a_large_state_stays_eager(capture_at_once, monkeypatch):
    from kcore.trainers import step_functions

    monkeypatch.setattr(step_functions, "CAPTURE_MAX_STATE_BYTES", 100)
    x, y = _data()
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    runner = model._runners[("train", False, False, 1)][1]
    assert runner.mode == "eager" and runner._single is None
