"""Conformance cases for contract group ``image``."""

import numpy as np

from kcore.testing.cases._case import Arr, Case

CASES = [
]
