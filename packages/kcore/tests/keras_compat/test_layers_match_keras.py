"""Every layer kcore shares with Keras 3 gives Keras's outputs for the same weights.

For each `Case` in the `cases_*.py` modules: the Keras layer is built and called; the kcore
layer is made from the Keras layer's config (so kcore reads what Keras writes), takes the Keras
weights through `set_weights`, and must give the same outputs on the same inputs.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import numpy as np
import optree
import pytest

import kcore
from kcore import ops

from . import __name__ as _package
from . import __path__ as _path


def _all_cases():
    cases = []
    for info in sorted(pkgutil.iter_modules(_path), key=lambda i: i.name):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"{_package}.{info.name}")
            cases.extend(module.CASES)
    return cases


CASES = _all_cases()


def _ids(cases):
    seen = {}
    ids = []
    for case in cases:
        base = case.id or case.layer
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _leaves(x):
    return optree.tree_leaves(x, none_is_leaf=False)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _keras_np(keras, x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_layer_matches_keras(keras, case):
    for module in case.needs:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"Keras needs {module} for {case.layer}")
    rng = np.random.default_rng(0)
    inputs = case.inputs(rng)
    call_kwargs = case.call_arguments(rng)
    adapt_data = case.adapt(rng) if case.adapt is not None else None

    keras_layer = case.build(keras.layers)
    if adapt_data is not None:
        keras_layer.adapt(adapt_data)
    expected = keras_layer(inputs, **call_kwargs)

    config = keras_layer.get_config()
    ours = type(case.build(kcore.layers)).from_config(config)
    if adapt_data is not None:
        ours.adapt(adapt_data)
    ours(inputs, **call_kwargs)
    keras_weights = keras_layer.get_weights()
    our_weights = ours.get_weights()
    assert [w.shape for w in our_weights] == [np.shape(w) for w in keras_weights], (
        f"{case.layer}: kcore's weights {[w.shape for w in our_weights]} differ from Keras's "
        f"{[np.shape(w) for w in keras_weights]}"
    )
    ours.set_weights(keras_weights)
    got = ours(inputs, **call_kwargs)

    got_leaves, want_leaves = _leaves(got), _leaves(expected)
    assert len(got_leaves) == len(want_leaves), (
        f"{case.layer}: {len(got_leaves)} outputs, Keras gives {len(want_leaves)}"
    )
    for g, w in zip(got_leaves, want_leaves):
        g, w = _np(g), _keras_np(keras, w)
        assert g.shape == w.shape, f"{case.layer}: output shape {g.shape}, Keras gives {w.shape}"
        if w.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=case.rtol, atol=case.atol, err_msg=case.layer)
        else:
            np.testing.assert_array_equal(g, w, err_msg=case.layer)
        assert kcore.backend.standardize_dtype(g.dtype) == str(w.dtype), case.layer

    if case.compare_config_keys:
        assert sorted(ours.get_config()) == sorted(config), (
            f"{case.layer}: config keys differ from Keras's:\n"
            f"kcore only: {sorted(set(ours.get_config()) - set(config))}\n"
            f"Keras only: {sorted(set(config) - set(ours.get_config()))}"
        )
