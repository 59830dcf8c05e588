"""Conformance cases for contract group ``nn``."""

import numpy as np

from kcore.testing.cases._case import Arr, Case

CASES = [
]
