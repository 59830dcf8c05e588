"""compile / fit / evaluate / predict: what a Keras user relies on, on every backend that trains
(and evaluate/predict on the inference-only numpy backend)."""

import numpy as np
import pytest

import kcore
from kcore import layers

needs_training = pytest.mark.needs_training


def _regression_data(n=64, features=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    w = rng.normal(size=(features, 1)).astype("float32")
    return x, x @ w + 0.5


def _mlp(features=4, units=1, name=None):
    kcore.utils.set_random_seed(1)
    return kcore.Sequential(
        [kcore.Input((features,)), layers.Dense(8, activation="relu"), layers.Dense(units)],
        name=name,
    )


def _classification_data(n=96, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, size=(n,)).astype("int32")
    centers = rng.normal(size=(classes, features)) * 3
    x = (centers[y] + rng.normal(size=(n, features))).astype("float32")
    return x, y


@needs_training
def test_fit_lowers_the_loss_and_returns_history():
    x, y = _regression_data()
    model = _mlp()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.epoch == [0, 1, 2, 3, 4]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert all(isinstance(v, float) for v in history.history["loss"])
    assert model.history is history


@needs_training
def test_validation_data_split_and_freq():
    x, y = _classification_data()
    model = _mlp(6, 3)
    model.compile(
        optimizer="adam",
        loss=kcore.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=4, validation_split=0.25, validation_freq=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2
    history = model.fit(x, y, epochs=1, validation_data=(x[:10], y[:10]), verbose=0)
    assert "val_accuracy" in history.history


@needs_training
def test_jit_eager_and_steps_per_execution_give_the_same_weights():
    x, y = _regression_data(n=50)
    results = []
    for kwargs in ({}, {"run_eagerly": True}, {"steps_per_execution": 4}):
        model = _mlp()
        model.compile(optimizer=kcore.optimizers.SGD(0.05, momentum=0.9), loss="mse", **kwargs)
        model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
        results.append(model.get_weights())
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_evaluate_and_predict(capsys):
    x, y = _regression_data(n=20)
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mse"])
    predictions = model.predict(x, batch_size=8, verbose=0)
    assert predictions.shape == (20, 1)
    np.testing.assert_allclose(predictions, kcore.ops.convert_to_numpy(model(x)), rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x[:3]), predictions[:3], rtol=1e-5)
    loss, mae, mse = model.evaluate(x, y, batch_size=8, verbose=0)
    np.testing.assert_allclose(loss, np.mean((predictions - y) ** 2), rtol=1e-4)
    np.testing.assert_allclose(mae, np.mean(np.abs(predictions - y)), rtol=1e-4)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae", "mse"}
    assert model.test_on_batch(x, y, return_dict=True)["loss"] == pytest.approx(loss, rel=1e-4)
    assert capsys.readouterr().out == ""


def test_fit_on_an_inference_only_backend_names_the_fix():
    if kcore.backend.capabilities().supports_training:
        pytest.skip("the active backend trains")
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(RuntimeError, match=r"kcore\[jax\]"):
        model.fit(*_regression_data(), verbose=0)


@needs_training
def test_multiple_outputs_with_dict_losses_metrics_and_weights():
    kcore.utils.set_random_seed(0)
    inputs = {"a": kcore.Input((3,), name="a"), "b": kcore.Input((2,), name="b")}
    merged = layers.Concatenate()([inputs["a"], inputs["b"]])
    hidden = layers.Dense(8, activation="relu")(merged)
    score = layers.Dense(1, name="score")(hidden)
    kind = layers.Dense(4, activation="softmax", name="kind")(hidden)
    model = kcore.Model(inputs, [score, kind])
    model.compile(
        optimizer="adam",
        loss={"score": "mse", "kind": "sparse_categorical_crossentropy"},
        loss_weights={"score": 0.5, "kind": 1.0},
        metrics={"kind": ["accuracy"], "score": ["mae"]},
    )
    rng = np.random.default_rng(0)
    x = {"a": rng.normal(size=(32, 3)), "b": rng.normal(size=(32, 2))}
    y = {"score": rng.normal(size=(32, 1)), "kind": rng.integers(0, 4, size=(32,))}
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "score_loss", "kind_loss", "score_mae", "kind_accuracy"}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(0.5 * logs["score_loss"] + logs["kind_loss"], rel=1e-4)
    score_pred, kind_pred = model.predict(x, verbose=0)
    assert score_pred.shape == (32, 1) and kind_pred.shape == (32, 4)


@needs_training
def test_sample_weight_and_class_weight_change_the_loss():
    x, y = _classification_data(n=32)
    model = _mlp(6, 3)
    model.compile(
        optimizer="sgd",
        loss=kcore.losses.SparseCategoricalCrossentropy(from_logits=True),
        weighted_metrics=["accuracy"],
    )
    plain = model.evaluate(x, y, verbose=0)[0]
    weights = np.where(y == 0, 2.0, 0.0).astype("float32")
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0)[0]
    assert weighted != pytest.approx(plain)
    before = model.get_weights()
    model.fit(x, y, class_weight={0: 1.0, 1: 0.0, 2: 0.0}, epochs=1, verbose=0)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


@needs_training
def test_add_loss_and_regularizers_count_in_the_loss():
    x, y = _regression_data(n=16)
    model = kcore.Sequential(
        [kcore.Input((4,)), layers.Dense(1, kernel_regularizer=kcore.regularizers.L2(10.0))]
    )
    model.compile(optimizer="sgd", loss="mse")
    with_penalty = model.evaluate(x, y, verbose=0)
    plain = np.mean((kcore.ops.convert_to_numpy(model(x)) - y) ** 2)
    kernel = model.layers[0].kernel.numpy()
    assert with_penalty == pytest.approx(plain + 10.0 * np.sum(kernel**2), rel=1e-4)


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_evaluate_counts_the_losses_layers_add(run_eagerly):
    x, y = _regression_data(n=16)
    model = kcore.Sequential(
        [kcore.Input((4,)), layers.Dense(1), layers.ActivityRegularization(l1=2.0)]
    )
    model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
    with_penalty = model.evaluate(x, y, batch_size=16, verbose=0)
    outputs = kcore.ops.convert_to_numpy(model(x))
    plain = np.mean((outputs - y) ** 2)
    # Keras 3 divides the activity penalty by the batch size.
    assert with_penalty == pytest.approx(plain + 2.0 * np.abs(outputs).sum() / 16, rel=1e-4)


@needs_training
def test_train_on_batch_accumulates_metrics_like_keras():
    x, y = _regression_data(n=8)
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    loss, mae = model.train_on_batch(x, y)
    assert isinstance(loss, float) and isinstance(mae, float)


@needs_training
def test_overridden_train_step_and_metrics_property():
    class CustomModel(kcore.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.loss_tracker = kcore.metrics.Mean(name="loss")
            self.mae_metric = kcore.metrics.MeanAbsoluteError(name="mae")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            trainable = self.trainable_variables

            def loss_fn(values):
                y_pred, _ = self.stateless_call(
                    values, [v.value for v in self.non_trainable_variables], x
                )
                return kcore.ops.mean((y_pred - y) ** 2), y_pred

            (loss, y_pred), grads = kcore.backend.bound.value_and_grad(loss_fn, has_aux=True)(
                [v.value for v in trainable]
            )
            self.optimizer.apply(grads, trainable)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    x, y = _regression_data()
    model = CustomModel()
    model.compile(optimizer="adam")
    history = model.fit(x, y, epochs=3, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0]


@needs_training
def test_overridden_compute_loss():
    class HalfLoss(kcore.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return 0.5 * kcore.ops.mean((y - y_pred) ** 2)

    x, y = _regression_data(n=16)
    model = HalfLoss()
    model.compile(optimizer="sgd")
    loss = model.evaluate(x, y, verbose=0)
    expected = 0.5 * np.mean((kcore.ops.convert_to_numpy(model(x)) - y) ** 2)
    assert loss == pytest.approx(expected, rel=1e-4)
    model.fit(x, y, epochs=1, verbose=0)


def test_bad_input_is_refused_before_training():
    x, y = _regression_data(n=16)
    model = _mlp()
    with pytest.raises(ValueError, match="compile"):
        model.evaluate(x, y)
    with pytest.raises(ValueError, match="no_such_metric"):
        model.compile(optimizer="sgd", loss="mse", metrics=["no_such_metric"])
    with pytest.raises(ValueError, match="no_such_loss"):
        model.compile(optimizer="sgd", loss="no_such_loss")
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="16.*15|15.*16"):
        model.evaluate(x, y[:15], verbose=0)


@needs_training
def test_labels_out_of_range_and_mismatched_loss_fail_before_any_step():
    x, y = _classification_data(n=16, classes=3)
    model = _mlp(6, 3)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"out of range.*\[0, 2\]"):
        model.fit(x, y + 5, epochs=1, verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="shape"):
        model.fit(x, np.zeros((16, 7), "float32"), epochs=1, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@needs_training
def test_generator_input_and_validation_split_refused():
    x, y = _regression_data(n=32)

    def batches():
        for i in range(0, 32, 8):
            yield x[i : i + 8], y[i : i + 8]

    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(batches(), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(batches(), validation_split=0.2, verbose=0)


@needs_training
def test_stop_training_from_a_callback_and_custom_hooks():
    seen = []

    class Recorder(kcore.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(("batch", batch))
            if batch == 2:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            seen.append(("epoch", epoch, sorted(logs)))

    x, y = _regression_data(n=64)
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=3, batch_size=8, callbacks=[Recorder()], verbose=0)
    assert seen == [("batch", 0), ("batch", 1), ("batch", 2), ("epoch", 0, ["loss"])]


@needs_training
def test_mixed_float16_wraps_the_optimizer_in_loss_scaling():
    kcore.dtype_policies.set_dtype_policy("mixed_float16")
    try:
        model = _mlp()
        model.compile(optimizer="sgd", loss="mse")
        assert isinstance(model.optimizer, kcore.optimizers.LossScaleOptimizer)
        history = model.fit(*_regression_data(n=16), epochs=2, verbose=0)
        assert np.isfinite(history.history["loss"]).all()
    finally:
        kcore.dtype_policies.set_dtype_policy("float32")


@needs_training
def test_fit_checks_targets_against_the_model_as_it_is_now():
    x = np.zeros((8, 4), "float32")
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1], "int32")
    model = kcore.Sequential([kcore.Input((4,)), layers.Dense(3)])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(x, labels, verbose=0)
    model.fit(x, labels, verbose=0)
    model.add(layers.Dense(2))  # two classes now: label 2 is out of range
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="2"):
        model.fit(x, labels, verbose=0)
