"""Conformance cases for contract group ``math``."""

CASES = []
