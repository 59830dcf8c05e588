"""Contract group ``rnn`` on numpy."""

from __future__ import annotations

__all__ = []
