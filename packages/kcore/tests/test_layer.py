"""The Layer base class: building, state tracking, training flag, masking, losses, dtype policies."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


class Scale(layers.Layer):
    def build(self, input_shape):
        self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="factor")

    def call(self, x):
        return x * self.factor


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = layers.Dense(4)
        self.stack = [layers.Dense(3), layers.Dense(2)]
        self.by_name = {"last": layers.Dense(1)}

    def call(self, x):
        x = self.first(x)
        for layer in self.stack:
            x = layer(x)
        return self.by_name["last"](x)


def test_builds_on_first_call_with_the_input_shape():
    layer = Scale()
    assert not layer.built
    out = layer(np.ones((2, 3), "float32"))
    assert layer.built and out.shape == (2, 3)
    assert [w.path for w in layer.weights] == [f"{layer.name}/factor"]


def test_nested_layers_in_attributes_lists_and_dicts_are_tracked():
    block = Block()
    block(np.ones((2, 5), "float32"))
    assert len(block.weights) == 8
    assert block.count_params() == (5 * 4 + 4) + (4 * 3 + 3) + (3 * 2 + 2) + (2 + 1)
    assert len(block._flatten_layers()) == 5


def test_trainable_false_freezes_every_weight():
    block = Block()
    block(np.ones((1, 5), "float32"))
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 8
    assert all(not layer.trainable for layer in block._flatten_layers())
    block.trainable = True
    assert len(block.trainable_weights) == 8


def test_adding_weights_after_build_is_refused_with_the_fix():
    layer = Scale()
    layer(np.ones((1, 2), "float32"))
    with pytest.raises(ValueError, match="already built.*__init__"):
        layer.add_weight(shape=(1,), name="late")


def test_missing_build_warns_when_state_is_unbuilt():
    class Bad(layers.Layer):
        def call(self, x):
            return x * self.w  # no build: self.w never exists

    with pytest.warns(UserWarning, match="does not have a `build\\(\\)` method"):
        Bad().build((None, 3))


def test_training_flag_reaches_inner_layers():
    seen = []

    class Probe(layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, x):
            return self.probe(x)

    Outer()(np.ones((1,), "float32"), training=True)
    assert seen[-1] is True
    Outer()(np.ones((1,), "float32"))
    assert seen[-1] is None


def test_input_spec_error_names_layer_and_shapes():
    dense = layers.Dense(2, name="dense_probe")
    dense(np.ones((1, 64), "float32"))
    with pytest.raises(ValueError, match=r'"dense_probe".*axis -1.*value 64.*\(32, 10\)'):
        dense(np.ones((32, 10), "float32"))


def test_add_loss_and_regularizers_fill_losses_each_call():
    class WithLoss(layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    layer = WithLoss()
    layer(np.ones((2,), "float32"))
    layer(np.ones((2,), "float32"))
    assert len(layer.losses) == 1 and float(_np(layer.losses[0])) == 2.0

    dense = layers.Dense(
        2, kernel_regularizer=kcore.regularizers.L2(0.5), activity_regularizer="l1"
    )
    dense(np.ones((1, 3), "float32"))
    assert len(dense.losses) == 2
    kernel = dense.kernel.numpy()
    assert np.isclose(float(_np(dense.losses[1])), 0.5 * np.sum(kernel**2), rtol=1e-5)


def test_an_outer_call_clears_its_sublayers_losses_only():
    class WithLoss(layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = WithLoss()
            self.use_inner = True

        def call(self, x):
            return self.inner(x) if self.use_inner else x

    outer, other = Outer(), WithLoss()
    other(np.ones((3,), "float32"))
    outer(np.ones((2,), "float32"))
    assert len(outer.losses) == 1
    outer.use_inner = False
    outer(np.ones((2,), "float32"))  # the inner layer does not run: its old loss goes
    assert outer.losses == [] and len(other.losses) == 1


def test_mixed_precision_computes_in_float16_with_float32_weights():
    dense = layers.Dense(2, dtype="mixed_float16")
    out = dense(np.ones((1, 3), "float32"))
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
    assert dense.kernel.dtype == "float32" and dense.compute_dtype == "float16"
    bf = layers.Dense(2, dtype="mixed_bfloat16")
    assert kcore.backend.standardize_dtype(bf(np.ones((1, 3), "float32")).dtype) == "bfloat16"


def test_global_dtype_policy():
    kcore.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        assert layers.Dense(2).dtype_policy.name == "mixed_bfloat16"
    finally:
        kcore.mixed_precision.set_global_policy(None)
    assert layers.Dense(2).dtype_policy.name == "float32"


def test_masking_is_passed_to_layers_that_take_it():
    received = []

    class TakesMask(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x, mask=None):
            received.append(None if mask is None else _np(mask).tolist())
            return x

    inputs = kcore.Input((3,), dtype="int32")
    x = layers.Embedding(5, 2, mask_zero=True)(inputs)
    model = kcore.Model(inputs, TakesMask()(x))
    model(np.array([[1, 0, 2]], "int32"))
    assert received[-1] == [[True, False, True]]


def test_auto_config_for_subclasses_with_plain_arguments():
    class Plain(layers.Layer):
        def __init__(self, units, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.units, self.scale = units, scale

        def call(self, x):
            return x

    config = Plain(3, scale=2.0, name="p").get_config()
    assert config["units"] == 3 and config["scale"] == 2.0 and config["name"] == "p"
    assert Plain.from_config(config).units == 3


def test_stateless_call_leaves_variables_unchanged():
    dense = layers.Dense(2)
    x = np.ones((1, 3), "float32")
    dense(x)
    zeros = [ops.zeros_like(v.value) for v in dense.trainable_variables]
    out, non_trainable = dense.stateless_call(zeros, [], x)
    np.testing.assert_allclose(_np(out), 0.0)
    assert non_trainable == []
    assert np.abs(dense.kernel.numpy()).sum() > 0


def test_dropout_seed_state_advances_through_stateless_call():
    layer = layers.Dropout(0.5, seed=1)
    x = np.ones((4, 8), "float32")
    layer(x, training=True)
    state = [v.value for v in layer.non_trainable_variables]
    _, new_state = layer.stateless_call([], state, x, training=True)
    assert _np(new_state[0]).tolist() != _np(state[0]).tolist()


def test_names_are_unique_per_class():
    a, b = layers.Dense(1), layers.Dense(1)
    assert a.name != b.name and a.name.startswith("dense")
