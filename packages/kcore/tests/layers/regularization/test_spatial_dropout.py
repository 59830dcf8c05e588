"""SpatialDropout1D/2D/3D: whole channels dropped in training, identity at inference, the
data formats, Keras's config, and the errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize(
    ("cls", "shape", "kwargs"),
    [
        (layers.SpatialDropout1D, (2, 3, 4), {}),
        (layers.SpatialDropout2D, (2, 3, 3, 4), {"data_format": "channels_last"}),
        (layers.SpatialDropout2D, (2, 4, 3, 3), {"data_format": "channels_first"}),
        (layers.SpatialDropout3D, (2, 2, 3, 3, 4), {}),
        (layers.SpatialDropout3D, (2, 4, 2, 3, 3), {"data_format": "channels_first"}),
    ],
)
def test_spatial_dropout_basics(cls, shape, kwargs):
    data = np.random.default_rng(0).normal(size=shape).astype("float32")
    run_layer_test(
        cls,
        init_kwargs={"rate": 0.5, "seed": 1, **kwargs},
        input_data=data,
        expected_output_shape=shape,
        expected_output=data,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


@pytest.mark.parametrize(
    ("layer", "shape", "channel_axis"),
    [
        (layers.SpatialDropout1D(0.4, seed=3), (20, 5, 30), 2),
        (layers.SpatialDropout2D(0.4, data_format="channels_last", seed=3), (20, 3, 3, 30), 3),
        (layers.SpatialDropout2D(0.4, data_format="channels_first", seed=3), (20, 30, 3, 3), 1),
        (layers.SpatialDropout3D(0.4, data_format="channels_last", seed=3), (20, 2, 2, 2, 30), 4),
        (layers.SpatialDropout3D(0.4, data_format="channels_first", seed=3), (20, 30, 2, 2, 2), 1),
    ],
)
def test_training_drops_whole_channels_and_rescales(layer, shape, channel_axis):
    out = _np(layer(np.ones(shape, "float32"), training=True))
    # One value per (example, channel): constant over the spatial axes.
    spatial = tuple(a for a in range(1, len(shape)) if a != channel_axis)
    first = out[tuple(slice(None) if a not in spatial else slice(0, 1) for a in range(len(shape)))]
    np.testing.assert_array_equal(out, np.broadcast_to(first, shape))
    values = np.unique(out)
    np.testing.assert_allclose(values, [0.0, 1 / 0.6], rtol=1e-6)
    assert abs((out == 0).mean() - 0.4) < 0.1


def test_default_data_format_follows_the_config():
    previous = kcore.config.image_data_format()
    try:
        kcore.config.set_image_data_format("channels_first")
        assert layers.SpatialDropout2D(0.5).data_format == "channels_first"
    finally:
        kcore.config.set_image_data_format(previous)
    assert layers.SpatialDropout3D(0.5).data_format == previous


def test_seeded_layers_reproduce_and_calls_differ():
    x = np.ones((4, 6, 16), "float32")
    a = layers.SpatialDropout1D(0.5, seed=11)
    first, second = _np(a(x, training=True)), _np(a(x, training=True))
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(
        _np(layers.SpatialDropout1D(0.5, seed=11)(x, training=True)), first
    )


def test_config_has_the_keras_keys():
    assert set(layers.SpatialDropout1D(0.2).get_config()) == {"rate", "seed", "name", "dtype"}
    config = layers.SpatialDropout2D(0.2, seed=4).get_config()
    assert set(config) == {"rate", "seed", "name", "dtype", "data_format"}
    assert layers.SpatialDropout2D.from_config(config).get_config() == config


def test_wrong_rank_is_refused_with_the_layer_name():
    with pytest.raises(ValueError, match=r'"sd2".*expected ndim=4'):
        layers.SpatialDropout2D(0.5, name="sd2")(np.ones((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="ndim=3"):
        layers.SpatialDropout1D(0.5)(np.ones((2, 3), "float32"))


def test_unknown_data_format_is_refused():
    with pytest.raises(ValueError, match="SpatialDropout2D: unknown data_format 'channels_middle'"):
        layers.SpatialDropout2D(0.5, data_format="channels_middle")
    with pytest.raises(ValueError, match="SpatialDropout3D: unknown data_format"):
        layers.SpatialDropout3D(0.5, data_format="NHWC")


@pytest.mark.parametrize("rate", [-0.1, 1.5, "half"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError, match="rate"):
        layers.SpatialDropout1D(rate)
