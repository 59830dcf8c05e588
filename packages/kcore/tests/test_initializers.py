"""`kcore.initializers`: statistics, seeds, fans, orthogonality, configs and `get`."""

import math

import numpy as np
import pytest

import kcore
from kcore import initializers, ops

SHAPE = (400, 300)  # fan_in 400, fan_out 300: 120,000 draws


def _draw(initializer, shape=SHAPE, dtype=None):
    return ops.convert_to_numpy(initializer(shape, dtype=dtype)).astype("float64")


def test_random_normal_statistics():
    values = _draw(initializers.RandomNormal(mean=1.0, stddev=0.5, seed=1))
    assert values.shape == SHAPE
    assert abs(values.mean() - 1.0) < 0.01
    assert abs(values.std() - 0.5) < 0.01


def test_random_uniform_statistics_and_limits():
    values = _draw(initializers.RandomUniform(minval=-2.0, maxval=3.0, seed=2))
    assert values.min() >= -2.0 and values.max() < 3.0
    assert abs(values.mean() - 0.5) < 0.03
    assert abs(values.std() - 5 / math.sqrt(12)) < 0.02


def test_truncated_normal_statistics_and_limits():
    values = _draw(initializers.TruncatedNormal(mean=0.0, stddev=2.0, seed=3))
    assert np.abs(values).max() <= 4.0 + 1e-5
    assert abs(values.mean()) < 0.02
    assert abs(values.std() - 2.0 * 0.8796) < 0.02


def test_defaults_match_keras():
    assert initializers.RandomNormal().get_config() == {"seed": None, "mean": 0.0, "stddev": 0.05}
    assert initializers.RandomUniform().get_config() == {
        "seed": None,
        "minval": -0.05,
        "maxval": 0.05,
    }
    assert initializers.VarianceScaling().get_config() == {
        "seed": None,
        "scale": 1.0,
        "mode": "fan_in",
        "distribution": "truncated_normal",
        "input_axes": None,
        "output_axes": None,
    }
    assert initializers.Orthogonal().get_config() == {"seed": None, "gain": 1.0}
    assert initializers.GlorotUniform().get_config() == {
        "seed": None,
        "input_axes": None,
        "output_axes": None,
    }


FAN_IN, FAN_OUT = SHAPE
FAN_AVG = (FAN_IN + FAN_OUT) / 2


@pytest.mark.parametrize(
    "mode, fan", [("fan_in", FAN_IN), ("fan_out", FAN_OUT), ("fan_avg", FAN_AVG)]
)
@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
def test_variance_scaling_modes_and_distributions(mode, fan, distribution):
    initializer = initializers.VarianceScaling(
        scale=3.0, mode=mode, distribution=distribution, seed=4
    )
    values = _draw(initializer)
    stddev = math.sqrt(3.0 / fan)
    assert abs(values.mean()) < 0.05 * stddev
    assert abs(values.std() - stddev) < 0.02 * stddev
    if distribution == "uniform":
        assert np.abs(values).max() <= math.sqrt(3.0) * stddev
    if distribution == "truncated_normal":
        assert np.abs(values).max() <= 2 * stddev / 0.87962566103423978 + 1e-6


@pytest.mark.parametrize(
    "cls, stddev, limit",
    [
        (
            initializers.GlorotUniform,
            math.sqrt(2 / (FAN_IN + FAN_OUT)),
            math.sqrt(6 / (FAN_IN + FAN_OUT)),
        ),
        (initializers.GlorotNormal, math.sqrt(2 / (FAN_IN + FAN_OUT)), None),
        (initializers.HeUniform, math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN)),
        (initializers.HeNormal, math.sqrt(2 / FAN_IN), None),
        (initializers.LecunUniform, math.sqrt(1 / FAN_IN), math.sqrt(3 / FAN_IN)),
        (initializers.LecunNormal, math.sqrt(1 / FAN_IN), None),
    ],
)
def test_named_variance_scaling_initializers(cls, stddev, limit):
    values = _draw(cls(seed=5))
    assert abs(values.std() - stddev) < 0.02 * stddev
    assert abs(values.mean()) < 0.05 * stddev
    if limit is not None:
        assert np.abs(values).max() <= limit
        assert np.abs(values).max() > 0.99 * limit


def test_compute_fans():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((3, 5)) == (3, 5)
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((2, 3, 4, 5, 6)) == (120, 144)


def test_conv_kernel_uses_receptive_field():
    values = _draw(initializers.HeNormal(seed=6), shape=(3, 3, 64, 64))
    assert abs(values.std() - math.sqrt(2 / (9 * 64))) < 0.03 * math.sqrt(2 / (9 * 64))


def test_int_seed_gives_the_same_values_every_call():
    a = initializers.GlorotUniform(seed=7)
    first, second = _draw(a, (4, 5)), _draw(a, (4, 5))
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, _draw(initializers.GlorotUniform(seed=7), (4, 5)))
    assert not np.array_equal(first, _draw(initializers.GlorotUniform(seed=8), (4, 5)))


def test_no_seed_draws_one_seed_at_construction():
    a = initializers.RandomNormal()
    np.testing.assert_array_equal(_draw(a, (10,)), _draw(a, (10,)))
    assert a.get_config()["seed"] is None
    b = initializers.RandomNormal()
    assert not np.array_equal(_draw(a, (10,)), _draw(b, (10,)))


def test_seed_generator_gives_new_values_each_call_reproducibly():
    a = initializers.RandomUniform(seed=kcore.random.SeedGenerator(9))
    first, second = _draw(a, (10,)), _draw(a, (10,))
    assert not np.array_equal(first, second)
    b = initializers.RandomUniform(seed=kcore.random.SeedGenerator(9))
    np.testing.assert_array_equal(first, _draw(b, (10,)))
    np.testing.assert_array_equal(second, _draw(b, (10,)))


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="abc")
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    assert initializers.VarianceScaling(distribution="Normal").distribution == "truncated_normal"


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 3, 4, 8)])
def test_orthogonal_is_orthogonal(shape):
    values = _draw(initializers.Orthogonal(gain=2.0, seed=10), shape)
    assert values.shape == shape
    matrix = values.reshape(-1, shape[-1]) / 2.0
    rows, cols = matrix.shape
    gram = matrix.T @ matrix if rows >= cols else matrix @ matrix.T
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-5)
    with pytest.raises(ValueError, match="two-dimensional"):
        initializers.Orthogonal()((3,))


def test_constant_initializers():
    np.testing.assert_array_equal(_draw(initializers.Zeros(), (2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(_draw(initializers.Ones(), (2, 3)), np.ones((2, 3)))
    np.testing.assert_array_equal(_draw(initializers.Constant(4.5), (3,)), [4.5] * 3)
    np.testing.assert_array_equal(_draw(initializers.Identity(gain=3.0), (2, 3)), 3 * np.eye(2, 3))
    assert kcore.backend.standardize_dtype(initializers.Zeros()((2,)).dtype) == "float32"
    assert kcore.backend.standardize_dtype(initializers.Ones()((2,), "int32").dtype) == "int32"
    assert kcore.backend.standardize_dtype(initializers.Constant(2)((2,), "float16").dtype) == (
        "float16"
    )
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))


def test_stft_kernel_matches_formula():
    frame_length, bins = 8, 5
    real = _draw(initializers.STFT("real", window=None), (frame_length, 1, bins))
    imag = _draw(initializers.STFT("imag", window=None), (frame_length, 1, bins))
    t = np.arange(frame_length).reshape(-1, 1, 1)
    f = np.arange(bins).reshape(1, 1, -1) / ((bins - 1) * 2)
    np.testing.assert_allclose(real, np.cos(-2 * np.pi * t * f), atol=1e-6)
    np.testing.assert_allclose(imag, np.sin(-2 * np.pi * t * f), atol=1e-6)
    hann = _draw(initializers.STFT("real", window="hann", scaling=None), (frame_length, 1, bins))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / (frame_length - 1))
    np.testing.assert_allclose(
        hann, np.cos(-2 * np.pi * t * f) * window.reshape(-1, 1, 1), atol=1e-6
    )
    with pytest.raises(ValueError, match="side"):
        initializers.STFT(side="both")


ALL_CONFIGURED = [
    initializers.Zeros(),
    initializers.Ones(),
    initializers.Constant(value=2.5),
    initializers.Identity(gain=0.5),
    initializers.RandomNormal(mean=1.0, stddev=2.0, seed=1),
    initializers.RandomUniform(minval=-1.0, maxval=2.0, seed=2),
    initializers.TruncatedNormal(mean=0.5, stddev=0.1, seed=3),
    initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform", seed=4),
    initializers.GlorotUniform(seed=5),
    initializers.GlorotNormal(seed=6),
    initializers.HeNormal(seed=7),
    initializers.HeUniform(seed=8),
    initializers.LecunNormal(seed=9),
    initializers.LecunUniform(seed=10),
    initializers.Orthogonal(gain=1.5, seed=11),
    initializers.STFT(side="imag", window="hamming", scaling="spectrum", periodic=True),
]


@pytest.mark.parametrize("initializer", ALL_CONFIGURED, ids=lambda i: type(i).__name__)
def test_config_round_trip(initializer):
    cls = type(initializer)
    config = initializer.get_config()
    rebuilt = cls.from_config(config)
    assert rebuilt.get_config() == config
    assert initializer.clone().get_config() == config
    serialized = initializers.serialize(initializer)
    assert serialized["module"] == "keras.initializers"
    assert serialized["class_name"] == cls.__name__
    assert serialized["registered_name"] is None
    restored = initializers.deserialize(serialized)
    assert type(restored) is cls and restored.get_config() == config
    shape = (8, 1, 5) if cls is initializers.STFT else (4, 4)
    np.testing.assert_array_equal(_draw(initializer, shape), _draw(restored, shape))


def test_seed_generator_config_round_trip():
    initializer = initializers.HeUniform(seed=kcore.random.SeedGenerator(12))
    config = initializers.serialize(initializer)
    assert config["config"]["seed"]["class_name"] == "SeedGenerator"
    assert config["config"]["seed"]["module"] == "keras.random"
    restored = initializers.deserialize(config)
    assert isinstance(restored.seed, kcore.random.SeedGenerator)


def test_get():
    assert isinstance(initializers.get("he_normal"), initializers.HeNormal)
    assert isinstance(initializers.get("HeNormal"), initializers.HeNormal)
    assert isinstance(initializers.get("uniform"), initializers.RandomUniform)
    assert isinstance(initializers.get("normal"), initializers.RandomNormal)
    assert isinstance(initializers.get("zero"), initializers.Zeros)
    assert isinstance(initializers.get("orthogonal"), initializers.Orthogonal)
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    assert initializers.get(None) is None
    instance = initializers.Zeros()
    assert initializers.get(instance) is instance
    from_dict = initializers.get({"class_name": "Constant", "config": {"value": 3.0}})
    assert isinstance(from_dict, initializers.Constant) and from_dict.value == 3.0
    with pytest.raises(ValueError, match="Could not interpret initializer"):
        initializers.get("nope")
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
