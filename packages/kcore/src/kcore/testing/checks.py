"""Runs conformance cases against a backend, comparing with the numpy reference backend."""

from __future__ import annotations

import numpy as np
import optree

from kcore.backend.contract import FUNCTIONS
from kcore.backend.dtypes import standardize_dtype
from kcore.testing.cases._case import Arr, Case, RandomCase

_TOLERANCE_SCALE = {"float16": 1e3, "bfloat16": 1e4}


class ConformanceError(AssertionError):
    """A backend's result differs from the contract's."""


class NotProvided(Exception):
    """The backend does not provide an optional function whose fallback raises NotImplementedError
    (as `lstm` and `gru` do without a fused kernel); its checks do not apply."""


def _call(module, name, args, kwargs):
    try:
        return implementation(module, name)(*args, **kwargs)
    except NotImplementedError as error:
        if FUNCTIONS[name].optional:
            raise NotProvided(f"{name}: {error}") from error
        raise


def _reference():
    import kcore.backend.numpy as reference

    return reference


def _materialize(case: Case, index_salt: str):
    """The case's arguments as numpy values (for the reference)."""
    return optree.tree_map(
        lambda leaf: leaf.make(index_salt) if isinstance(leaf, Arr) else leaf,
        (case.args, case.kwargs),
        none_is_leaf=True,
        is_leaf=lambda leaf: isinstance(leaf, Arr),
    )


def _input_dtypes(case: Case) -> set[str]:
    found = set()
    for leaf in optree.tree_leaves(
        (case.args, case.kwargs), is_leaf=lambda x: isinstance(x, Arr), none_is_leaf=True
    ):
        if isinstance(leaf, Arr):
            found.add(standardize_dtype(leaf.dtype))
        elif isinstance(leaf, np.ndarray):
            found.add(standardize_dtype(leaf.dtype))
    dtype = case.kwargs.get("dtype")
    if isinstance(dtype, str):
        found.add(standardize_dtype(dtype))
    return found


def unsupported_dtypes(case, capabilities) -> set[str]:
    """The dtypes the case uses that the backend does not support."""
    return _input_dtypes(case) - set(capabilities.dtypes) - {"string"}


def _to_backend(module, values):
    return optree.tree_map(
        lambda leaf: module.convert_to_tensor(leaf) if isinstance(leaf, np.ndarray) else leaf,
        values,
        none_is_leaf=True,
    )


def _to_numpy(module, value):
    return optree.tree_map(
        lambda leaf: np.asarray(module.convert_to_numpy(leaf)) if module.is_tensor(leaf) else leaf,
        value,
        none_is_leaf=True,
    )


def implementation(module, name):
    """The backend's function, or the contract's composed fallback when it has none."""
    impl = getattr(module, name, None)
    return impl if callable(impl) else FUNCTIONS[name].stub


def _assert_close(name, got, want, rtol, atol, what):
    if isinstance(want, np.ndarray) or isinstance(got, np.ndarray):
        got_arr, want_arr = np.asarray(got), np.asarray(want)
        if got_arr.shape != want_arr.shape:
            raise ConformanceError(
                f"{name}: {what} shape {got_arr.shape}, expected {want_arr.shape}"
            )
        if want_arr.dtype.kind in "biuSUO":
            dtype = "exact"
        else:
            dtype = standardize_dtype(want_arr.dtype)
        if dtype == "exact":
            equal = np.array_equal(got_arr, want_arr)
        else:
            scale = _TOLERANCE_SCALE.get(dtype, 1.0)
            equal = np.allclose(
                got_arr.astype(np.complex128 if want_arr.dtype.kind == "c" else np.float64),
                want_arr.astype(np.complex128 if want_arr.dtype.kind == "c" else np.float64),
                rtol=rtol * scale,
                atol=atol * scale,
                equal_nan=True,
            )
        if not equal:
            raise ConformanceError(
                f"{name}: {what} values differ from the expected ones.\n got: {got_arr!r}\nwant: {want_arr!r}"
            )
    elif isinstance(want, float) and isinstance(got, (float, np.floating)):
        if not np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
            raise ConformanceError(f"{name}: {what} {got!r}, expected {want!r}")
    elif got != want:
        raise ConformanceError(f"{name}: {what} {got!r}, expected {want!r}")


def _leaves(value):
    return optree.tree_flatten(value, none_is_leaf=True)


def _dtype_name(value):
    if not isinstance(value, np.ndarray):
        return None
    return "string" if value.dtype.kind in "SUO" else standardize_dtype(value.dtype)


def compare_results(name, got, want, case: Case, what="result"):
    got_leaves, got_tree = _leaves(got)
    want_leaves, want_tree = _leaves(want)
    if len(got_leaves) != len(want_leaves):
        raise ConformanceError(f"{name}: {what} structure {got_tree}, expected {want_tree}")
    for g, w in zip(got_leaves, want_leaves):
        if isinstance(w, np.ndarray) or isinstance(g, np.ndarray):
            g, w = np.asarray(g), np.asarray(w)
            if _dtype_name(g) != _dtype_name(w):
                raise ConformanceError(
                    f"{name}: {what} dtype {_dtype_name(g)}, expected {_dtype_name(w)}"
                )
            if g.shape != w.shape:
                raise ConformanceError(f"{name}: {what} shape {g.shape}, expected {w.shape}")
        if case.compare == "values":
            _assert_close(name, g, w, case.rtol, case.atol, what)
    if callable(case.compare):
        case.compare(got, want)


def _run(module, case: Case, args, kwargs):
    result = _call(module, case.name, args, kwargs)
    if case.then is not None:
        result = result(*_to_backend(module, case.then))
    return result


def run_case(module, case: Case, salt: str) -> None:
    """Checks one case on backend `module` (which must be the active backend)."""
    reference = _reference()
    args, kwargs = _materialize(case, salt)
    if not all(getattr(reference.capabilities, flag) for flag in case.needs):
        # The reference cannot run it (no autodiff): check the backend against `expected` alone.
        if case.expected is None:
            raise ConformanceError(f"{case.name}: a case the reference cannot run needs `expected`")
        got_args, got_kwargs = _to_backend(module, (args, kwargs))
        got = _leaves(_to_numpy(module, _run(module, case, got_args, got_kwargs)))[0]
        expected = case.expected if isinstance(case.expected, tuple) else (case.expected,)
        if len(got) != len(expected):
            raise ConformanceError(f"{case.name}: {len(got)} results, expected {len(expected)}")
        for g, w in zip(got, expected):
            g = np.asarray(g)
            _assert_close(
                case.name, g, np.asarray(w).astype(g.dtype), case.rtol, case.atol, "result"
            )
        return
    with np.errstate(all="ignore"):
        want = _to_numpy(reference, _run(reference, case, args, kwargs))
    if case.expected is not None:
        expected = case.expected
        expected = (
            [np.asarray(e) for e in expected]
            if isinstance(expected, tuple)
            else [np.asarray(expected)]
        )
        want_leaves = _leaves(want)[0]
        if len(want_leaves) != len(expected):
            raise ConformanceError(
                f"{case.name}: reference gave {len(want_leaves)} results, expected {len(expected)}"
            )
        for g, w in zip(want_leaves, expected):
            g = np.asarray(g)
            _assert_close(case.name, g, w.astype(g.dtype), case.rtol, case.atol, "reference result")
    if case.expected_dtype is not None:
        expected_dtype = (
            case.expected_dtype() if callable(case.expected_dtype) else case.expected_dtype
        )
        first = _leaves(want)[0][0]
        if _dtype_name(np.asarray(first)) != standardize_dtype(expected_dtype):
            raise ConformanceError(
                f"{case.name}: reference result dtype {_dtype_name(np.asarray(first))}, "
                f"expected {expected_dtype}"
            )
    got_args, got_kwargs = _to_backend(module, (args, kwargs))
    got = _to_numpy(module, _run(module, case, got_args, got_kwargs))
    compare_results(case.name, got, want, case)


def run_symbolic_case(module, case: Case, salt: str) -> None:
    """Checks that the op on KerasTensors gives the eager result's shapes and dtypes."""
    import kcore.ops
    from kcore.backend.keras_tensor import KerasTensor

    args, kwargs = _materialize(case, salt)
    if not any(
        isinstance(leaf, np.ndarray)
        for leaf in optree.tree_leaves((args, kwargs), none_is_leaf=True)
    ):
        return  # no tensor input: the op never sees a KerasTensor
    eager = _call(module, case.name, _to_backend(module, args), _to_backend(module, kwargs))
    symbolic_args, symbolic_kwargs = optree.tree_map(
        lambda leaf: (
            KerasTensor(leaf.shape, standardize_dtype(leaf.dtype))
            if isinstance(leaf, np.ndarray)
            else leaf
        ),
        (args, kwargs),
        none_is_leaf=True,
    )
    op = getattr(kcore.ops, case.name, None) or getattr(kcore.ops.image, case.name)
    symbolic = op(*symbolic_args, **symbolic_kwargs)
    eager_leaves, _ = _leaves(eager)
    symbolic_leaves, _ = _leaves(symbolic)
    if len(eager_leaves) != len(symbolic_leaves):
        raise ConformanceError(f"{case.name}: symbolic result has another structure than eager's")
    for e, s in zip(eager_leaves, symbolic_leaves):
        if module.is_tensor(e):
            e_shape = tuple(module.shape(e))
            e_dtype = standardize_dtype(e.dtype)
            # An op with its own shape rule may leave value-dependent dims unknown (None).
            loose = FUNCTIONS[case.name].output_spec is not None
            same_shape = (
                isinstance(s, KerasTensor)
                and len(s.shape) == len(e_shape)
                and all(a == b or (loose and a is None) for a, b in zip(s.shape, e_shape))
            )
            if not same_shape or s.dtype != e_dtype:
                raise ConformanceError(
                    f"{case.name}: symbolic result {s!r}, eager result shape {e_shape} dtype {e_dtype}"
                )


def draw(module, case: RandomCase, seed):
    seed_tensor = module.convert_to_tensor(np.array(seed, dtype=np.uint32))
    result = implementation(module, case.name)(**case.kwargs, seed=seed_tensor)
    return np.asarray(module.convert_to_numpy(result))


def run_random_case(module, case: RandomCase) -> None:
    """Checks shape, dtype, seed determinism and statistics of a random function."""
    first = draw(module, case, (42, 0))
    again = draw(module, case, (42, 0))
    other = draw(module, case, (7, 1))
    if first.shape != tuple(case.shape):
        raise ConformanceError(f"{case.name}: shape {first.shape}, expected {tuple(case.shape)}")
    if standardize_dtype(first.dtype) != standardize_dtype(case.dtype):
        raise ConformanceError(f"{case.name}: dtype {first.dtype}, expected {case.dtype}")
    if not np.array_equal(first, again, equal_nan=True):
        raise ConformanceError(f"{case.name}: the same seed gave different numbers")
    if first.size > 8 and np.array_equal(first, other):
        raise ConformanceError(f"{case.name}: two different seeds gave the same numbers")
    values = first.astype(np.float64)
    if case.mean is not None and abs(values.mean() - case.mean) > case.tolerance * max(
        1.0, abs(case.mean)
    ):
        raise ConformanceError(
            f"{case.name}: sample mean {values.mean():.4f}, expected {case.mean}"
        )
    if case.std is not None and abs(values.std() - case.std) > case.tolerance * max(1.0, case.std):
        raise ConformanceError(f"{case.name}: sample std {values.std():.4f}, expected {case.std}")
    if case.check is not None:
        case.check(first)
