"""Testing tools for kcore and its plugins.

- `kcore.testing.plugin`: the opt-in pytest plugin of the backend conformance suite.
- `kcore.testing.conformance`: the suite's tests (collect with ``--pyargs``).
- `kcore.testing.cases`: the cases, one module per contract group.
- `kcore.testing.checks`: running one case against a backend, for your own tests.
- `kcore.testing.layers`: `run_layer_test`, the one helper every layer test uses (also for a
  plugin's layers).
"""
