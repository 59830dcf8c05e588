"""The core, merging, reshaping and activation layers that existed before the layer catalog."""

import numpy as np

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
    Case("Activation", {"activation": "gelu"}, input_shape=(2, 4)),
    Case("ReLU", {"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}, input_shape=(2, 4)),
    Case("ELU", {"alpha": 0.5}, input_shape=(2, 4)),
    Case("Softmax", {"axis": 1}, input_shape=(2, 3, 4)),
    Case(
        "Softmax",
        id="Softmax-mask",
        input_shape=(2, 4),
        call_kwargs={"mask": np.array([[True, True, False, True], [True, False, True, True]])},
    ),
    Case("Identity", input_shape=(2, 4)),
    Case(
        "Masking",
        {"mask_value": 0.0},
        input_data=lambda rng: np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], "float32"),
    ),
    Case("Add", input_shape=[(2, 3), (2, 3)]),
    Case("Subtract", input_shape=[(2, 3), (2, 3)]),
    Case("Multiply", input_shape=[(2, 3), (2, 3), (2, 3)]),
    Case("Average", input_shape=[(2, 3), (2, 3)]),
    Case("Maximum", input_shape=[(2, 3), (2, 3)]),
    Case("Minimum", input_shape=[(2, 3), (2, 3)]),
    Case("Dot", {"axes": 1, "normalize": True}, input_shape=[(2, 3), (2, 3)]),
    Case("Dot", {"axes": (2, 2)}, id="Dot-3d", input_shape=[(2, 3, 4), (2, 5, 4)]),
]
