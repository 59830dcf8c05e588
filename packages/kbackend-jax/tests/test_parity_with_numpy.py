"""The same model with the same weights gives the same outputs on numpy and on jax."""

import numpy as np

import kcore
from kcore import layers


def _model():
    a = kcore.Input((6,), name="a")
    b = kcore.Input((4,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    joined = layers.Concatenate()([shared(b), shared(layers.Dense(4, name="project")(a))])
    inner = kcore.Sequential(
        [layers.Dense(5, activation="relu"), layers.Dropout(0.5), layers.Dense(3)], name="inner"
    )
    logits = inner(joined)
    return kcore.Model(
        [a, b], [layers.Softmax()(logits), layers.Dense(2, activation="gelu")(joined)]
    )


def _run(backend, weights, data):
    previous = kcore.backend.backend()
    kcore.backend.activate(backend)
    try:
        model = _model()
        if weights is not None:
            model.set_weights(weights)
        outputs = model(data)
        assert [tuple(o.shape) for o in outputs] == [(8, 3), (8, 2)]
        return model.get_weights(), [np.asarray(kcore.ops.convert_to_numpy(o)) for o in outputs]
    finally:
        kcore.backend.activate(previous)


def test_same_weights_same_outputs_on_numpy_and_jax():
    rng = np.random.default_rng(0)
    data = [rng.normal(size=(8, 6)).astype("float32"), rng.normal(size=(8, 4)).astype("float32")]
    weights, jax_outputs = _run("jax", None, data)
    _, numpy_outputs = _run("numpy", weights, data)
    for got, want in zip(numpy_outputs, jax_outputs):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
