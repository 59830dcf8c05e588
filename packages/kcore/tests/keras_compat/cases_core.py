"""The core, merging, reshaping and activation layers that existed before the layer catalog."""

from .cases import Case

CASES = [
    Case("Dense", {"units": 3, "activation": "relu"}, input_shape=(2, 4)),
    Case(
        "EinsumDense",
        {"equation": "abc,cd->abd", "output_shape": (None, 5), "bias_axes": "d"},
        input_shape=(2, 3, 4),
    ),
    Case("Embedding", {"input_dim": 8, "output_dim": 3}, input_shape=(2, 5), input_dtype="int32"),
    Case("Flatten", input_shape=(2, 3, 4)),
    Case("Reshape", {"target_shape": (4, 3)}, input_shape=(2, 3, 4)),
    Case("Permute", {"dims": (2, 1)}, input_shape=(2, 3, 4)),
    Case("RepeatVector", {"n": 3}, input_shape=(2, 4)),
    Case("PReLU", input_shape=(2, 4)),
    Case("LeakyReLU", {"negative_slope": 0.2}, input_shape=(2, 4)),
    Case("Concatenate", {"axis": -1}, input_shape=[(2, 3), (2, 4)]),
]
