"""`predict` on inputs that fit in one batch takes a short path (no epoch machinery, a cached
runner): it must give what the general path gives, and follow changes to the model."""

import numpy as np
import pytest

import kcore
from kcore import layers


def _model():
    kcore.utils.set_random_seed(2)
    return kcore.Sequential([kcore.Input((4,)), layers.Dense(3), layers.Dense(2)])


def _x(n=5):
    return np.random.default_rng(0).normal(size=(n, 4)).astype("float32")


def test_one_batch_equals_the_batched_path():
    model = _model()
    x = _x(5)
    quick = model.predict(x, verbose=0)
    batched = model.predict(x, batch_size=2, verbose=0)  # three batches: the general path
    assert quick.shape == (5, 2) and quick.dtype == np.float32
    np.testing.assert_allclose(quick, batched, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(quick, kcore.ops.convert_to_numpy(model(x)), rtol=1e-5, atol=1e-6)
    # float64 input is read as floatx, as the general path does
    np.testing.assert_allclose(model.predict(x.astype("float64"), verbose=0), quick, rtol=1e-6)


def test_one_sample_repeatedly_sees_new_weights():
    model = _model()
    x = _x(1)
    first = model.predict(x, verbose=0)
    weights = model.get_weights()
    model.set_weights([w * 2 for w in weights])
    second = model.predict(x, verbose=0)
    assert not np.allclose(first, second)
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-6)


def test_a_changed_model_is_not_served_from_the_cache():
    model = _model()
    x = _x(3)
    assert model.predict(x, verbose=0).shape == (3, 2)
    model.pop()
    assert model.predict(x, verbose=0).shape == (3, 3)
    model.add(layers.Dense(7))
    assert model.predict(x, verbose=0).shape == (3, 7)


def test_structured_inputs():
    kcore.utils.set_random_seed(3)
    a, b = kcore.Input((4,), name="a"), kcore.Input((2,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    model = kcore.Model({"a": a, "b": b}, out)
    xa, xb = _x(4), np.ones((4, 2), "float32")
    quick = model.predict({"a": xa, "b": xb}, verbose=0)
    np.testing.assert_allclose(
        quick, model.predict({"a": xa, "b": xb}, batch_size=1, verbose=0), rtol=1e-6, atol=1e-6
    )
    with pytest.raises(ValueError):
        model.predict({"a": xa, "b": xb[:3]}, verbose=0)  # different sample counts
