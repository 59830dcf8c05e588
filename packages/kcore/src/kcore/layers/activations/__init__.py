"""The activation layers: Activation, ReLU, LeakyReLU, Softmax, ELU, PReLU."""

from kcore.layers.activations.activation import Activation
from kcore.layers.activations.elu import ELU
from kcore.layers.activations.leaky_relu import LeakyReLU
from kcore.layers.activations.prelu import PReLU
from kcore.layers.activations.relu import ReLU
from kcore.layers.activations.softmax import Softmax

__all__ = [
    "Activation",
    "ELU",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "Softmax",
]
