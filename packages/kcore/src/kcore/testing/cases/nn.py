"""Conformance cases for contract group ``nn``."""

CASES = []
