import numpy as np
import pytest

import kcore


def make_model(seed=0):
    """A small built Sequential model (2 inputs, 1 output) with deterministic weights."""
    model = kcore.Sequential([kcore.Input((2,)), kcore.layers.Dense(1)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


@pytest.fixture(name="make_model")
def make_model_fixture():
    """`make_model(seed)`: builds more small models in a test."""
    return make_model


@pytest.fixture
def model():
    return make_model()


@pytest.fixture
def sgd_model():
    """A small model with a real SGD optimizer attached, as `compile` would."""
    from kcore.optimizers.sgd import SGD

    model = make_model()
    model.optimizer = SGD(learning_rate=0.1)
    return model
