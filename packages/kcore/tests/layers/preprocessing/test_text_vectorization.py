"""TextVectorization: Keras's vocabularies and outputs (standardize, split, n-grams, output modes,
sequence length), callables, use before fit, saving, errors."""

import zipfile

import numpy as np
import pytest

import kcore
from kcore import layers, ops

TEXTS = ["The Cat sat; on the MAT!", "a dog  ran\tfast...", "ÄÖ über-cool  Straße"]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _adapted(**kwargs):
    layer = layers.TextVectorization(**kwargs)
    layer.adapt(TEXTS)
    return layer


def test_default_standardize_split_and_vocabulary_order():
    layer = _adapted()
    # Keras 3.15's vocabulary: ASCII-only lowercasing, ties broken by the larger token.
    assert layer.get_vocabulary() == [
        "", "[UNK]", "the", "übercool", "ÄÖ", "straße", "sat", "ran", "on", "mat", "fast",
        "dog", "cat", "a",
    ]  # fmt: skip
    output = layer(np.array(TEXTS))
    assert ops.is_tensor(output)
    np.testing.assert_array_equal(
        _np(output), [[2, 12, 6, 8, 2, 9], [13, 11, 7, 10, 0, 0], [4, 3, 5, 0, 0, 0]]
    )


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (4, [[2, 12, 6, 8], [13, 11, 7, 10], [4, 3, 5, 0]]),
        (8, [[2, 12, 6, 8, 2, 9, 0, 0], [13, 11, 7, 10, 0, 0, 0, 0], [4, 3, 5, 0, 0, 0, 0, 0]]),
    ],
)
def test_output_sequence_length_cuts_and_pads(length, expected):
    layer = _adapted(output_sequence_length=length)
    np.testing.assert_array_equal(_np(layer(np.array(TEXTS)[:, None])), expected)


def test_character_split_and_max_tokens():
    layer = _adapted(standardize="lower", split="character", max_tokens=10)
    assert layer.get_vocabulary() == ["", "[UNK]", " ", "t", "a", "o", "e", "s", "r", "."]
    first = _np(layer(TEXTS))[0].tolist()
    assert first == [3, 1, 6, 2, 1, 4, 3, 2, 7, 4, 3, 1, 2, 5, 1, 2, 3, 1, 6, 2, 1, 4, 3, 1]


def test_bigrams_without_standardization():
    layer = _adapted(standardize=None, ngrams=2)
    assert layer.vocabulary_size() == 25
    np.testing.assert_array_equal(
        _np(layer(TEXTS)),
        [
            [20, 24, 9, 13, 7, 22, 19, 23, 8, 12, 6],
            [18, 16, 11, 14, 17, 15, 10, 0, 0, 0, 0],
            [5, 3, 21, 4, 2, 0, 0, 0, 0, 0, 0],
        ],
    )


def test_count_and_tf_idf_modes():
    counts = _adapted(output_mode="count", max_tokens=6, pad_to_max_tokens=True)
    assert counts.get_vocabulary() == ["[UNK]", "the", "übercool", "ÄÖ", "straße", "sat"]
    np.testing.assert_array_equal(
        _np(counts(TEXTS)), [[3, 2, 0, 0, 0, 1], [4, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0]]
    )
    tf_idf = _adapted(output_mode="tf_idf")
    output = tf_idf(TEXTS)
    assert kcore.backend.standardize_dtype(output.dtype) == "float32"
    np.testing.assert_allclose(
        _np(output)[0],
        [0, 1.8325815, 0, 0, 0, 0.91629076, 0, 0.91629076, 0.91629076, 0, 0, 0.91629076, 0],
        rtol=1e-6,
    )


def test_given_vocabulary_no_split_and_one_hot():
    layer = layers.TextVectorization(vocabulary=["cat", "the", "dog"])
    np.testing.assert_array_equal(
        _np(layer(np.array([["the cat"], ["dog dog bird"]]))), [[3, 2, 0], [4, 4, 1]]
    )
    whole = layers.TextVectorization(vocabulary=["cat", "the", "dog"], split=None)
    np.testing.assert_array_equal(_np(whole(np.array([["the"], ["dog"], ["x"]]))), [[3], [4], [1]])
    one_hot = layers.TextVectorization(vocabulary=["cat", "the", "dog"], output_mode="one_hot")
    np.testing.assert_array_equal(_np(one_hot(["the", "cat"])), [[[0, 0, 1, 0]], [[0, 1, 0, 0]]])


def test_callable_standardize_and_split():
    layer = layers.TextVectorization(
        standardize=lambda texts: np.char.upper(texts),
        split=lambda texts: [t.split(",") for t in texts],
        vocabulary=["A", "B C"],
    )
    np.testing.assert_array_equal(_np(layer(["a,b c,x", "b c"])), [[2, 3, 1], [3, 0, 0]])


def test_registered_callables_survive_serialization():
    @kcore.saving.register_keras_serializable(package="test_text_vectorization")
    def comma_split(texts):
        return [t.split(",") for t in texts]

    layer = layers.TextVectorization(standardize=None, split=comma_split, vocabulary=["a", "b"])
    config = kcore.saving.serialize_keras_object(layer)
    revived = kcore.saving.deserialize_keras_object(config)
    assert revived.get_config()["split"] is comma_split
    np.testing.assert_array_equal(_np(revived(["a,b,c"])), [[2, 3, 1]])


def test_config_round_trip_keeps_ngrams_tuple_and_vocabulary_size():
    layer = _adapted(ngrams=(1, 3), output_mode="multi_hot")
    config = layer.get_config()
    assert config["vocabulary_size"] == layer.vocabulary_size() and config["vocabulary"] is None
    config["ngrams"] = list(config["ngrams"])
    revived = layers.TextVectorization.from_config(config)
    assert revived.get_config()["ngrams"] == (1, 3)


def test_symbolic_output_spec():
    inputs = kcore.Input((1,), dtype="string")
    assert layers.TextVectorization(output_sequence_length=7)(inputs).shape == (None, 7)
    counts = layers.TextVectorization(output_mode="count", max_tokens=9, pad_to_max_tokens=True)
    output = counts(inputs)
    assert output.shape == (None, 9)


def test_vocabulary_is_saved_in_the_keras_assets_layout(tmp_path):
    layer = _adapted(output_sequence_length=5)
    inputs = kcore.Input((1,), dtype="string")
    model = kcore.Model(inputs, layer(inputs))
    model.save(tmp_path / "text.keras")
    with zipfile.ZipFile(tmp_path / "text.keras") as archive:
        assets = [n for n in archive.namelist() if n.startswith("assets/")]
    assert assets == [
        "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt",
        "assets/layers/text_vectorization/vocabulary.txt",
    ]
    restored = kcore.saving.load_model(tmp_path / "text.keras").layers[-1]
    assert restored.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(_np(restored(TEXTS)), _np(layer(TEXTS)))


@pytest.mark.needs_training
def test_vectorize_in_the_pipeline_then_fit():
    texts = ["good movie", "bad movie", "great film", "awful film"] * 4
    labels = np.array([1, 0, 1, 0] * 4, "float32")[:, None]
    vectorizer = layers.TextVectorization(output_sequence_length=3)
    vectorizer.adapt(texts)
    x = vectorizer(texts)
    model = kcore.Sequential(
        [
            kcore.Input((3,), dtype="int32"),
            layers.Embedding(vectorizer.vocabulary_size(), 4),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(_np(x).astype("int32"), labels, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"standardize": "upper"}, "Unknown value for `standardize`"),
        ({"split": "comma"}, "Unknown value for `split`"),
        ({"output_mode": "bag"}, "Unknown value for `output_mode`"),
        ({"ngrams": [1, 2]}, "`ngrams` must be None"),
        ({"output_mode": "count", "output_sequence_length": 3}, "must not be set"),
        ({"output_sequence_length": 2.5}, "must be either None or an integer"),
        ({"ragged": True}, "ragged=True"),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.TextVectorization(**kwargs)


def test_input_errors():
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match=r"last shape dimension must be 1.*\(1, 2\)"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="expects strings"):
        layer(np.array([[1.0]]))
