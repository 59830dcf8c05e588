"""Functional models: several inputs and outputs, dicts and lists, shared layers, nested models."""

import json

import numpy as np
import pytest

import kcore
from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _two_in_two_out():
    a = kcore.Input((8,), name="a")
    b = kcore.Input((4,), name="b")
    shared = layers.Dense(4, name="shared")
    joined = layers.Concatenate()([shared(b), shared(layers.Dense(4, name="project")(a))])
    nested = kcore.Sequential([layers.Dense(6, activation="relu"), layers.Dense(3)], name="inner")
    out_1 = nested(joined)
    out_2 = layers.Dense(2, name="head")(joined)
    return kcore.Model([a, b], [out_1, out_2], name="two_by_two")


def test_two_inputs_two_outputs_shared_layer_and_nested_sequential():
    model = _two_in_two_out()
    assert model.output_shape == [(None, 3), (None, 2)]
    assert [layer.name for layer in model.layers][:2] == ["a", "b"]
    out_1, out_2 = model([np.ones((5, 8), "float32"), np.ones((5, 4), "float32")])
    assert out_1.shape == (5, 3) and out_2.shape == (5, 2)
    # The shared layer's weights count once.
    expected = (8 * 4 + 4) + (4 * 4 + 4) + (8 * 6 + 6) + (6 * 3 + 3) + (8 * 2 + 2)
    assert model.count_params() == expected


def test_dict_inputs_and_outputs():
    x = kcore.Input((3,), name="features")
    y = kcore.Input((1,), name="extra")
    h = layers.Dense(2)(x) + y
    model = kcore.Model({"features": x, "extra": y}, {"score": h, "raw": x})
    out = model({"features": np.ones((2, 3), "float32"), "extra": np.zeros((2, 1), "float32")})
    assert set(out) == {"score", "raw"} and out["score"].shape == (2, 2)
    with pytest.raises(ValueError, match="lacks \\['extra'\\]"):
        model({"features": np.ones((2, 3), "float32")})


def test_model_as_a_layer_inside_another_functional_model():
    inner_in = kcore.Input((4,))
    inner = kcore.Model(inner_in, layers.Dense(2)(inner_in), name="inner")
    outer_in = kcore.Input((4,))
    outer = kcore.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    assert outer(np.ones((3, 4), "float32")).shape == (3, 1)
    assert outer.count_params() == (4 * 2 + 2) + (2 + 1)


def test_raw_ops_between_layers():
    x = kcore.Input((3,))
    y = ops.relu(layers.Dense(3)(x)) * 2.0 + ops.sum(x, axis=-1, keepdims=True)
    model = kcore.Model(x, y)
    data = np.ones((2, 3), "float32")
    dense = model.layers[1]
    expected = 2 * np.maximum(data @ dense.kernel.numpy() + dense.bias.numpy(), 0) + 3
    np.testing.assert_allclose(_np(model(data)), expected, rtol=1e-6)


def test_disconnected_graph_names_the_layers():
    a = kcore.Input((2,), name="first")
    b = kcore.Input((2,), name="second")
    out = layers.Dense(1, name="uses_b")(b)
    with pytest.raises(ValueError, match='graph disconnected.*"second".*"uses_b"'):
        kcore.Model(a, out)


def test_same_input_twice_is_refused():
    a = kcore.Input((2,), name="twice")
    with pytest.raises(ValueError, match='"twice".*twice as a model input'):
        kcore.Model([a, a], layers.Dense(1)(a))


def test_wrong_input_shape_is_a_clear_error():
    model = _two_in_two_out()
    with pytest.raises(ValueError, match="expected shape=\\(None, 8\\), found shape=\\(5, 7\\)"):
        model([np.ones((5, 7), "float32"), np.ones((5, 4), "float32")])


def test_config_round_trip_through_json_rebuilds_the_same_model():
    model = _two_in_two_out()
    config = json.loads(json.dumps(model.get_config()))
    twin = kcore.Model.from_config(config)
    assert json.dumps(twin.get_config()) == json.dumps(model.get_config())
    twin.set_weights(model.get_weights())
    data = [np.random.default_rng(1).normal(size=(3, n)).astype("float32") for n in (8, 4)]
    for got, want in zip(twin(data), model(data)):
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-6)


def test_clone_model_has_new_weights_of_the_same_shapes():
    model = _two_in_two_out()
    clone = kcore.models.clone_model(model)
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    clone.set_weights(model.get_weights())
    data = [np.ones((2, 8), "float32"), np.ones((2, 4), "float32")]
    np.testing.assert_allclose(_np(clone(data)[1]), _np(model(data)[1]), rtol=1e-6)


def test_symbolic_call_of_a_model_gives_output_specs():
    model = _two_in_two_out()
    outs = model([kcore.KerasTensor((None, 8)), kcore.KerasTensor((None, 4))])
    assert [o.shape for o in outs] == [(None, 3), (None, 2)]


def test_the_plan_is_compiled_once():
    model = _two_in_two_out()
    plan = model._plan
    model([np.ones((1, 8), "float32"), np.ones((1, 4), "float32")])
    assert model._plan is plan and len(plan.steps) == len(plan.nodes)


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_training_flag_reaches_layers_inside_the_graph(kind):
    # The graph records the call as written: Dropout's default (training=False) is not frozen in.
    if kind == "sequential":
        model = kcore.Sequential([kcore.Input((50,)), layers.Dropout(0.5)])
    else:
        inputs = kcore.Input((50,))
        model = kcore.Model(inputs, layers.Dropout(0.5)(inputs))
    x = np.ones((4, 50), "float32")
    dropped = kcore.ops.convert_to_numpy(model(x, training=True))
    assert (dropped == 0).any() and set(np.unique(dropped)) <= {0.0, 2.0}
    np.testing.assert_array_equal(kcore.ops.convert_to_numpy(model(x, training=False)), x)
    np.testing.assert_array_equal(kcore.ops.convert_to_numpy(model(x)), x)


def test_layers_are_listed_in_keras_order():
    # Keras 3 lists a Functional model's layers by depth (deepest first), then in the order a
    # walk from the outputs meets them: weights files name layers by this order
    # (`layers/dense`, `layers/dense_1`...), so it must be Keras's. Expected order from Keras 3.15.
    features = kcore.Input((6,), name="features")
    tokens = kcore.Input((5,), dtype="int32", name="tokens")
    embedded = layers.GlobalAveragePooling1D(name="pool")(
        layers.Embedding(20, 4, name="embed")(tokens)
    )
    hidden = layers.Dense(8, name="hidden")(features)
    merged = layers.Concatenate(name="merge")([hidden, embedded])
    scores = layers.Dense(2, name="scores")(merged)
    flag = layers.Dense(1, name="flag")(layers.Dense(3, name="pre_flag")(hidden))
    model = kcore.Model([features, tokens], [scores, flag])
    assert [layer.name for layer in model.layers] == [
        "tokens",
        "features",
        "embed",
        "hidden",
        "pool",
        "merge",
        "pre_flag",
        "scores",
        "flag",
    ]
