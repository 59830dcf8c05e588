"""Contract group ``linalg``."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("linalg")
