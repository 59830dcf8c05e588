"""Sequential models: list or add/pop, with or without Input, deferred build."""

import numpy as np
import pytest

import kcore
from kcore import layers


def test_with_input_builds_at_once_and_counts_like_keras():
    model = kcore.Sequential([kcore.Input((784,)), layers.Dense(64), layers.Dense(10)])
    assert model.built
    assert model.count_params() == 784 * 64 + 64 + 64 * 10 + 10 == 50890
    assert model.output_shape == (None, 10) and model.input_shape == (None, 784)
    assert len(model.layers) == 2  # the InputLayer is not listed


def test_without_input_builds_on_first_call():
    model = kcore.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not model.built
    out = model(np.ones((3, 5), "float32"))
    assert model.built and out.shape == (3, 2)
    assert model(np.ones((7, 5), "float32")).shape == (7, 2)  # any batch size afterwards
    assert model.count_params() == 5 * 4 + 4 + 4 * 2 + 2


def test_first_layer_input_shape_argument_adds_an_input():
    model = kcore.Sequential([layers.Dense(3, input_shape=(4,))])
    assert model.built and model.output_shape == (None, 3)


def test_add_and_pop():
    model = kcore.Sequential()
    model.add(kcore.Input((4,)))
    model.add(layers.Dense(3))
    model.add(layers.Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and model.output_shape == (None, 3)
    with pytest.raises(ValueError, match="Only instances of `kcore.Layer`"):
        model.add("dense")


def test_duplicate_layer_names_are_refused():
    model = kcore.Sequential([layers.Dense(2, name="same")])
    with pytest.raises(ValueError, match='"same" is already the name'):
        model.add(layers.Dense(2, name="same"))


def test_build_with_explicit_shape_and_get_layer():
    model = kcore.Sequential([layers.Dense(2, name="a"), layers.Dense(1, name="b")])
    model.build((None, 3))
    assert model.get_layer("b").kernel.shape == (2, 1)
    assert model.get_layer(index=0).name == "a"
    with pytest.raises(ValueError, match="No such layer: c"):
        model.get_layer("c")


def test_weights_round_trip_and_config():
    model = kcore.Sequential([kcore.Input((3,)), layers.Dense(2, activation="relu")])
    twin = kcore.Sequential.from_config(model.get_config())
    twin.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(
        kcore.ops.convert_to_numpy(twin(x)), kcore.ops.convert_to_numpy(model(x)), rtol=1e-6
    )
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        model.set_weights([np.zeros((3, 2))])


def test_nested_in_another_sequential():
    inner = kcore.Sequential([layers.Dense(4)])
    outer = kcore.Sequential([kcore.Input((2,)), inner, layers.Dense(1)])
    assert outer.output_shape == (None, 1)
    assert outer.count_params() == (2 * 4 + 4) + (4 + 1)
