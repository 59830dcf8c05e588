"""Data adapters: every input type becomes epochs of numpy batch tuples."""

import numpy as np
import pytest

import kcore
from kcore.trainers.data_adapters import (
    ArrayDataAdapter,
    DataAdapter,
    GeneratorDataAdapter,
    class_weight_to_sample_weights,
    get_data_adapter,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)


def epoch(adapter):
    adapter.on_epoch_begin()
    batches = list(adapter.get_numpy_iterator())
    adapter.on_epoch_end()
    return batches


def test_arrays_nested_dict_and_list_batched_with_partial_last_batch():
    x = {"a": np.arange(10.0).reshape(10, 1), "b": [np.ones((10, 2)), np.zeros((10, 3))]}
    y = np.arange(10)
    adapter = get_data_adapter(x, y, batch_size=4)
    assert isinstance(adapter, ArrayDataAdapter)
    assert (adapter.num_batches, adapter.batch_size) == (3, 4)
    assert adapter.has_partial_batch and adapter.partial_batch_size == 2
    batches = epoch(adapter)
    assert [len(batch) for batch in batches] == [2, 2, 2]
    x_last, y_last = batches[-1]
    assert x_last["a"].shape == (2, 1) and x_last["b"][1].shape == (2, 3)
    assert y_last.tolist() == [8, 9]
    assert all(isinstance(batch, tuple) for batch in batches)


def test_arrays_default_batch_size_and_full_batches():
    adapter = get_data_adapter(np.zeros((64, 2)))
    assert adapter.batch_size == 32 and adapter.num_batches == 2
    assert not adapter.has_partial_batch and adapter.partial_batch_size is None
    assert [batch[0].shape for batch in epoch(adapter)] == [(32, 2), (32, 2)]


def test_arrays_batch_size_from_steps():
    adapter = get_data_adapter(np.zeros((10, 1)), steps_per_epoch=3)
    assert adapter.batch_size == 4 and adapter.num_batches == 3


def test_float64_cast_to_floatx_other_dtypes_kept():
    x = {"f": np.ones((4, 2)), "i": np.ones((4, 2), "int64"), "h": np.ones((4,), "float16")}
    (batch,) = epoch(get_data_adapter(x, [1.0, 2.0, 3.0, 4.0]))
    assert batch[0]["f"].dtype == kcore.config.floatx()
    assert batch[0]["i"].dtype == np.int64 and batch[0]["h"].dtype == np.float16
    assert batch[1].dtype == kcore.config.floatx() and batch[1].tolist() == [1, 2, 3, 4]


def test_python_lists_of_numbers_are_arrays():
    (batch,) = epoch(get_data_adapter([[1, 2], [3, 4], [5, 6]], [0, 1, 0]))
    assert batch[0].shape == (3, 2) and batch[1].tolist() == [0, 1, 0]


def test_pandas_dataframe_and_series():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    series = pd.Series([0, 1, 1])
    (batch,) = epoch(get_data_adapter(frame, series))
    assert batch[0].shape == (3, 2) and batch[0].dtype == kcore.config.floatx()
    assert batch[1].shape == (3, 1)  # a Series is a column, as in Keras


def test_backend_tensors_and_array_like_objects():
    class ArrayLike:
        def __array__(self, dtype=None, copy=None):
            return np.arange(6).reshape(3, 2)

    tensor = kcore.ops.ones((3, 1))
    (batch,) = epoch(get_data_adapter(ArrayLike(), tensor))
    assert isinstance(batch[0], np.ndarray) and batch[0].shape == (3, 2)
    assert isinstance(batch[1], np.ndarray) and batch[1].tolist() == [[1], [1], [1]]


def test_sample_weight_third_element_and_broadcast_to_outputs():
    x, sample_weight = np.zeros((4, 1)), np.arange(4.0)
    (batch,) = epoch(get_data_adapter(x, np.ones((4,)), sample_weight))
    assert len(batch) == 3 and batch[2].tolist() == [0, 1, 2, 3]
    (batch,) = epoch(get_data_adapter(x, {"a": np.ones(4), "b": np.ones(4)}, sample_weight))
    assert batch[2]["a"].tolist() == batch[2]["b"].tolist() == [0, 1, 2, 3]


def test_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match=r"'x' sizes: 10.*'y' sizes: 8"):
        get_data_adapter(np.zeros((10, 2)), np.zeros((8,)))


def test_scalar_leaf_needs_sample_axis():
    with pytest.raises(ValueError, match="sample"):
        get_data_adapter(np.float32(3.0))


def test_unknown_type_names_type_and_accepted_ones():
    with pytest.raises(ValueError, match=r"x of type object\. Expected one of: NumPy arrays"):
        get_data_adapter(object())
    with pytest.raises(ValueError, match=r"Unrecognized data type.*str"):
        get_data_adapter({"a": "text"})


def test_shuffle_is_a_per_epoch_permutation_reproducible_from_the_global_seed():
    x = np.arange(20)

    def orders(seed):
        kcore.utils.set_random_seed(seed)
        adapter = get_data_adapter(x, batch_size=8, shuffle=True)
        return [np.concatenate([b[0] for b in epoch(adapter)]).tolist() for _ in range(3)]

    first, again, other = orders(1), orders(1), orders(2)
    assert first == again
    assert first != other
    assert all(sorted(order) == list(range(20)) for order in first)
    assert first[0] != first[1]  # a new order each epoch


def test_shuffle_resumed_at_an_epoch_gives_that_epochs_order():
    kcore.utils.set_random_seed(7)
    adapter = get_data_adapter(np.arange(12), batch_size=12, shuffle=True)
    epochs = [epoch(adapter)[0][0].tolist() for _ in range(3)]
    kcore.utils.set_random_seed(7)
    resumed = get_data_adapter(np.arange(12), batch_size=12, shuffle=True)
    resumed.set_epoch(2)
    assert epoch(resumed)[0][0].tolist() == epochs[2]


def test_shuffle_batch_permutes_within_batch_sized_chunks():
    kcore.utils.set_random_seed(3)
    adapter = get_data_adapter(np.arange(10), batch_size=4, shuffle="batch")
    batches = [b[0].tolist() for b in epoch(adapter)]
    assert [sorted(b) for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches != [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffle_false_keeps_order_and_bad_shuffle_is_refused():
    assert epoch(get_data_adapter(np.arange(5), batch_size=5))[0][0].tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="`shuffle` must be one of"):
        get_data_adapter(np.arange(5), shuffle="yes")


def test_class_weight_sparse_and_one_hot_labels():
    x = np.zeros((4, 1))
    sparse = np.array([0, 1, 2, 1])
    (batch,) = epoch(get_data_adapter(x, sparse, class_weight={1: 2.0, 2: 0.5}))
    assert batch[2].tolist() == [1.0, 2.0, 0.5, 2.0]
    assert batch[2].dtype == kcore.config.floatx()
    one_hot = np.eye(3)[sparse]
    (batch,) = epoch(get_data_adapter(x, one_hot, class_weight={1: 2.0, 2: 0.5}))
    assert batch[2].tolist() == [1.0, 2.0, 0.5, 2.0]
    column = sparse.reshape(4, 1)
    assert class_weight_to_sample_weights(column, {"1": 3}).tolist() == [1, 3, 1, 3]


def test_class_weight_errors():
    x, y = np.zeros((4, 1)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="single output"):
        get_data_adapter(x, {"a": y, "b": y}, class_weight={0: 1.0})
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        get_data_adapter(x, y, np.ones(4), class_weight={0: 1.0})
    with pytest.raises(ValueError, match="integer keys"):
        get_data_adapter(x, y, class_weight={"cat": 1.0})
    with pytest.raises(ValueError, match="shape"):
        class_weight_to_sample_weights(np.zeros((4, 2, 3)), {0: 1.0})


def test_validation_split_takes_the_last_fraction():
    x, y = np.arange(10).reshape(10, 1), np.arange(10)
    (x_train, y_train, sw_train), (x_val, y_val, sw_val) = train_validation_split(
        (x, y, None), validation_split=0.3
    )
    assert y_train.tolist() == list(range(7)) and y_val.tolist() == [7, 8, 9]
    assert x_val.shape == (3, 1) and sw_train is None and sw_val is None


def test_validation_split_errors():
    def generator():
        yield np.zeros((2, 1))

    with pytest.raises(ValueError, match=r"only supported for NumPy arrays.*`validation_data`"):
        train_validation_split((generator(), None, None), validation_split=0.2)
    with pytest.raises(ValueError, match="not sufficient"):
        train_validation_split((np.zeros((1, 1)),), validation_split=0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        train_validation_split((np.zeros((2, 1)),), validation_split=1.5)


def test_pack_and_unpack():
    x, y, sw = np.ones((2, 1)), np.zeros((2,)), np.ones((2,))
    assert pack_x_y_sample_weight(x) is x
    assert pack_x_y_sample_weight([x, x]) == ([x, x],)
    assert pack_x_y_sample_weight(x, y) == (x, y)
    assert pack_x_y_sample_weight(x, y, sw) == (x, y, sw)
    assert unpack_x_y_sample_weight(x) == (x, None, None)
    assert unpack_x_y_sample_weight((x,)) == (x, None, None)
    assert unpack_x_y_sample_weight([x, y]) == (x, y, None)
    assert unpack_x_y_sample_weight((x, y, sw)) == (x, y, sw)
    with pytest.raises(ValueError, match="4 elements"):
        unpack_x_y_sample_weight((x, y, sw, sw))


def test_generator_yielding_x_tuples_and_triples():
    def generator():
        yield np.ones((2, 3))
        yield (np.ones((2, 3)),)
        yield np.ones((2, 3)), [0, 1]
        yield {"a": np.ones((2, 3))}, np.ones(2), np.ones(2)

    adapter = get_data_adapter(generator())
    assert isinstance(adapter, GeneratorDataAdapter) and adapter.num_batches is None
    batches = epoch(adapter)
    assert [len(batch) for batch in batches] == [1, 1, 2, 3]
    assert batches[2][1].tolist() == [0, 1] and isinstance(batches[2][1], np.ndarray)
    assert batches[3][0]["a"].shape == (2, 3)
    assert epoch(adapter) == []  # a generator runs once


def test_generator_of_backend_tensors_and_iterators():
    batches = [(kcore.ops.ones((2, 1)), kcore.ops.zeros((2,))) for _ in range(2)]
    (first, second) = epoch(get_data_adapter(iter(batches)))
    assert isinstance(first[0], np.ndarray) and first[0].shape == (2, 1)


def test_generator_errors():
    def generator():
        yield np.ones((2, 1))

    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(generator(), np.ones(2))
    with pytest.raises(ValueError, match="`class_weight` is not supported"):
        get_data_adapter(generator(), class_weight={0: 1.0})
    with pytest.raises(ValueError, match="yielded no data"):
        get_data_adapter(iter([]))
    with pytest.raises(ValueError, match="4 elements"):
        get_data_adapter(iter([(np.ones((2, 1)),) * 4]))
    with pytest.warns(UserWarning, match="shuffle"):
        get_data_adapter(generator(), shuffle=True)


def test_a_data_adapter_is_used_as_is():
    adapter = get_data_adapter(np.zeros((3, 1)))
    assert get_data_adapter(adapter) is adapter
    assert isinstance(adapter, DataAdapter)


def test_grain_map_and_iter_datasets():
    grain = pytest.importorskip("grain.python")
    source = [(np.full((3,), i, "float32"), np.int32(i % 2)) for i in range(5)]
    dataset = grain.MapDataset.source(source).batch(2)
    adapter = get_data_adapter(dataset)
    assert adapter.batch_size == 2 and adapter.num_batches is None
    for _ in range(2):  # the dataset is read afresh each epoch
        batches = epoch(adapter)
        assert [batch[0].shape for batch in batches] == [(2, 3), (2, 3), (1, 3)]
        assert batches[0][1].tolist() == [0, 1]
    assert len(epoch(get_data_adapter(dataset.to_iter_dataset()))) == 3
    with pytest.raises(ValueError, match="`class_weight` is not supported"):
        get_data_adapter(dataset, class_weight={0: 1.0})


def test_torch_dataloader():
    torch = pytest.importorskip("torch")
    data = torch.utils.data.TensorDataset(torch.arange(10.0).reshape(10, 1), torch.arange(10))
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    adapter = get_data_adapter(loader)
    assert adapter.num_batches == 3 and adapter.batch_size == 4
    assert adapter.partial_batch_size == 2
    batches = epoch(adapter)
    assert isinstance(batches[0][0], np.ndarray) and batches[-1][1].tolist() == [8, 9]
    with pytest.raises(ValueError, match="`class_weight` is not supported"):
        get_data_adapter(loader, class_weight={0: 1.0})


def test_tf_data_dataset():
    tf = pytest.importorskip("tensorflow")
    dataset = tf.data.Dataset.from_tensor_slices((np.zeros((5, 2)), np.array([0, 1, 1, 0, 1])))
    adapter = get_data_adapter(dataset.batch(2), class_weight={1: 3.0})
    assert adapter.num_batches == 3 and adapter.batch_size is None
    batches = epoch(adapter)
    assert isinstance(batches[0][0], np.ndarray) and batches[0][2].tolist() == [1.0, 3.0]
