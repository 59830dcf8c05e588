"""The conformance suite, run on the backend under test (numpy unless --kcore-backend says otherwise)."""

from kcore.testing.conformance import (  # noqa: F401  (collected here)
    test_fused_update_step_matches_update_step,
    test_layers_and_variables_inherit_the_backend_bases,
    test_matches_reference,
    test_no_grad_computes_the_same_values,
    test_random,
    test_symbolic_matches_eager,
    test_variables_do_not_share_memory_with_their_initial_value,
    test_variables_keep_their_state,
)
