"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: shapes, values against numpy, data formats,
symbolic shapes and the errors a user can make."""

import math

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

MAX = {1: layers.MaxPooling1D, 2: layers.MaxPooling2D, 3: layers.MaxPooling3D}
AVERAGE = {1: layers.AveragePooling1D, 2: layers.AveragePooling2D, 3: layers.AveragePooling3D}


def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else tuple(value)


def numpy_pool(x, pool_size, strides, padding, mode):
    """Channels-last pooling in numpy; "same" pads as TensorFlow (extra at the end) and leaves
    padded positions out of the window."""
    n = x.ndim - 2
    pool_size, strides = _tuple(pool_size, n), _tuple(strides, n)
    sizes = x.shape[1:-1]
    if padding == "valid":
        out = [(s - p) // st + 1 for s, p, st in zip(sizes, pool_size, strides)]
        pads = [(0, 0)] * n
    else:
        out = [math.ceil(s / st) for s, st in zip(sizes, strides)]
        totals = [
            max((o - 1) * st + p - s, 0) for o, st, p, s in zip(out, strides, pool_size, sizes)
        ]
        pads = [(t // 2, t - t // 2) for t in totals]
    padded = np.pad(x.astype("float64"), [(0, 0), *pads, (0, 0)], constant_values=np.nan)
    result = np.empty((x.shape[0], *out, x.shape[-1]))
    reduce = np.nanmax if mode == "max" else np.nanmean
    for index in np.ndindex(*out):
        window = tuple(slice(i * st, i * st + p) for i, st, p in zip(index, strides, pool_size))
        values = padded[(slice(None), *window, slice(None))].reshape(x.shape[0], -1, x.shape[-1])
        result[(slice(None), *index, slice(None))] = reduce(values, axis=1)
    return result.astype(x.dtype)


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


CASES = [
    # (rank, input shape (channels last), pool_size, strides, padding)
    (1, (2, 7, 3), 2, None, "valid"),
    (1, (2, 7, 3), 3, 2, "same"),
    (1, (2, 5, 2), 5, 1, "valid"),
    (2, (2, 5, 6, 3), (2, 2), None, "valid"),
    (2, (2, 5, 7, 2), (3, 2), (2, 1), "same"),
    (2, (1, 6, 6, 1), 3, 1, "valid"),
    (3, (2, 4, 5, 3, 2), (2, 2, 2), None, "valid"),
    (3, (1, 5, 4, 3, 2), (3, 2, 2), (2, 1, 2), "same"),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(("rank", "shape", "pool_size", "strides", "padding"), CASES)
def test_pooling_matches_numpy(mode, rank, shape, pool_size, strides, padding):
    layer_cls = (MAX if mode == "max" else AVERAGE)[rank]
    x = _data(shape)
    expected = numpy_pool(x, pool_size, pool_size if strides is None else strides, padding, mode)
    run_layer_test(
        layer_cls,
        init_kwargs={"pool_size": pool_size, "strides": strides, "padding": padding},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output_dtype="float32",
        expected_output=expected,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
    )


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(("rank", "shape", "pool_size", "strides", "padding"), CASES)
def test_channels_first_is_transposed_channels_last(mode, rank, shape, pool_size, strides, padding):
    layer_cls = (MAX if mode == "max" else AVERAGE)[rank]
    x = _data(shape, seed=1)
    to_first = (0, rank + 1, *range(1, rank + 1))
    to_last = (0, *range(2, rank + 2), 1)
    kwargs = {"pool_size": pool_size, "strides": strides, "padding": padding}
    last = layer_cls(data_format="channels_last", **kwargs)(x)
    first_layer = layer_cls(data_format="channels_first", **kwargs)
    first = first_layer(np.transpose(x, to_first))
    np.testing.assert_allclose(
        np.transpose(ops.convert_to_numpy(first), to_last), ops.convert_to_numpy(last), rtol=1e-6
    )
    transposed = tuple(shape[i] for i in to_first)
    assert first_layer.compute_output_shape(transposed) == tuple(first.shape)


def test_default_arguments_and_config():
    layer = layers.MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2)
    assert layer.padding == "valid" and layer.data_format == "channels_last"
    assert layers.MaxPooling1D().pool_size == (2,)
    assert layers.MaxPooling3D().strides == (2, 2, 2)
    config = layers.AveragePooling2D(3, strides=1, padding="SAME").get_config()
    assert {k: config[k] for k in ("pool_size", "strides", "padding", "data_format")} == {
        "pool_size": (3, 3),
        "strides": (1, 1),
        "padding": "same",
        "data_format": "channels_last",
    }
    with pytest.raises(TypeError):
        layers.AveragePooling1D()


def test_pooling_layers_write_no_build_config_as_keras():
    layer = layers.MaxPooling2D()
    layer(np.zeros((1, 4, 4, 1), "float32"))
    assert layer.get_build_config() is None


def test_data_format_defaults_to_the_configured_image_data_format():
    previous = kcore.config.image_data_format()
    kcore.config.set_image_data_format("channels_first")
    try:
        assert layers.MaxPooling2D().data_format == "channels_first"
        assert layers.GlobalMaxPooling2D().data_format == "channels_first"
    finally:
        kcore.config.set_image_data_format(previous)


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.MaxPooling2D(2), (None, None, 7, 3), (None, None, 3, 3)),
        (layers.MaxPooling2D(2, padding="same"), (None, 7, None, 3), (None, 4, None, 3)),
        (
            layers.AveragePooling2D(2, data_format="channels_first"),
            (None, 3, None, 9),
            (None, 3, None, 4),
        ),
        (layers.AveragePooling1D(3, strides=2), (4, None, 5), (4, None, 5)),
        (layers.MaxPooling3D(2, padding="same"), (None, 5, None, 3, 1), (None, 3, None, 2, 1)),
    ],
)
def test_unknown_dims_stay_unknown(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


def test_aliases_are_the_keras_names_of_the_same_classes():
    assert layers.MaxPool1D is layers.MaxPooling1D
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.MaxPool3D is layers.MaxPooling3D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.AvgPool2D is layers.AveragePooling2D
    assert layers.AvgPool3D is layers.AveragePooling3D


def test_pooling_in_a_functional_model():
    inputs = kcore.Input((8, 8, 3))
    x = layers.MaxPooling2D()(inputs)
    outputs = layers.AveragePooling2D(2, padding="same")(x)
    model = kcore.Model(inputs, outputs)
    assert model.output_shape == (None, 2, 2, 3)
    x = _data((2, 8, 8, 3))
    expected = numpy_pool(numpy_pool(x, 2, 2, "valid", "max"), 2, 2, "same", "average")
    np.testing.assert_allclose(ops.convert_to_numpy(model(x)), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.needs_training
def test_max_pooling_trains_inside_fit():
    kcore.utils.set_random_seed(0)
    model = kcore.Sequential(
        [
            kcore.Input((6, 6, 2)),
            layers.Conv2D(2, 1),  # gradients flow through the pooling layers
            layers.MaxPooling2D(),
            layers.AveragePooling2D(3, padding="same"),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = _data((16, 6, 6, 2))
    y = x.max(axis=(1, 2, 3))[:, None]
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layer_cls", [layers.MaxPooling2D, layers.AveragePooling2D])
def test_wrong_input_rank_names_the_layer(layer_cls):
    layer = layer_cls(2, name="pool")
    with pytest.raises(ValueError, match=r'layer "pool".*expected ndim=4, found ndim=3'):
        layer(np.zeros((2, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r'layer "pool".*expected ndim=4, found ndim=5'):
        layer(kcore.KerasTensor((None, 4, 4, 4, 1)))


@pytest.mark.parametrize("layer_cls", [layers.MaxPooling2D, layers.AveragePooling2D])
def test_window_larger_than_the_input_is_a_clear_error(layer_cls):
    message = r"'small'.*pool_size=\(3, 3\).*\(2, 5\).*\(1, 2, 5, 1\).*padding=\"same\""
    with pytest.raises(ValueError, match=message):
        layer_cls(3, name="small")(np.zeros((1, 2, 5, 1), "float32"))
    with pytest.raises(ValueError, match=r"pool_size=\(3, 3\).*\(None, 2, 5, 1\)"):
        layer_cls(3)(kcore.KerasTensor((None, 2, 5, 1)))
    with pytest.raises(ValueError, match=r"pool_size=\(3, 3\)"):
        layer_cls(3).compute_output_shape((None, 5, 2, 1))
    # "same" padding always leaves an output.
    assert tuple(layer_cls(3, padding="same")(np.zeros((1, 2, 5, 1), "float32")).shape) == (
        1,
        1,
        2,
        1,
    )


def test_window_larger_than_a_later_input_is_a_clear_error_where_the_backend_refuses():
    layer = layers.MaxPooling1D(4, name="late")
    layer(np.zeros((1, 8, 1), "float32"))
    try:
        output = layer(np.zeros((1, 2, 1), "float32"))
    except ValueError as error:
        assert "'late'" in str(error) and "pool_size=(4,)" in str(error)
    else:
        assert 0 in tuple(output.shape)


@pytest.mark.parametrize("padding", ["full", "causal", None, 3])
def test_unknown_padding(padding):
    with pytest.raises(ValueError, match=r'MaxPooling2D.*"valid" or "same".*padding='):
        layers.MaxPooling2D(padding=padding)


def test_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.AveragePooling1D(2, data_format="channels_middle")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pool_size": 0}, r"MaxPooling2D.*`pool_size`.*> 0.*pool_size=0"),
        ({"pool_size": (2, -1)}, r"`pool_size`.*pool_size=\(2, -1\)"),
        ({"pool_size": (2, 2, 2)}, r"`pool_size`.*tuple of 2 integers"),
        ({"pool_size": "2"}, r"`pool_size`"),
        ({"pool_size": 2.5}, r"`pool_size`"),
        ({"strides": 0}, r"`strides`.*strides=0"),
        ({"strides": (1,)}, r"`strides`"),
    ],
)
def test_bad_window_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.MaxPooling2D(**kwargs)


def test_a_model_with_pooling_layers_saves_and_loads(tmp_path):
    inputs = kcore.Input((8, 8, 2))
    x = layers.MaxPooling2D(padding="same")(inputs)
    x = layers.AveragePooling2D(2, strides=1)(x)
    x = layers.AdaptiveMaxPooling2D(2)(x)
    outputs = layers.GlobalAveragePooling2D(keepdims=True)(x)
    model = kcore.Model(inputs, outputs)
    path = tmp_path / "pooling.keras"
    model.save(path)
    restored = kcore.saving.load_model(path)
    x = _data((2, 8, 8, 2))
    np.testing.assert_allclose(ops.convert_to_numpy(restored(x)), ops.convert_to_numpy(model(x)))
    assert [type(layer).__name__ for layer in restored.layers[1:]] == [
        "MaxPooling2D",
        "AveragePooling2D",
        "AdaptiveMaxPooling2D",
        "GlobalAveragePooling2D",
    ]
