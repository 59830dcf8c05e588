import json

import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

DATA = np.arange(6, dtype="float32").reshape(2, 3)


@kcore.saving.register_keras_serializable(package="kcore_tests")
def double_plus(x, offset=0.0):
    return x * 2 + offset


def test_lambda_with_registered_function():
    run_layer_test(
        kcore.layers.Lambda,
        init_kwargs={"function": double_plus, "arguments": {"offset": 1.0}},
        input_data=DATA,
        expected_output_shape=(2, 3),
        expected_output=DATA * 2 + 1,
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_lambda_with_python_lambda_needs_unsafe_mode():
    with kcore.saving.SafeModeScope(False):
        run_layer_test(
            kcore.layers.Lambda,
            init_kwargs={"function": lambda x: ops.square(x)},
            input_data=DATA,
            expected_output=DATA**2,
        )
    layer = kcore.layers.Lambda(lambda x: x + 1)
    config = layer.get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert set(config["function"]["config"]) == {"code", "defaults", "closure"}
    with pytest.raises(ValueError, match="safe_mode=False"):
        kcore.layers.Lambda.from_config(config)
    serialized = kcore.saving.serialize_keras_object(layer)
    with pytest.raises(ValueError, match="arbitrary code execution"):
        kcore.saving.deserialize_keras_object(serialized)
    revived = kcore.saving.deserialize_keras_object(serialized, safe_mode=False)
    np.testing.assert_allclose(ops.convert_to_numpy(revived(DATA)), DATA + 1)
    revived = kcore.layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(ops.convert_to_numpy(revived(DATA)), DATA + 1)
    # A loaded lambda is written back byte for byte.
    assert revived.get_config()["function"] == config["function"]


def test_lambda_output_shape_inferred_given_or_computed():
    x = kcore.KerasTensor((None, 3))
    # Inferred by running the function (its dtype too).
    assert kcore.layers.Lambda(lambda t: ops.concatenate([t, t], axis=-1))(x).shape == (None, 6)
    assert kcore.layers.Lambda(lambda t: ops.cast(t, "int32"))(x).dtype == "int32"
    # Given without the batch axis.
    layer = kcore.layers.Lambda(lambda t: ops.reshape(t, (-1, 3, 1)), output_shape=(3, 1))
    assert layer(x).shape == (None, 3, 1)
    assert layer.compute_output_shape((4, 3)) == (4, 3, 1)
    # Given as a function of the full input shape.
    layer = kcore.layers.Lambda(lambda t: t[:, :2], output_shape=lambda s: (s[0], 2))
    assert layer(x).shape == (None, 2)


def test_lambda_output_shape_round_trips_as_tuple():
    layer = kcore.layers.Lambda(double_plus, output_shape=(3,))
    config = json.loads(json.dumps(layer.get_config()))
    assert config["output_shape"] == [3]
    assert kcore.layers.Lambda.from_config(config)._output_shape == (3,)


def test_lambda_mask_and_training_arguments():
    seen = {}

    def fn(x, mask=None, training=None):
        seen["mask"], seen["training"] = mask, training
        return x

    layer = kcore.layers.Lambda(fn, mask=lambda inputs, mask: ops.greater(inputs[:, :, 0], 0))
    assert layer.supports_masking
    mask = np.array([[True, False, True]])
    layer(DATA.reshape(1, 3, 2), mask=mask, training=True)
    assert seen["training"] is True
    np.testing.assert_array_equal(ops.convert_to_numpy(seen["mask"]), mask)
    computed = ops.convert_to_numpy(layer.compute_mask(DATA.reshape(1, 3, 2), None))
    np.testing.assert_array_equal(computed, [[False, True, True]])
    assert kcore.layers.Lambda(fn).compute_mask(DATA, None) is None


def test_lambda_uninferable_shape_names_the_fix():
    def fail(x):
        raise RuntimeError("no symbolic support")

    with pytest.raises(NotImplementedError, match="specify the `output_shape`"):
        kcore.layers.Lambda(fail)(kcore.KerasTensor((None, 3)))


def test_lambda_rejects_non_callable():
    with pytest.raises(TypeError, match="must be callable"):
        kcore.layers.Lambda(3)
