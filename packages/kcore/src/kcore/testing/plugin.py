"""The conformance suite's pytest plugin (opt-in: it is not auto-loaded).

Run the suite against an installed backend::

    pytest -p kcore.testing.plugin --kcore-backend=mybackend --pyargs kcore.testing.conformance

or, equivalently, ``python -m kcore conformance mybackend``.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("kcore")
    group.addoption(
        "--kcore-backend",
        default=None,
        help="backend to check against the kcore backend contract (default: $KCORE_BACKEND or numpy)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "conformance: a kcore backend-contract conformance check")


@pytest.fixture(scope="session")
def kcore_backend_name(request):
    return request.config.getoption("--kcore-backend") or os.environ.get("KCORE_BACKEND") or "numpy"


@pytest.fixture(scope="session")
def kcore_backend(kcore_backend_name):
    """The module of the backend under test, activated."""
    import kcore.backend

    return kcore.backend.activate(kcore_backend_name)
