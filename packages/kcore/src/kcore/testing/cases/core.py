"""Conformance cases for contract group ``core``."""

CASES = []
