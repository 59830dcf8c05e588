"""The merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, and
their functional forms (`add`, `concatenate`...)."""

from kcore.layers.merging.add import Add, add
from kcore.layers.merging.average import Average, average
from kcore.layers.merging.concatenate import Concatenate, concatenate
from kcore.layers.merging.dot import Dot, dot
from kcore.layers.merging.maximum import Maximum, maximum
from kcore.layers.merging.minimum import Minimum, minimum
from kcore.layers.merging.multiply import Multiply, multiply
from kcore.layers.merging.subtract import Subtract, subtract

__all__ = [
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Minimum",
    "Multiply",
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
