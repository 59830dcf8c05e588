"""Contract group ``image``."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("image")
