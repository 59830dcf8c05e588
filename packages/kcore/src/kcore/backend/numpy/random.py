"""Contract group ``random`` on numpy."""

from __future__ import annotations

__all__ = []
