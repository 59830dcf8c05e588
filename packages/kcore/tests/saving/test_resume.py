"""Training resumes exactly where it stopped: a model saved after 2 epochs, loaded and trained
2 more ends with the same weights as 4 uninterrupted epochs (optimizer moments, its step count
and a learning-rate schedule on it, BatchNormalization's moving statistics)."""

import numpy as np
import pytest

import kcore

pytestmark = pytest.mark.needs_training


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = (np.tanh(x @ rng.normal(size=(6, 2))) > 0).astype("float32")
    return x, y


def _compiled():
    kcore.utils.set_random_seed(0)
    model = kcore.Sequential(
        [
            kcore.Input((6,)),
            kcore.layers.Dense(16, activation="relu"),
            kcore.layers.BatchNormalization(),
            kcore.layers.Dense(2, activation="sigmoid"),
        ]
    )
    schedule = kcore.optimizers.schedules.ExponentialDecay(0.02, decay_steps=5, decay_rate=0.8)
    model.compile(
        optimizer=kcore.optimizers.Adam(schedule), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


@pytest.mark.parametrize("extension", [".keras", ".weights.h5"])
def test_two_epochs_saved_loaded_and_two_more_equal_four(tmp_path, extension):
    x, y = _data()
    fit = {"batch_size": 16, "shuffle": True, "verbose": 0}
    uninterrupted = _compiled()
    kcore.utils.set_random_seed(1)
    uninterrupted.fit(x, y, epochs=4, **fit)

    first = _compiled()
    kcore.utils.set_random_seed(1)
    first.fit(x, y, epochs=2, **fit)
    path = str(tmp_path / f"after_two{extension}")
    if extension == ".keras":
        first.save(path)
        resumed = kcore.saving.load_model(path)
    else:
        first.save_weights(path)
        resumed = _compiled()  # a fresh model: its optimizer is built when the file is read
        resumed.load_weights(path)
    assert int(resumed.optimizer.iterations.numpy()) == 12
    kcore.utils.set_random_seed(1)  # the same shuffling seed, epochs 2 and 3 of it
    resumed.fit(x, y, initial_epoch=2, epochs=4, **fit)

    assert int(resumed.optimizer.iterations.numpy()) == 24
    for got, expected in zip(resumed.get_weights(), uninterrupted.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    for got, expected in zip(resumed.optimizer.variables, uninterrupted.optimizer.variables):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6, atol=1e-7)
