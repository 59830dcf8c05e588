"""The conformance tests: every contract case, on the backend chosen with `--kcore-backend`.

Collected only when asked for (see `kcore.testing.plugin`).
"""

from __future__ import annotations

import pytest

from kcore.backend.contract import FUNCTIONS
from kcore.testing import checks
from kcore.testing.cases import all_cases, all_random_cases

_CASES = all_cases()
_RANDOM_CASES = all_random_cases()


def _salts(cases) -> list[str]:
    """A seed salt per case that depends only on its op and its position among that op's cases."""
    seen: dict[str, int] = {}
    salts = []
    for case in cases:
        seen[case.name] = seen.get(case.name, -1) + 1
        salts.append(f"{case.name}/{case.id or seen[case.name]}")
    return salts


_SALTS = _salts(_CASES)
_SYMBOLIC = [(i, c) for i, c in enumerate(_CASES) if c.symbolic and FUNCTIONS[c.name].symbolic]

pytestmark = pytest.mark.conformance


def _skip_unsupported(case, module):
    missing = checks.unsupported_dtypes(case, module.capabilities)
    if missing:
        pytest.skip(f"backend does not support {sorted(missing)}")
    lacking = [flag for flag in case.needs if not getattr(module.capabilities, flag)]
    if lacking:
        pytest.skip(f"backend lacks {', '.join(lacking)}")


@pytest.mark.parametrize(
    "index, case", list(enumerate(_CASES)), ids=[c.label(i) for i, c in enumerate(_CASES)]
)
def test_matches_reference(kcore_backend, index, case):
    _skip_unsupported(case, kcore_backend)
    try:
        checks.run_case(kcore_backend, case, salt=_SALTS[index])
    except checks.NotProvided as reason:
        pytest.skip(str(reason))


@pytest.mark.parametrize("index, case", _SYMBOLIC, ids=[c.label(i) for i, c in _SYMBOLIC])
def test_symbolic_matches_eager(kcore_backend, index, case):
    _skip_unsupported(case, kcore_backend)
    try:
        checks.run_symbolic_case(kcore_backend, case, salt=_SALTS[index])
    except checks.NotProvided as reason:
        pytest.skip(str(reason))


@pytest.mark.parametrize(
    "case", _RANDOM_CASES, ids=[c.label(i) for i, c in enumerate(_RANDOM_CASES)]
)
def test_random(kcore_backend, case):
    if case.dtype not in kcore_backend.capabilities.dtypes:
        pytest.skip(f"backend does not support {case.dtype}")
    checks.run_random_case(kcore_backend, case)
