"""Subclassed models and model utilities: layers, weights, summary."""

import numpy as np
import pytest

import kcore
from kcore import layers


class TwoLayers(kcore.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x, training=None):
        return self.out(self.hidden(x))


def test_subclassed_model_tracks_its_layers_and_builds_on_call():
    model = TwoLayers()
    assert model(np.ones((2, 3), "float32")).shape == (2, 1)
    assert [layer.name for layer in model.layers] == [model.hidden.name, model.out.name]
    assert model.count_params() == 3 * 8 + 8 + 8 + 1
    assert model.weights[0].path == f"{model.name}/{model.hidden.name}/kernel"


def test_build_needs_a_shape():
    model = TwoLayers()
    with pytest.raises(ValueError, match="input shape"):
        model.build()
    model.build((None, 5))
    assert model.built and model.hidden.kernel.shape == (5, 8)


def test_count_params_of_an_unbuilt_layer_explains_the_fix():
    with pytest.raises(ValueError, match="isn't built"):
        layers.Dense(3).count_params()


def test_summary_matches_keras_table_and_totals():
    model = kcore.Sequential(
        [kcore.Input((784,)), layers.Dense(64, name="d1"), layers.Dense(10, name="d2")],
        name="mlp",
    )
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert 'Model: "mlp"' in text
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "d1 (Dense)" in text and "(None, 64)" in text and "50,240" in text
    assert "Total params: 50,890 (198.79 KB)" in text
    assert "Trainable params: 50,890 (198.79 KB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_summary_of_a_frozen_functional_model_counts_non_trainable():
    x = kcore.Input((4,), name="x")
    y = kcore.Input((4,), name="y")
    frozen = layers.Dense(2, name="frozen", trainable=False)
    out = layers.Add()([frozen(x), layers.Dense(2, name="free")(y)])
    model = kcore.Model([x, y], out)
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text and "x[0][0]" in text
    assert "Trainable params: 10 (40.00 B)" in text
    assert "Non-trainable params: 10 (40.00 B)" in text


def test_get_set_weights_between_models():
    a, b = TwoLayers(), TwoLayers()
    x = np.ones((1, 3), "float32")
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    np.testing.assert_allclose(
        kcore.ops.convert_to_numpy(a(x)), kcore.ops.convert_to_numpy(b(x)), rtol=1e-6
    )
