"""kcore.random as a user calls it: Keras's signatures, integer seeds and SeedGenerator."""

import numpy as np
import pytest

import kcore
from kcore import ops


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_integer_seed_gives_the_same_numbers_every_call():
    a = kcore.random.normal((3, 4), seed=42)
    b = kcore.random.normal((3, 4), seed=42)
    np.testing.assert_array_equal(_np(a), _np(b))
    assert not np.array_equal(_np(a), _np(kcore.random.normal((3, 4), seed=43)))
    assert ops.dtype(a) == "float32" and tuple(ops.shape(a)) == (3, 4)


def test_seed_generator_advances_and_replays():
    first = kcore.random.SeedGenerator(7)
    draws = [_np(kcore.random.uniform((5,), seed=first)) for _ in range(2)]
    assert not np.array_equal(draws[0], draws[1])
    replay = kcore.random.SeedGenerator(7)
    np.testing.assert_array_equal(draws[0], _np(kcore.random.uniform((5,), seed=replay)))


def test_set_random_seed_makes_unseeded_draws_reproducible():
    kcore.utils.set_random_seed(1234)
    a = _np(kcore.random.normal((4,)))
    kcore.utils.set_random_seed(1234)
    np.testing.assert_array_equal(a, _np(kcore.random.normal((4,))))


@pytest.mark.parametrize(
    "draw",
    [
        lambda s: kcore.random.truncated_normal((100,), stddev=2.0, seed=s),
        lambda s: kcore.random.randint((100,), 0, 5, seed=s),
        lambda s: kcore.random.categorical(ops.zeros((2, 3)), 10, seed=s),
        lambda s: kcore.random.dropout(ops.ones((100,)), 0.5, seed=s),
        lambda s: kcore.random.shuffle(ops.arange(10), seed=s),
        lambda s: kcore.random.gamma((100,), 2.0, seed=s),
        lambda s: kcore.random.binomial((100,), 5, 0.3, seed=s),
        lambda s: kcore.random.beta((100,), 2.0, 3.0, seed=s),
    ],
)
def test_every_random_function_is_deterministic_for_a_seed(draw):
    np.testing.assert_array_equal(_np(draw(5)), _np(draw(5)))


def test_value_ranges():
    assert (_np(kcore.random.truncated_normal((1000,), stddev=1.0, seed=1)) <= 2.0).all()
    ints = _np(kcore.random.randint((1000,), 2, 5, seed=1))
    assert ints.min() >= 2 and ints.max() < 5
    kept = _np(kcore.random.dropout(ops.ones((1000,)), 0.5, seed=1))
    assert set(np.unique(kept)) <= {0.0, 2.0}
    assert sorted(_np(kcore.random.shuffle(ops.arange(10), seed=3)).tolist()) == list(range(10))


def test_bad_seed_is_a_clear_error():
    with pytest.raises(
        ValueError, match="`seed` must be an int, a kcore.random.SeedGenerator or None"
    ):
        kcore.random.normal((2,), seed="abc")
