"""HashedCrossing: Keras's crossed bins for integer and string features, output modes, errors."""

import numpy as np
import pytest

import kcore
from kcore import layers, ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_keras_bins_for_integers_and_strings():
    layer = layers.HashedCrossing(num_bins=5)
    output = layer((np.array([1, 2, 3]), np.array(["A", "B", "C"])))
    assert ops.is_tensor(output)
    np.testing.assert_array_equal(_np(output), [2, 3, 3])
    np.testing.assert_array_equal(
        _np(layer(([[1], [2], [3]], [["A"], ["B"], ["C"]]))), [[2], [3], [3]]
    )
    assert _np(layer((np.array(1), np.array("A")))).tolist() == 2


def test_one_hot_output_and_three_features():
    layer = layers.HashedCrossing(num_bins=5, output_mode="one_hot")
    output = layer((np.array([[1], [2]]), np.array([[4], [5]])))
    assert kcore.backend.standardize_dtype(output.dtype) == "float32"
    np.testing.assert_array_equal(_np(output), [[1, 0, 0, 0, 0], [0, 0, 0, 1, 0]])
    three = layers.HashedCrossing(num_bins=100)(
        [np.array([1, 2]), np.array([3, 4]), np.array(["a", "a"])]
    )
    assert _np(three).shape == (2,)


def test_symbolic_output_spec_and_config():
    layer = layers.HashedCrossing(num_bins=7, output_mode="one_hot")
    output = layer(
        [kcore.KerasTensor((None, 1), dtype="int32"), kcore.KerasTensor((None, 1), dtype="string")]
    )
    assert output.shape == (None, 7) and output.dtype == "float32"
    config = layer.get_config()
    assert sorted(config) == ["dtype", "name", "num_bins", "output_mode", "sparse"]
    assert layers.HashedCrossing.from_config(config).get_config() == config
    assert layers.HashedCrossing(num_bins=3).get_config()["dtype"] == "int64"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (np.array([1, 2]), "list or tuple of inputs"),
        ((np.array([1, 2]),), "at least two inputs"),
        ((np.array([1, 2]), np.array([1, 2, 3])), "equal shape"),
        ((np.ones((2, 2), "int32"), np.ones((2, 2), "int32")), r"shape `\(\)`, `\(batch_size\)`"),
        ((np.array([1.0, 2.0]), np.array([1, 2])), "integer or string dtype"),
    ],
)
def test_input_errors(inputs, message):
    with pytest.raises(ValueError, match=message):
        layers.HashedCrossing(num_bins=5)(inputs)


def test_constructor_errors():
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.HashedCrossing(num_bins=5, output_mode="multi_hot")
    with pytest.raises(ValueError, match="sparse=True"):
        layers.HashedCrossing(num_bins=5, sparse=True)
