"""Dense through the shared layer test helper, and its Keras-specific behaviour."""

import numpy as np
import pytest

import kcore
from kcore import layers
from kcore.testing.layers import run_layer_test


def test_dense_basics():
    run_layer_test(
        layers.Dense,
        init_kwargs={"units": 3, "activation": "relu"},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_dense_on_3d_inputs_with_regularizers_and_no_bias():
    run_layer_test(
        layers.Dense,
        init_kwargs={
            "units": 5,
            "use_bias": False,
            "kernel_regularizer": "l2",
            "activity_regularizer": "l1",
        },
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 5),
        expected_num_trainable_weights=1,
        expected_num_losses=2,
    )


def test_dense_values():
    layer = layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")
    run_layer_test(
        layers.Dense,
        init_kwargs={"units": 2, "kernel_initializer": "ones", "bias_initializer": "ones"},
        input_data=np.array([[1.0, 2.0, 3.0]], "float32"),
        expected_output=[[7.0, 7.0]],
    )
    assert layer.get_config()["kernel_initializer"]["class_name"] == "Ones"


def test_dense_rejects_bad_units():
    with pytest.raises(ValueError, match="units=0"):
        layers.Dense(0)


def test_dense_parameter_count_matches_keras():
    layer = layers.Dense(64)
    layer.build((None, 784))
    assert layer.count_params() == 50240


def test_input_layer():
    x = kcore.Input(shape=(3,), batch_size=4, name="pixels", dtype="int32")
    assert x.shape == (4, 3) and x.dtype == "int32" and x.name == "pixels"
    layer = x._keras_history[0].operation
    assert isinstance(layer, layers.InputLayer)
    assert layers.InputLayer.from_config(layer.get_config()).batch_shape == (4, 3)
    with pytest.raises(ValueError, match="shape"):
        kcore.Input()
