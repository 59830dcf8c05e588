"""`PyDataset` and its adapter: in-order reading, worker threads and processes, clean shutdown."""

import multiprocessing
import threading
import traceback

import numpy as np
import pytest

import kcore
from kcore.trainers.data_adapters import PyDataset, PyDatasetAdapter, get_data_adapter
from kcore.trainers.epoch_iterator import EpochIterator


class Batches(PyDataset):
    """Batch `i` is `(x, y)` with x filled with `i`; index `fail_at` raises."""

    def __init__(self, num_batches=4, fail_at=None, **kwargs):
        super().__init__(**kwargs)
        self.count = num_batches
        self.fail_at = fail_at
        self.events = []

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if index == self.fail_at:
            raise KeyError(f"batch {index} is broken")
        return np.full((2, 3), index, "float32"), np.array([index % 2, 1])

    def on_epoch_begin(self):
        self.events.append("begin")

    def on_epoch_end(self):
        self.events.append("end")


class Endless(PyDataset):
    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        return (np.full((1, 1), index),)


def read_epoch(adapter):
    adapter.on_epoch_begin()
    batches = list(adapter.get_numpy_iterator())
    adapter.on_epoch_end()
    return [int(batch[0][0, 0]) for batch in batches], batches


def pool_threads():
    return [t for t in threading.enumerate() if t.name.startswith("kcore_pydataset")]


def test_pydataset_in_main_thread():
    dataset = Batches()
    adapter = get_data_adapter(dataset)
    assert isinstance(adapter, PyDatasetAdapter)
    assert adapter.num_batches == 4 and adapter.batch_size is None
    order, batches = read_epoch(adapter)
    assert order == [0, 1, 2, 3]
    assert all(len(batch) == 2 and isinstance(batch[1], np.ndarray) for batch in batches)
    assert dataset.events == ["begin", "end"]


def test_worker_threads_keep_order_and_stop():
    dataset = Batches(num_batches=4, workers=2, max_queue_size=2)
    adapter = get_data_adapter(dataset)
    for _ in range(2):
        assert read_epoch(adapter)[0] == [0, 1, 2, 3]
        assert pool_threads() == []


def test_worker_processes_keep_order_and_stop():
    dataset = Batches(num_batches=4, workers=2, use_multiprocessing=True)
    order, batches = read_epoch(get_data_adapter(dataset))
    assert order == [0, 1, 2, 3]
    assert batches[3][1].tolist() == [1, 1]
    assert multiprocessing.active_children() == []


def test_closing_an_epoch_early_shuts_the_workers_down():
    adapter = get_data_adapter(Batches(num_batches=4, workers=2, max_queue_size=4))
    iterator = adapter.get_numpy_iterator()
    assert int(next(iterator)[0][0, 0]) == 0
    iterator.close()
    assert pool_threads() == []


def test_worker_thread_error_is_raised_with_its_traceback():
    adapter = get_data_adapter(Batches(fail_at=2, workers=2))
    iterator = adapter.get_numpy_iterator()
    with pytest.raises(KeyError, match="batch 2 is broken") as info:
        list(iterator)
    assert "__getitem__" in "".join(traceback.format_tb(info.value.__traceback__))
    assert pool_threads() == []


def test_worker_process_error_is_raised_with_the_workers_traceback():
    adapter = get_data_adapter(Batches(fail_at=1, workers=2, use_multiprocessing=True))
    with pytest.raises(KeyError, match="batch 1 is broken") as info:
        list(adapter.get_numpy_iterator())
    assert "in __getitem__" in str(info.value.__cause__)
    assert multiprocessing.active_children() == []


def test_shuffled_batch_order_is_reproducible():
    def orders(seed):
        kcore.utils.set_random_seed(seed)
        adapter = get_data_adapter(Batches(num_batches=6), shuffle=True)
        return [read_epoch(adapter)[0] for _ in range(2)]

    first = orders(5)
    assert first == orders(5)
    assert all(sorted(order) == list(range(6)) for order in first)
    assert first[0] != first[1]


def test_class_weight_from_pydataset_labels():
    _, batches = read_epoch(get_data_adapter(Batches(num_batches=1), class_weight={0: 0.5}))
    assert batches[0][2].tolist() == [0.5, 1.0]


def test_targets_are_refused_for_pydataset():
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(Batches(), np.zeros(2))


def test_bad_batches_are_refused():
    class TooLong(Batches):
        def __getitem__(self, index):
            return (np.zeros((1, 1)),) * 4

    with pytest.raises(ValueError, match=r"PyDataset.__getitem__\(\).*4 elements"):
        read_epoch(get_data_adapter(TooLong()))


def test_infinite_pydataset_resumes_where_it_stopped():
    iterator = EpochIterator(Endless(workers=2), steps_per_epoch=3)
    assert iterator.num_batches == 3
    seen = []
    for _ in range(2):
        for _, _, batches in iterator.enumerate_epoch():
            seen.extend(int(batch[0][0, 0]) for batch in batches)
    assert seen == [0, 1, 2, 3, 4, 5]
    iterator.reset()
    assert pool_threads() == []


def test_missing_super_init_warns_and_uses_defaults():
    class NoSuper(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return (np.zeros((1, 1)),)

    with pytest.warns(UserWarning, match=r"super\(\).__init__"):
        adapter = get_data_adapter(NoSuper())
    assert read_epoch(adapter)[0] == [0]


def test_missing_len_is_explained():
    with pytest.raises(NotImplementedError, match="`__len__`"):
        _ = Endless.__mro__[1]().num_batches


def test_unpicklable_dataset_with_processes_is_explained():
    dataset = Batches(workers=2, use_multiprocessing=True)
    dataset.transform = lambda x: x
    with pytest.raises(ValueError, match="cannot be pickled"):
        read_epoch(get_data_adapter(dataset))
    assert multiprocessing.active_children() == []
