"""GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D: values, keepdims, data formats,
the mask of GlobalAveragePooling1D, and the errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

GLOBAL = {
    ("max", 1): layers.GlobalMaxPooling1D,
    ("max", 2): layers.GlobalMaxPooling2D,
    ("max", 3): layers.GlobalMaxPooling3D,
    ("average", 1): layers.GlobalAveragePooling1D,
    ("average", 2): layers.GlobalAveragePooling2D,
    ("average", 3): layers.GlobalAveragePooling3D,
}
SHAPES = {1: (2, 5, 3), 2: (2, 4, 5, 3), 3: (2, 3, 4, 2, 3)}


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(("mode", "rank"), list(GLOBAL))
def test_global_pooling_matches_numpy(mode, rank, data_format, keepdims):
    x = _data(SHAPES[rank])
    axes = (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )
    reduce = np.max if mode == "max" else np.mean
    expected = reduce(x, axis=axes, keepdims=keepdims)
    run_layer_test(
        GLOBAL[mode, rank],
        init_kwargs={"data_format": data_format, "keepdims": keepdims},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output_dtype="float32",
        expected_output=expected,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=(mode, rank) == ("average", 1),
    )


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.GlobalMaxPooling1D(), (None, None, 4), (None, 4)),
        (layers.GlobalAveragePooling1D(keepdims=True), (None, None, 4), (None, 1, 4)),
        (layers.GlobalAveragePooling2D(data_format="channels_first"), (3, 2, None, 5), (3, 2)),
        (
            layers.GlobalMaxPooling3D(data_format="channels_first", keepdims=True),
            (None, 2, None, None, 5),
            (None, 2, 1, 1, 1),
        ),
    ],
)
def test_unknown_dims(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


def test_config_and_aliases():
    config = layers.GlobalAveragePooling2D(keepdims=True).get_config()
    assert config["keepdims"] is True and config["data_format"] == "channels_last"
    assert layers.GlobalMaxPooling2D().get_build_config() is None
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D


MASK = np.array([[True, True, False, True, False], [False, True, True, True, True]])


def _masked_mean(x, mask, steps_axis):
    weights = np.expand_dims(mask, 2 if steps_axis == 1 else 1).astype("float32")
    return (x * weights).sum(axis=steps_axis) / weights.sum(axis=steps_axis)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_averages_only_unmasked_steps(data_format):
    x = _data((2, 5, 3))
    steps_axis = 1
    if data_format == "channels_first":
        x, steps_axis = np.transpose(x, (0, 2, 1)), 2
    layer = layers.GlobalAveragePooling1D(data_format=data_format)
    got = ops.convert_to_numpy(layer(x, mask=MASK))
    np.testing.assert_allclose(got, _masked_mean(x, MASK, steps_axis), rtol=1e-6)
    kept = ops.convert_to_numpy(
        layers.GlobalAveragePooling1D(data_format=data_format, keepdims=True)(x, mask=MASK)
    )
    np.testing.assert_allclose(np.squeeze(kept, steps_axis), got, rtol=1e-6)


def test_global_average_pooling1d_ignores_non_finite_masked_steps():
    x = _data((2, 5, 3))
    x[~MASK] = np.inf
    got = ops.convert_to_numpy(layers.GlobalAveragePooling1D()(x, mask=MASK))
    x[~MASK] = 0.0
    np.testing.assert_allclose(got, _masked_mean(x, MASK, 1), rtol=1e-6)


def test_global_average_pooling1d_takes_the_mask_from_upstream_and_drops_it():
    tokens = np.array([[3, 1, 0, 0], [2, 2, 2, 0]], "int32")
    inputs = kcore.Input((4,), dtype="int32")
    embedded = layers.Embedding(5, 2, mask_zero=True, embeddings_initializer="ones")(inputs)
    pooled = layers.GlobalAveragePooling1D()(embedded)
    assert getattr(pooled, "_keras_mask", None) is None
    model = kcore.Model(inputs, pooled)
    # Every unmasked embedding is ones, so the masked mean is exactly one.
    np.testing.assert_allclose(ops.convert_to_numpy(model(tokens)), np.ones((2, 2)), rtol=1e-6)
    assert layers.GlobalAveragePooling1D().compute_mask(tokens, MASK) is None


def test_other_global_layers_do_not_support_masking():
    assert not layers.GlobalMaxPooling1D().supports_masking
    assert not layers.GlobalAveragePooling2D().supports_masking


@pytest.mark.parametrize(("mode", "rank"), list(GLOBAL))
def test_wrong_input_rank(mode, rank):
    layer = GLOBAL[mode, rank](name="global_pool")
    shape = SHAPES[rank][:-1]
    with pytest.raises(ValueError, match=rf'"global_pool".*expected ndim={rank + 2}'):
        layer(np.zeros(shape, "float32"))


def test_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.GlobalMaxPooling2D(data_format="NHWC")
