"""StringLookup: lookups, special tokens, OOV hashing, output modes, inversion, adapt, vocabulary
errors, and how the vocabulary is saved (config, Keras's assets layout, idf weights)."""

import zipfile

import h5py
import numpy as np
import pytest

import kcore
from kcore import layers, ops
from kcore.testing.layers import run_layer_test

VOCABULARY = ["a", "b", "c", "d"]
WORDS = np.array([["a", "c", "d"], ["d", "z", "b"]], dtype=object)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _int64():
    return "int64" if "int64" in kcore.backend.capabilities().dtypes else "int32"


def test_lookup_through_the_layer_test():
    run_layer_test(
        layers.StringLookup,
        init_kwargs={"vocabulary": VOCABULARY},
        input_data=WORDS,
        expected_output_shape=(2, 3),
        expected_output_dtype=_int64(),
        expected_output=np.array([[1, 3, 4], [4, 0, 2]]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize(
    ("kwargs", "data", "expected"),
    [
        # The indices Keras 3.15 gives (OOV tokens hashed with FarmHash / SipHash).
        ({"mask_token": "[MASK]"}, [["a", "[MASK]", "x"]], [[2, 0, 1]]),
        ({"num_oov_indices": 2}, [["a", "x", "y", "zz", "q"]], [[2, 0, 1, 0, 1]]),
        ({"num_oov_indices": 3, "salt": 5}, [["a", "x", "y", "zz", "q"]], [[3, 2, 2, 0, 1]]),
        ({"vocabulary": ["[UNK]", "a", "b"]}, [["a", "b", "q"]], [[1, 2, 0]]),
    ],
)
def test_special_tokens_and_oov_indices(kwargs, data, expected):
    layer = layers.StringLookup(**{"vocabulary": VOCABULARY, **kwargs})
    np.testing.assert_array_equal(_np(layer(np.array(data))), expected)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"output_mode": "multi_hot"}, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
        (
            {"output_mode": "count", "pad_to_max_tokens": True, "max_tokens": 8},
            [[0, 1, 0, 1, 1, 0, 0, 0], [1, 0, 1, 0, 1, 0, 0, 0]],
        ),
        (
            {"output_mode": "tf_idf", "idf_weights": [0.1, 0.2, 0.3, 0.4]},
            [[0, 0.1, 0, 0.3, 0.4], [0.25, 0, 0.2, 0, 0.4]],
        ),
    ],
)
def test_vector_output_modes(kwargs, expected):
    output = layers.StringLookup(vocabulary=VOCABULARY, **kwargs)(WORDS)
    np.testing.assert_allclose(_np(output), expected, rtol=1e-6)


def test_one_hot_and_tensor_kinds():
    layer = layers.StringLookup(vocabulary=VOCABULARY, output_mode="one_hot")
    output = layer(["a", "b", "z"])
    assert ops.is_tensor(output)
    assert kcore.backend.standardize_dtype(output.dtype) == _int64()
    np.testing.assert_array_equal(_np(output), [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]])
    assert _np(layers.StringLookup(vocabulary=VOCABULARY)(np.array(b"c"))).tolist() == 3


def test_invert_gives_strings():
    layer = layers.StringLookup(vocabulary=VOCABULARY, invert=True)
    assert layer(np.array([[1, 2, 0, 7]])).tolist() == [["a", "b", "[UNK]", "[UNK]"]]
    masked = layers.StringLookup(vocabulary=VOCABULARY, invert=True, mask_token="[M]")
    assert masked(np.array([[1, 2, 0, 7]])).tolist() == [["[UNK]", "a", "[M]", "[UNK]"]]


def test_adapt_orders_by_frequency_then_token():
    layer = layers.StringLookup()
    layer.adapt(np.array([["a", "b", "a"], ["c", "a", "d"]]))
    assert layer.get_vocabulary() == ["[UNK]", "a", "d", "c", "b"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "d", "c", "b"]
    assert layer.vocabulary_size() == 5
    limited = layers.StringLookup(max_tokens=3)
    limited.adapt(["a", "b", "a", "c", "c", "c"])
    assert limited.get_vocabulary() == ["[UNK]", "c", "a"]


def test_adapt_tf_idf_matches_keras():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "a"], ["c", "a", "d"], ["d", "e", "f"]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "d", "f", "e", "c", "b"]
    np.testing.assert_allclose(
        _np(layer(WORDS)),
        [
            [0, 0.6931472, 0.6931472, 0, 0, 0.9162908, 0],
            [0.8419096, 0, 0.6931472, 0, 0, 0, 0.9162908],
        ],
        rtol=1e-6,
    )


def test_adapt_on_batches():
    class Batches(kcore.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return [np.array([["a", "b"]]), np.array([["b", "c"]])][index]

    for data in (Batches(), iter([np.array([["a", "b"]]), np.array([["b", "c"]])])):
        layer = layers.StringLookup()
        layer.adapt(data)
        assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert layer.get_config()["vocabulary"] is None
    with pytest.raises(ValueError, match="does not exist"):
        layers.StringLookup(vocabulary=str(tmp_path / "missing.txt"))


def test_symbolic_call_on_string_inputs():
    inputs = kcore.Input((3,), dtype="string")
    output = layers.StringLookup(vocabulary=VOCABULARY, output_mode="multi_hot")(inputs)
    assert output.shape == (None, 5)
    assert layers.StringLookup(vocabulary=VOCABULARY)(inputs).shape == (None, 3)


def test_config_matches_keras_keys_and_round_trips():
    layer = layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=2, salt=3)
    config = layer.get_config()
    assert "vocabulary_dtype" not in config and config["encoding"] == "utf-8"
    assert config["vocabulary_size"] == 6 and config["salt"] == [3, 3]
    revived = layers.StringLookup.from_config(config)
    assert revived.get_vocabulary() == layer.get_vocabulary()


def test_adapted_vocabulary_is_saved_as_keras_assets(tmp_path):
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "a"], ["c", "a", "d"]])
    model = kcore.Sequential([kcore.Input((3,), dtype="string"), layer])
    model.save(tmp_path / "lookup.keras")
    with zipfile.ZipFile(tmp_path / "lookup.keras") as archive:
        assert "assets/layers/string_lookup/vocabulary.txt" in archive.namelist()
        assert archive.read("assets/layers/string_lookup/vocabulary.txt") == b"[UNK]\na\nd\nc\nb"
        archive.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as f:
        assert list(f["layers/string_lookup/vars"]) == ["idf_weights"]
    loaded = kcore.saving.load_model(tmp_path / "lookup.keras")
    restored = loaded.layers[-1]
    assert restored.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(_np(restored(WORDS)), _np(layer(WORDS)))


def test_loading_without_the_vocabulary_asset_is_an_error(tmp_path):
    layer = layers.StringLookup()
    layer.adapt(["a", "b"])
    model = kcore.Sequential([kcore.Input((1,), dtype="string"), layer])
    model.save(tmp_path / "lookup.keras")
    with (
        zipfile.ZipFile(tmp_path / "lookup.keras") as full,
        zipfile.ZipFile(tmp_path / "cut.keras", "w") as cut,
    ):
        for name in full.namelist():
            if not name.startswith("assets/"):
                cut.writestr(name, full.read(name))
    with pytest.raises(ValueError, match="no vocabulary file"):
        kcore.saving.load_model(tmp_path / "cut.keras")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vocabulary": ["a", "a", "b"]}, "repeated term.*'a'"),
        ({"vocabulary": ["a", "[M]"], "mask_token": "[M]"}, "reserved mask token"),
        ({"vocabulary": ["a", "[UNK]"], "invert": True}, "reserved OOV token"),
        ({"vocabulary": []}, "empty vocabulary"),
        ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, "larger than the maximum"),
        ({"output_mode": "tf_idf", "vocabulary": ["a"]}, "`idf_weights` argument must also"),
        ({"output_mode": "bag"}, "Unknown value for `output_mode`"),
        ({"invert": True, "output_mode": "count"}, "must be `'int'` when `invert`"),
        ({"sparse": True}, "sparse=True"),
        ({"max_tokens": 1}, "greater than 1"),
    ],
)
def test_vocabulary_and_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.StringLookup(**kwargs)


def test_call_errors():
    with pytest.raises(ValueError, match=r"num_oov_indices=0.*\['x'\]"):
        layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=0)(np.array([["a", "x"]]))
    with pytest.raises(RuntimeError, match="set the layer's vocabulary before calling"):
        layers.StringLookup(output_mode="multi_hot")(np.array([["a"]]))
    with pytest.raises(ValueError, match="expects strings"):
        layers.StringLookup(vocabulary=VOCABULARY)(np.array([[1, 2]]))
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        layers.StringLookup(vocabulary=VOCABULARY).adapt(["a"])


def test_padded_tf_idf_weights_survive_saving(tmp_path):
    layer = layers.StringLookup(output_mode="tf_idf", max_tokens=8, pad_to_max_tokens=True)
    layer.adapt([["a", "b", "a"], ["c", "a", "d"]])
    model = kcore.Sequential([kcore.Input((3,), dtype="string"), layer])
    model.save(tmp_path / "padded.keras")
    restored = kcore.saving.load_model(tmp_path / "padded.keras").layers[-1]
    assert _np(restored(WORDS)).shape == (2, 8)
    np.testing.assert_allclose(_np(restored(WORDS)), _np(layer(WORDS)))
