"""Conformance cases for contract group ``random``."""

CASES = []
