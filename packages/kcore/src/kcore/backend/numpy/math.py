"""Contract group ``math`` on numpy."""

from __future__ import annotations

__all__ = []
