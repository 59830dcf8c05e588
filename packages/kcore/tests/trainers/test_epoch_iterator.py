"""`EpochIterator`: epochs of batches grouped by `steps_per_execution`, cut at `steps_per_epoch`."""

import warnings

import numpy as np
import pytest

from kcore.trainers.data_adapters import PyDataset
from kcore.trainers.epoch_iterator import EpochIterator


def steps(iterator, **kwargs):
    return [
        (begin, end, len(batches)) for begin, end, batches in iterator.enumerate_epoch(**kwargs)
    ]


def first_values(iterator):
    return [int(b[0][0, 0]) for _, _, batches in iterator.enumerate_epoch() for b in batches]


def counting_generator(count):
    for i in range(count):
        yield np.full((2, 1), i), np.zeros((2,))


def test_steps_per_execution_groups_with_a_shorter_last_group():
    iterator = EpochIterator(
        np.zeros((10, 2)), np.zeros((10,)), batch_size=2, steps_per_execution=3
    )
    assert iterator.num_batches == 5
    for _ in range(2):
        assert steps(iterator) == [(0, 2, 3), (3, 4, 2)]
    _, _, batches = next(iterator.enumerate_epoch())
    assert all(len(batch) == 2 and batch[0].shape == (2, 2) for batch in batches)


def test_one_batch_per_step_by_default():
    iterator = EpochIterator(np.zeros((5, 1)), batch_size=2)
    assert steps(iterator) == [(0, 0, 1), (1, 1, 1), (2, 2, 1)]


def test_steps_per_epoch_cuts_the_epoch_and_the_next_one_continues():
    iterator = EpochIterator(np.arange(12).reshape(12, 1), batch_size=2, steps_per_epoch=3)
    assert iterator.num_batches == 3
    assert first_values(iterator) == [0, 2, 4]
    assert first_values(iterator) == [6, 8, 10]
    assert first_values(iterator) == [0, 2, 4]  # the data was used up: a new pass


def test_steps_per_epoch_caps_the_last_group():
    iterator = EpochIterator(
        np.zeros((20, 1)), batch_size=2, steps_per_epoch=5, steps_per_execution=2
    )
    assert steps(iterator) == [(0, 1, 2), (2, 3, 2), (4, 4, 1)]


def test_generator_of_unknown_length_ends_when_it_runs_out():
    iterator = EpochIterator(counting_generator(5), steps_per_execution=2)
    assert iterator.num_batches is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # running out without steps_per_epoch is no interruption
        assert steps(iterator) == [(0, 1, 2), (2, 3, 2), (4, 4, 1)]
    assert iterator.num_batches == 5


def test_finite_generator_with_steps_per_epoch_warns_once_when_it_runs_out():
    iterator = EpochIterator(counting_generator(5), steps_per_epoch=3)
    assert first_values(iterator) == [0, 1, 2]
    with pytest.warns(UserWarning, match="Your input ran out of data; interrupting training"):
        assert first_values(iterator) == [3, 4]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert first_values(iterator) == []


def test_infinite_generator_with_steps_per_epoch():
    def forever():
        i = 0
        while True:
            yield (np.full((1, 1), i),)
            i += 1

    iterator = EpochIterator(forever(), steps_per_epoch=2, steps_per_execution=2)
    assert first_values(iterator) == [0, 1]
    assert first_values(iterator) == [2, 3]


def test_array_data_shorter_than_steps_per_epoch_warns():
    iterator = EpochIterator(np.zeros((4, 1)), batch_size=2, steps_per_epoch=3)
    with pytest.warns(UserWarning, match="ran out of data"):
        assert steps(iterator) == [(0, 0, 1), (1, 1, 1)]


def test_reset_starts_a_new_pass():
    iterator = EpochIterator(np.arange(8).reshape(8, 1), batch_size=2, steps_per_epoch=2)
    assert first_values(iterator) == [0, 2]
    iterator.reset()
    assert first_values(iterator) == [0, 2]


def test_epoch_hooks_and_resumed_shuffle_order():
    class Recorder(PyDataset):
        def __init__(self):
            super().__init__()
            self.events = []

        def __len__(self):
            return 2

        def __getitem__(self, index):
            return (np.full((1, 1), index),)

        def on_epoch_begin(self):
            self.events.append("begin")

        def on_epoch_end(self):
            self.events.append("end")

    dataset = Recorder()
    iterator = EpochIterator(dataset)
    steps(iterator)
    for _ in iterator.enumerate_epoch():
        break  # an epoch left early still ends
    assert dataset.events == ["begin", "end", "begin", "end"]

    x = np.arange(16).reshape(16, 1)
    np.random.seed(0)
    iterator = EpochIterator(x, batch_size=16, shuffle=True)
    orders = [first_values_of_batch(iterator) for _ in range(3)]
    np.random.seed(0)
    resumed = EpochIterator(x, batch_size=16, shuffle=True)
    assert first_values_of_batch(resumed, epoch=2) == orders[2]


def first_values_of_batch(iterator, **kwargs):
    ((_, _, (batch,)),) = iterator.enumerate_epoch(**kwargs)
    return batch[0][:, 0].tolist()


def test_argument_errors():
    with pytest.raises(ValueError, match="`steps_per_execution` must be a positive int"):
        EpochIterator(np.zeros((2, 1)), steps_per_execution=0)
    with pytest.raises(ValueError, match="`steps_per_epoch` must be a positive int or None"):
        EpochIterator(np.zeros((2, 1)), steps_per_epoch=-1)
