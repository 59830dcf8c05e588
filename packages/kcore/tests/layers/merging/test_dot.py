import numpy as np
import pytest

import kcore
from kcore import ops
from kcore.testing.layers import run_layer_test

RNG = np.random.default_rng(0)


def test_dot_rank_two():
    x1 = RNG.standard_normal((2, 4)).astype("float32")
    x2 = RNG.standard_normal((2, 4)).astype("float32")
    run_layer_test(
        kcore.layers.Dot,
        init_kwargs={"axes": 1},
        input_data=[x1, x2],
        expected_output_shape=(2, 1),
        expected_output=(x1 * x2).sum(axis=1, keepdims=True),
        expected_num_trainable_weights=0,
        rtol=1e-4,
    )


def test_dot_rank_three_with_axes_pair():
    x1 = RNG.standard_normal((2, 3, 5)).astype("float32")
    x2 = RNG.standard_normal((2, 4, 3)).astype("float32")
    run_layer_test(
        kcore.layers.Dot,
        init_kwargs={"axes": (1, 2)},
        input_data=[x1, x2],
        expected_output_shape=(2, 5, 4),
        expected_output=np.einsum("bik,bji->bkj", x1, x2),
        rtol=1e-4,
        atol=1e-4,
    )


def test_dot_mixed_ranks_and_negative_axes():
    x1 = RNG.standard_normal((2, 3)).astype("float32")
    x2 = RNG.standard_normal((2, 5, 3)).astype("float32")
    out = kcore.layers.Dot(axes=(1, -1))([x1, x2])
    np.testing.assert_allclose(
        ops.convert_to_numpy(out), np.einsum("bi,bji->bj", x1, x2), rtol=1e-4, atol=1e-5
    )
    y = kcore.layers.Dot(axes=(1, -1))(
        [kcore.KerasTensor((None, 3)), kcore.KerasTensor((None, 5, 3))]
    )
    assert y.shape == (None, 5)


def test_dot_normalize_gives_cosine_similarity():
    x1 = RNG.standard_normal((3, 4)).astype("float32")
    x2 = RNG.standard_normal((3, 4)).astype("float32")
    out = kcore.layers.dot([x1, x2], axes=1, normalize=True)
    cos = (x1 * x2).sum(1) / np.linalg.norm(x1, axis=1) / np.linalg.norm(x2, axis=1)
    np.testing.assert_allclose(ops.convert_to_numpy(out), cos[:, None], rtol=1e-4)


def test_dot_has_no_output_mask():
    layer = kcore.layers.Dot(axes=1)
    x = np.ones((1, 2), "float32")
    assert layer.compute_mask([x, x], [np.array([True]), np.array([True])]) is None


def test_dot_errors():
    with pytest.raises(TypeError, match="should be a list or an int"):
        kcore.layers.Dot(axes="1")
    with pytest.raises(ValueError, match="two elements"):
        kcore.layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="should be integers"):
        kcore.layers.Dot(axes=(1, 1.0))
    with pytest.raises(ValueError, match=r'"dot_x".*axis values 3 \(at axis 1\) != 4'):
        kcore.layers.Dot(axes=1, name="dot_x")(
            [kcore.KerasTensor((None, 3)), kcore.KerasTensor((None, 4))]
        )
    with pytest.raises(ValueError, match="list of 2 inputs"):
        kcore.layers.Dot(axes=1)([np.ones((1, 2), "float32")] * 3)
    with pytest.raises(ValueError, match="batch axis"):
        kcore.layers.Dot(axes=0)([np.ones((1, 2), "float32")] * 2)
