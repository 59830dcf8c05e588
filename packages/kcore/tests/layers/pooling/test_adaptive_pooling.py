"""AdaptiveMaxPooling1D/2D/3D and AdaptiveAveragePooling1D/2D/3D: values against numpy windows,
data formats, output sizes larger than the input, shapes and argument errors."""

import math

import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

ADAPTIVE = {
    ("max", 1): layers.AdaptiveMaxPooling1D,
    ("max", 2): layers.AdaptiveMaxPooling2D,
    ("max", 3): layers.AdaptiveMaxPooling3D,
    ("average", 1): layers.AdaptiveAveragePooling1D,
    ("average", 2): layers.AdaptiveAveragePooling2D,
    ("average", 3): layers.AdaptiveAveragePooling3D,
}


def numpy_adaptive_pool(x, output_size, mode):
    """Channels-last adaptive pooling: output `i` of an axis of `n` pools `[floor(i n / out),
    ceil((i + 1) n / out))`."""
    sizes = x.shape[1:-1]
    result = np.empty((x.shape[0], *output_size, x.shape[-1]), x.dtype)
    reduce = np.max if mode == "max" else np.mean
    for index in np.ndindex(*output_size):
        window = tuple(
            slice(i * n // out, math.ceil((i + 1) * n / out))
            for i, n, out in zip(index, sizes, output_size)
        )
        values = x[(slice(None), *window, slice(None))].reshape(x.shape[0], -1, x.shape[-1])
        result[(slice(None), *index, slice(None))] = reduce(values, axis=1)
    return result


CASES = [
    # (rank, input shape (channels last), output_size argument, output_size tuple)
    (1, (2, 7, 3), 3, (3,)),
    (1, (2, 4, 2), (6,), (6,)),
    (2, (2, 7, 5, 3), 3, (3, 3)),
    (2, (1, 6, 9, 2), (4, 2), (4, 2)),
    (3, (1, 5, 4, 6, 2), (2, 3, 4), (2, 3, 4)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(("rank", "shape", "output_size", "sizes"), CASES)
def test_adaptive_pooling_matches_numpy(rank, shape, output_size, sizes, mode, data_format):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    expected = numpy_adaptive_pool(x, sizes, mode)
    if data_format == "channels_first":
        to_first = (0, rank + 1, *range(1, rank + 1))
        x, expected = np.transpose(x, to_first), np.transpose(expected, to_first)
    run_layer_test(
        ADAPTIVE[mode, rank],
        init_kwargs={"output_size": output_size, "data_format": data_format},
        input_data=x,
        expected_output_shape=expected.shape,
        expected_output=expected,
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_config_as_keras():
    layer = layers.AdaptiveAveragePooling2D(3, data_format="channels_first")
    config = layer.get_config()
    assert config["output_size"] == (3, 3) and config["data_format"] == "channels_first"
    assert layers.AdaptiveMaxPooling1D([4]).output_size == (4,)
    layer = layers.AdaptiveMaxPooling2D(2)
    layer(np.zeros((1, 4, 4, 1), "float32"))
    assert layer.get_build_config() == {"input_shape": (1, 4, 4, 1)}


@pytest.mark.parametrize(
    ("layer", "input_shape", "expected"),
    [
        (layers.AdaptiveMaxPooling1D(4), (None, None, 3), (None, 4, 3)),
        (layers.AdaptiveAveragePooling2D((2, 3)), (None, None, None, 3), (None, 2, 3, 3)),
        (
            layers.AdaptiveAveragePooling3D(2, data_format="channels_first"),
            (5, 3, None, 4, None),
            (5, 3, 2, 2, 2),
        ),
    ],
)
def test_unknown_dims(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert layer(kcore.KerasTensor(input_shape)).shape == expected


def test_wrong_input_rank():
    with pytest.raises(ValueError, match=r'"adaptive".*expected ndim=4, found ndim=3'):
        layers.AdaptiveMaxPooling2D(2, name="adaptive")(np.zeros((1, 4, 4), "float32"))


@pytest.mark.parametrize(
    ("layer_cls", "output_size", "match"),
    [
        (layers.AdaptiveMaxPooling1D, (2, 2), r"AdaptiveMaxPooling1D.*`output_size`.*tuple of 1"),
        (layers.AdaptiveAveragePooling2D, 0, r"AdaptiveAveragePooling2D.*`output_size`.*> 0"),
        (layers.AdaptiveAveragePooling3D, (2, 2), r"`output_size`.*tuple of 3"),
        (layers.AdaptiveMaxPooling2D, "2", r"`output_size`"),
    ],
)
def test_bad_output_size(layer_cls, output_size, match):
    with pytest.raises(ValueError, match=match):
        layer_cls(output_size)


def test_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.AdaptiveMaxPooling3D(2, data_format="channels_middle")


def test_adaptive_pooling_in_a_functional_model():
    inputs = kcore.Input((None, None, 2))
    outputs = layers.AdaptiveAveragePooling2D(2)(inputs)
    model = kcore.Model(inputs, outputs)
    x = np.random.default_rng(1).standard_normal((2, 5, 7, 2)).astype("float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(model(x)), numpy_adaptive_pool(x, (2, 2), "average"), rtol=1e-5
    )
