"""Keras 3's naming rules, kept apart from `kcore.layers` so that any module can use them without
importing the layer catalog."""

from __future__ import annotations

import re


def to_snake_case(name: str) -> str:
    """Keras 3's automatic-name rule: drops non-word characters, then puts ``_`` before each
    capitalized word and between a lowercase letter and a capital (``"Dense"`` -> ``"dense"``,
    ``"Conv2D"`` -> ``"conv2d"``, ``"LSTMCell"`` -> ``"lstm_cell"``,
    ``"EinsumDense"`` -> ``"einsum_dense"``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
