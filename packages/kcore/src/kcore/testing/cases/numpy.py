"""Conformance cases for contract group ``numpy`` (two modules, as the contract)."""

from kcore.testing.cases import numpy_array, numpy_math

CASES = numpy_math.CASES + numpy_array.CASES
