"""Conformance cases for contract group ``linalg``."""

CASES = []
