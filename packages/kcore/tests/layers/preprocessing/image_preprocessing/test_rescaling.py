"""Rescaling: `inputs * scale + offset` in the compute dtype, per-channel scales, any rank."""

import numpy as np

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test


def test_rescaling_basics():
    x = np.array([[0.0, 127.5, 255.0]], "float32")
    run_layer_test(
        layers.Rescaling,
        init_kwargs={"scale": 1 / 127.5, "offset": -1.0},
        input_data=x,
        expected_output=np.array([[-1.0, 0.0, 1.0]]),
        expected_output_shape=(1, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_integer_inputs_give_floats():
    out = layers.Rescaling(0.5)(np.array([[0, 3, 255]], "uint8"))
    assert kcore.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_array_equal(ops.convert_to_numpy(out), [[0.0, 1.5, 127.5]])


def test_per_channel_scale_and_offset_follow_the_channel_axis():
    images = np.random.default_rng(0).random((2, 4, 5, 3)).astype("float32")
    scale, offset = np.array([1.0, 2.0, 3.0], "float32"), [0.0, 0.5, -0.5]
    out = layers.Rescaling(scale, offset)(images)
    np.testing.assert_allclose(ops.convert_to_numpy(out), images * scale + offset, rtol=1e-6)
    previous = kcore.config.image_data_format()
    kcore.config.set_image_data_format("channels_first")
    try:
        first = layers.Rescaling(scale)(np.transpose(images, (0, 3, 1, 2)))
    finally:
        kcore.config.set_image_data_format(previous)
    np.testing.assert_allclose(
        np.transpose(ops.convert_to_numpy(first), (0, 2, 3, 1)), images * scale, rtol=1e-6
    )


def test_numpy_scales_survive_the_config_round_trip():
    layer = layers.Rescaling(np.array([0.5, 2.0], "float32"), offset=1.0)
    config = layer.get_config()
    assert config["scale"]["class_name"] == "__numpy__"
    restored = layers.Rescaling.from_config(config)
    x = np.ones((3, 2), "float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(restored(x)), ops.convert_to_numpy(layer(x)))


def test_mixed_precision_computes_in_float16():
    out = layers.Rescaling(0.5, dtype="mixed_float16")(np.ones((2, 2), "float32"))
    assert kcore.backend.standardize_dtype(out.dtype) == "float16"
