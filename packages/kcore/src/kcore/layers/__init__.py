"""`kcore.layers`: Keras 3's layers.

Example:

>>> import kcore
>>> kcore.ops.shape(kcore.layers.Dense(3)(kcore.ops.ones((2, 4))))
(2, 3)
"""

from kcore.layers.activations.activation import Activation
from kcore.layers.activations.elu import ELU
from kcore.layers.activations.leaky_relu import LeakyReLU
from kcore.layers.activations.prelu import PReLU
from kcore.layers.activations.relu import ReLU
from kcore.layers.activations.softmax import Softmax
from kcore.layers.core.dense import Dense
from kcore.layers.core.einsum_dense import EinsumDense
from kcore.layers.core.embedding import Embedding
from kcore.layers.core.identity import Identity
from kcore.layers.core.input_layer import Input, InputLayer
from kcore.layers.core.lambda_layer import Lambda
from kcore.layers.core.masking import Masking
from kcore.layers.input_spec import InputSpec
from kcore.layers.layer import Layer
from kcore.layers.merging.add import Add, add
from kcore.layers.merging.average import Average, average
from kcore.layers.merging.concatenate import Concatenate, concatenate
from kcore.layers.merging.dot import Dot, dot
from kcore.layers.merging.maximum import Maximum, maximum
from kcore.layers.merging.minimum import Minimum, minimum
from kcore.layers.merging.multiply import Multiply, multiply
from kcore.layers.merging.subtract import Subtract, subtract
from kcore.layers.regularization.dropout import Dropout
from kcore.layers.reshaping.flatten import Flatten
from kcore.layers.reshaping.permute import Permute
from kcore.layers.reshaping.repeat_vector import RepeatVector
from kcore.layers.reshaping.reshape import Reshape

__all__ = [
    "ELU",
    "Activation",
    "Add",
    "Average",
    "Concatenate",
    "Dense",
    "Dot",
    "Dropout",
    "EinsumDense",
    "Embedding",
    "Flatten",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "Lambda",
    "Layer",
    "LeakyReLU",
    "Masking",
    "Maximum",
    "Minimum",
    "Multiply",
    "PReLU",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "Softmax",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
