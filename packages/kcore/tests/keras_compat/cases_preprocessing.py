"""The feature preprocessing layers: Normalization, Discretization, CategoryEncoding, Hashing,
HashedCrossing, StringLookup, IntegerLookup and TextVectorization.

Keras builds its lookup and hashing layers on TensorFlow (on every backend), so those cases need
it; the numeric ones run on any backend."""

import numpy as np

from .cases import Case

TF = ("tensorflow",)


def _array(values, dtype=None):
    return lambda rng: np.array(values, dtype=dtype)


def _uniform(shape, low=-2.0, high=4.0):
    return lambda rng: rng.uniform(low, high, size=shape).astype("float32")


def _ids(shape, high):
    return lambda rng: rng.integers(0, high, size=shape).astype("int32")


WORDS = np.array([["a", "c", "d"], ["d", "z", "b"], ["b", "a", "a"]])
CODES = np.array([[12, 1138, 42], [42, 1000, 36], [7, 12, 0]], dtype="int64")
TEXTS = np.array(["The Cat sat on the MAT!", "a dog  ran fast...", "Über-cool, the cat"])
CORPUS = np.array(["the cat sat", "the dog ran fast", "a cat and a dog", "ÄÖ über-cool"])

CASES = [
    # Normalization
    Case("Normalization", input_shape=(4, 3), adapt=_uniform((16, 3)), id="Normalization-adapt"),
    Case(
        "Normalization",
        {"axis": None},
        input_shape=(2, 5),
        adapt=_uniform((8, 5)),
        id="Normalization-global",
    ),
    Case(
        "Normalization",
        {"axis": (1, 2)},
        input_shape=(2, 3, 4),
        adapt=_uniform((5, 3, 4)),
        id="Normalization-two-axes",
    ),
    Case(
        "Normalization",
        {"mean": [1.0, 2.0, 3.0], "variance": [4.0, 1.0, 0.25]},
        input_shape=(4, 3),
        id="Normalization-given",
    ),
    Case(
        "Normalization",
        {"invert": True},
        input_shape=(4, 3),
        adapt=_uniform((16, 3)),
        id="Normalization-invert",
    ),
    # Discretization
    Case(
        "Discretization",
        {"bin_boundaries": [0.0, 1.0, 2.0]},
        input_data=_uniform((4, 5)),
        id="Discretization-boundaries",
    ),
    Case(
        "Discretization",
        {"num_bins": 4, "epsilon": 0.01},
        input_data=_uniform((4, 5)),
        adapt=_uniform((50, 5)),
        needs=("tensorflow",),  # Keras's Discretization.adapt runs on tf.data
        id="Discretization-adapt",
    ),
    Case(
        "Discretization",
        {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": "one_hot"},
        input_data=_uniform((6, 1)),
        id="Discretization-one_hot",
    ),
    Case(
        "Discretization",
        {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": "multi_hot"},
        input_data=_uniform((4, 5)),
        id="Discretization-multi_hot",
    ),
    Case(
        "Discretization",
        {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": "count"},
        input_data=_uniform((4, 5)),
        id="Discretization-count",
    ),
    # CategoryEncoding
    Case(
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "one_hot"},
        input_data=_ids((5,), 6),
        id="CategoryEncoding-one_hot",
    ),
    Case(
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "one_hot"},
        input_data=_ids((5, 1), 6),
        id="CategoryEncoding-one_hot-column",
    ),
    Case(
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "multi_hot"},
        input_data=_ids((4, 3), 6),
        id="CategoryEncoding-multi_hot",
    ),
    Case(
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "count"},
        input_data=_ids((4, 3), 6),
        id="CategoryEncoding-count",
    ),
    Case(
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "count"},
        input_data=_ids((4, 3), 6),
        call_kwargs=lambda rng: {"count_weights": rng.uniform(size=(4, 3)).astype("float32")},
        id="CategoryEncoding-count-weights",
    ),
    # Hashing
    Case("Hashing", {"num_bins": 7}, input_data=lambda rng: WORDS, needs=TF, id="Hashing-str"),
    Case(
        "Hashing",
        {"num_bins": 7, "mask_value": "z"},
        input_data=lambda rng: WORDS,
        needs=TF,
        id="Hashing-mask",
    ),
    Case(
        "Hashing",
        {"num_bins": 7, "salt": [133, 7]},
        input_data=lambda rng: WORDS,
        needs=TF,
        id="Hashing-salt",
    ),
    Case(
        "Hashing",
        {"num_bins": 5},
        input_data=_array([[1], [22], [-3], [1138]], "int64"),
        needs=TF,
        id="Hashing-int",
    ),
    Case(
        "Hashing",
        {"num_bins": 5, "output_mode": "multi_hot"},
        input_data=lambda rng: WORDS,
        needs=TF,
        id="Hashing-multi_hot",
    ),
    Case(
        "Hashing",
        {"num_bins": 5, "output_mode": "count"},
        input_data=lambda rng: WORDS,
        needs=TF,
        id="Hashing-count",
    ),
    Case(
        "Hashing",
        {"num_bins": 5, "output_mode": "one_hot"},
        input_data=_array(["a", "b", "c"]),
        needs=TF,
        id="Hashing-one_hot",
    ),
    # HashedCrossing
    Case(
        "HashedCrossing",
        {"num_bins": 10},
        input_data=lambda rng: (np.array([1, 2, 3, 2]), np.array(["A", "B", "C", "B"])),
        needs=TF,
        id="HashedCrossing-int-str",
    ),
    Case(
        "HashedCrossing",
        {"num_bins": 10, "output_mode": "one_hot"},
        input_data=lambda rng: (np.array([[1], [2]]), np.array([[4], [5]]), np.array([[7], [7]])),
        needs=TF,
        id="HashedCrossing-one_hot",
    ),
    # StringLookup
    Case(
        "StringLookup",
        {"vocabulary": ["a", "b", "c", "d"]},
        input_data=lambda rng: WORDS,
        needs=TF,
        id="StringLookup-vocabulary",
    ),
    Case(
        "StringLookup",
        {"vocabulary": ["a", "b", "c", "d"], "mask_token": "z", "num_oov_indices": 2},
        input_data=_array([["a", "z", "x", "y"], ["q", "d", "zz", "b"]]),
        needs=TF,
        id="StringLookup-mask-oov",
    ),
    Case(
        "StringLookup",
        {"vocabulary": ["a", "b"], "num_oov_indices": 3, "salt": 5},
        input_data=_array([["a", "x", "y", "zz", "q"]]),
        needs=TF,
        id="StringLookup-salt",
    ),
    Case(
        "StringLookup",
        {"output_mode": "multi_hot"},
        input_data=lambda rng: WORDS,
        adapt=lambda rng: WORDS,
        needs=TF,
        id="StringLookup-adapt-multi_hot",
    ),
    Case(
        "StringLookup",
        {"output_mode": "count", "max_tokens": 8, "pad_to_max_tokens": True},
        input_data=lambda rng: WORDS,
        adapt=lambda rng: WORDS,
        needs=TF,
        id="StringLookup-count-padded",
    ),
    Case(
        "StringLookup",
        {"output_mode": "tf_idf"},
        input_data=lambda rng: WORDS,
        adapt=lambda rng: WORDS,
        needs=TF,
        id="StringLookup-tf_idf",
    ),
    Case(
        "StringLookup",
        {"max_tokens": 3},
        input_data=lambda rng: WORDS,
        adapt=_array(["a", "b", "a", "c", "c", "c"]),
        needs=TF,
        id="StringLookup-max_tokens",
    ),
    # IntegerLookup
    Case(
        "IntegerLookup",
        {"vocabulary": [12, 36, 1138, 42]},
        input_data=lambda rng: CODES,
        needs=TF,
        id="IntegerLookup-vocabulary",
    ),
    Case(
        "IntegerLookup",
        {"vocabulary": [12, 36, 1138, 42], "num_oov_indices": 3, "mask_token": 0},
        input_data=lambda rng: CODES,
        needs=TF,
        id="IntegerLookup-floormod-mask",
    ),
    Case(
        "IntegerLookup",
        {
            "vocabulary": [12, 36, 1138, 42],
            "num_oov_indices": 3,
            "oov_method": "farmhash",
            "salt": [1, 2],
        },
        input_data=lambda rng: CODES,
        needs=TF,
        id="IntegerLookup-farmhash",
    ),
    Case(
        "IntegerLookup",
        {"output_mode": "multi_hot"},
        input_data=lambda rng: CODES,
        adapt=lambda rng: CODES,
        needs=TF,
        id="IntegerLookup-adapt-multi_hot",
    ),
    Case(
        "IntegerLookup",
        {"output_mode": "tf_idf", "vocabulary": [12, 42, 7], "idf_weights": [0.5, 1.0, 2.0]},
        input_data=lambda rng: CODES,
        needs=TF,
        id="IntegerLookup-tf_idf",
    ),
    Case(
        "IntegerLookup",
        {"vocabulary": [12, 36, 1138, 42], "invert": True},
        input_data=_array([[1, 2, 0, 9], [4, 3, 2, 1]], "int64"),
        needs=TF,
        id="IntegerLookup-invert",
    ),
    # TextVectorization
    Case(
        "TextVectorization",
        input_data=lambda rng: TEXTS,
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-adapt",
    ),
    Case(
        "TextVectorization",
        {"max_tokens": 8, "output_sequence_length": 4},
        input_data=lambda rng: TEXTS[:, None],
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-sequence-length",
    ),
    Case(
        "TextVectorization",
        {"standardize": "lower", "split": "character", "output_sequence_length": 12},
        input_data=lambda rng: TEXTS,
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-character",
    ),
    Case(
        "TextVectorization",
        {"standardize": None, "ngrams": 2, "output_mode": "multi_hot"},
        input_data=lambda rng: TEXTS,
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-ngrams-multi_hot",
    ),
    Case(
        "TextVectorization",
        {"ngrams": (1, 3), "output_mode": "count", "max_tokens": 10, "pad_to_max_tokens": True},
        input_data=lambda rng: TEXTS,
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-count-padded",
    ),
    Case(
        "TextVectorization",
        {"output_mode": "tf_idf"},
        input_data=lambda rng: TEXTS,
        adapt=lambda rng: CORPUS,
        needs=TF,
        id="TextVectorization-tf_idf",
    ),
    Case(
        "TextVectorization",
        {"vocabulary": ["cat", "the", "dog"], "split": None},
        input_data=_array([["the"], ["dog"], ["x"]]),
        needs=TF,
        id="TextVectorization-no-split",
    ),
]
