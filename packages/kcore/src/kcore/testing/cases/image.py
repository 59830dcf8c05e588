"""Conformance cases for contract group ``image``."""

CASES = []
