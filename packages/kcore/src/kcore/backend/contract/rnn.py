"""Contract group ``rnn``."""

from __future__ import annotations

from kcore.backend.contract._spec import Group

group = Group("rnn")
