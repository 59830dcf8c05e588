"""The conformance suite, run on the backend under test (numpy unless --kcore-backend says otherwise)."""

from kcore.testing.conformance import (  # noqa: F401  (collected here)
    test_matches_reference,
    test_random,
    test_symbolic_matches_eager,
)
