"""Contract group ``nn`` on numpy."""

from __future__ import annotations

import numpy as np

from kcore.backend.numpy._utils import to_array

__all__ = []
