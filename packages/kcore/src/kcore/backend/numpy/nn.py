"""Contract group ``nn`` on numpy."""

from __future__ import annotations

__all__ = []
