"""Conformance cases for contract group ``rnn``."""

CASES = []
