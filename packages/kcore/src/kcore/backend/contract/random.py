"""Contract group ``random``."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("random")
